#include "engine/curve/g1_endomorphism.hpp"

#include "engine/curve/jacobian.hpp"

namespace kzg::g1_endomorphism {
namespace {

// floor(2^256 / x^2), the Barrett constant of the split (129 bits).
constexpr Limbs<3> kBarrett = {0x63f6e522f6cfee2eULL, 0x7c6becf1e01faaddULL, 0x0000000000000001ULL};

// (p - 1) / 3 (p = 1 mod 3).
Limbs<6> p_minus_1_over_3() {
  Limbs<6> e = Fp::modulus();
  e[0] -= 1;  // p is odd
  Limbs<6> q{};
  u128 rem = 0;
  for (std::size_t i = 6; i-- > 0;) {
    const u128 cur = (rem << 64) | e[i];
    q[i] = static_cast<std::uint64_t>(cur / 3);
    rem = cur % 3;
  }
  return q;
}

}  // namespace

const Fp& beta() {
  static const Fp b = [] {
    // g^((p-1)/3) for the first small g that is not a cube is a primitive cube root of unity; it or its
    // square is the one acting as -x^2. Decide on the generator with the plain (endomorphism-free) ladder.
    Fp root = Fp::one();
    for (std::uint64_t g = 2; root.is_one(); ++g) root = Fp::from_u64(g).pow(p_minus_1_over_3());
    const G1Projective gen = G1Projective::from_affine(G1Affine::generator());
    const G1Projective x2_gen = jacobian::mul_by_abs_bls_x(jacobian::mul_by_abs_bls_x(gen));
    const G1Projective phi_gen{gen.x * root, gen.y, gen.z};
    return phi_gen == -x2_gen ? root : root.square();
  }();
  return b;
}

G1Affine phi(const G1Affine& p) { return p.infinity ? p : G1Affine{p.x * beta(), p.y, false}; }
G1Projective phi(const G1Projective& p) { return {p.x * beta(), p.y, p.z}; }
G1Affine mul_by_x_squared(const G1Affine& p) { return p.infinity ? p : G1Affine{p.x * beta(), -p.y, false}; }
G1Projective mul_by_x_squared(const G1Projective& p) { return {p.x * beta(), -p.y, p.z}; }

ScalarSplit split(const Scalar& k) {
  // Barrett: q = floor(k * m / 2^256) is floor(k / z) or at most two less.
  std::uint64_t prod[7] = {};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      const u128 t = static_cast<u128>(k[i]) * kBarrett[j] + prod[i + j] + carry;
      prod[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    prod[i + 3] = carry;
  }
  Limbs<2> q = {prod[4], prod[5]};
  // rem = k - q z
  Limbs<4> qz{};
  for (std::size_t i = 0; i < 2; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 2; ++j) {
      const u128 t = static_cast<u128>(q[i]) * kXSquared[j] + qz[i + j] + carry;
      qz[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    qz[i + 2] = carry;
  }
  Limbs<4> rem{};
  limbs::sub(rem, k, qz);
  const Limbs<4> z4 = {kXSquared[0], kXSquared[1], 0, 0};
  const Limbs<2> one = {1, 0};
  while (limbs::geq(rem, z4)) {
    limbs::sub(rem, rem, z4);
    limbs::add(q, q, one);
  }
  return {{rem[0], rem[1]}, q};
}

}  // namespace kzg::g1_endomorphism
