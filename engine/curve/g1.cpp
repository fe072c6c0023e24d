#include "curve/g1.hpp"

#include <array>

#include "curve/jacobian.hpp"

namespace kzg {
namespace {

// |x| for the BLS parameter x = -0xd201000000010000.
constexpr Limbs<1> kAbsX = {0xd201000000010000ULL};

const Fp& curve_b() {
  static const Fp b = Fp::from_u64(4);
  return b;
}

Fp curve_rhs(const Fp& x) { return x.square() * x + curve_b(); }

// A non-trivial cube root of unity beta with (beta x, y) == [-x^2](x, y) on G1 (the GLV endomorphism
// whose eigenvalue is -x^2 mod r); chosen at start-up between the two roots by testing the generator.
const Fp& glv_beta();

G1Projective mul_by_x_squared(const G1Projective& p) {
  return jacobian::mul_wnaf(jacobian::mul_wnaf(p, kAbsX), kAbsX);  // x^2 = |x|^2
}

bool in_subgroup_jacobian(const G1Projective& p, const Fp& beta) {
  // phi(P) == -[x^2]P  (Bowe, "Faster subgroup checks for BLS12-381").
  const G1Projective phi{p.x * beta, p.y, p.z};
  return phi == -mul_by_x_squared(p);
}

const Fp& glv_beta() {
  static const Fp beta = [] {
    // A cube root of unity: g^((p-1)/3) for a non-cube g; try small g until it is not 1.
    Limbs<6> e = Fp::modulus();
    e[0] -= 1;  // p - 1 (p is odd)
    // Divide by 3.
    Limbs<6> q{};
    unsigned __int128 rem = 0;
    for (std::size_t i = 6; i-- > 0;) {
      const unsigned __int128 cur = (rem << 64) | e[i];
      q[i] = static_cast<std::uint64_t>(cur / 3);
      rem = cur % 3;
    }
    Fp root = Fp::one();
    for (std::uint64_t g = 2; root.is_one(); ++g) root = Fp::from_u64(g).pow(q);
    const G1Projective gen = G1Projective::from_affine(G1Affine::generator());
    return in_subgroup_jacobian(gen, root) ? root : root.square();
  }();
  return beta;
}

PointError decompress(G1Affine& out, std::span<const std::uint8_t, 48> in, bool check_subgroup) {
  const std::uint8_t flags = in[0];
  if ((flags & 0x80) == 0) return PointError::kNotCompressed;
  if (flags & 0x40) {
    if ((flags & 0x3f) != 0 || (flags & 0x20) != 0) return PointError::kBadInfinity;
    for (std::size_t i = 1; i < 48; ++i)
      if (in[i] != 0) return PointError::kBadInfinity;
    out = G1Affine::identity();
    return PointError::kOk;
  }
  std::array<std::uint8_t, 48> xb{};
  std::copy(in.begin(), in.end(), xb.begin());
  xb[0] &= 0x1f;
  Fp x;
  if (!Fp::from_bytes_be(x, xb)) return PointError::kNotCanonical;
  Fp y;
  if (!fp_sqrt(y, curve_rhs(x))) return PointError::kNotOnCurve;
  if (y.lexicographically_largest() != ((flags & 0x20) != 0)) y = -y;
  const G1Affine p{x, y, false};
  if (check_subgroup && !p.is_in_subgroup()) return PointError::kNotInSubgroup;
  out = p;
  return PointError::kOk;
}

}  // namespace

G1Affine G1Affine::generator() {
  static const G1Affine g = [] {
    static constexpr std::uint8_t kCompressed[48] = {
        0x97, 0xf1, 0xd3, 0xa7, 0x31, 0x97, 0xd7, 0x94, 0x26, 0x95, 0x63, 0x8c, 0x4f, 0xa9, 0xac, 0x0f,
        0xc3, 0x68, 0x8c, 0x4f, 0x97, 0x74, 0xb9, 0x05, 0xa1, 0x4e, 0x3a, 0x3f, 0x17, 0x1b, 0xac, 0x58,
        0x6c, 0x55, 0xe8, 0x3f, 0xf9, 0x7a, 0x1a, 0xef, 0xfb, 0x3a, 0xf0, 0x0a, 0xdb, 0x22, 0xc6, 0xbb};
    G1Affine p;
    decompress(p, std::span<const std::uint8_t, 48>(kCompressed, 48), false);
    return p;
  }();
  return g;
}

bool G1Affine::is_on_curve() const { return infinity || y.square() == curve_rhs(x); }

bool G1Affine::is_in_subgroup() const {
  if (infinity) return true;
  return in_subgroup_jacobian(G1Projective::from_affine(*this), glv_beta());
}

G1Affine G1Affine::operator-() const { return infinity ? *this : G1Affine{x, -y, false}; }

bool operator==(const G1Affine& a, const G1Affine& b) {
  if (a.infinity || b.infinity) return a.infinity == b.infinity;
  return a.x == b.x && a.y == b.y;
}

G1Projective G1Projective::from_affine(const G1Affine& a) {
  return a.infinity ? G1Projective{} : G1Projective{a.x, a.y, Fp::one()};
}
G1Affine G1Projective::to_affine() const { return jacobian::to_affine<G1Affine>(*this); }
G1Projective G1Projective::dbl() const { return jacobian::dbl(*this); }
G1Projective G1Projective::operator-() const { return {x, -y, z}; }
G1Projective operator+(const G1Projective& a, const G1Projective& b) { return jacobian::add(a, b); }
G1Projective operator+(const G1Projective& a, const G1Affine& b) { return jacobian::add_mixed(a, b); }
G1Projective operator-(const G1Projective& a, const G1Projective& b) { return jacobian::add(a, -b); }
bool operator==(const G1Projective& a, const G1Projective& b) { return jacobian::equal(a, b); }

void g1_batch_to_affine(std::span<G1Affine> out, std::span<const G1Projective> in) {
  std::vector<Fp> zs(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) zs[i] = in[i].z;
  batch_inverse(zs.data(), zs.data(), zs.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].z.is_zero()) {
      out[i] = G1Affine::identity();
      continue;
    }
    const Fp zi2 = zs[i].square();
    out[i] = G1Affine{in[i].x * zi2, in[i].y * zi2 * zs[i], false};
  }
}

G1Projective g1_mul(const G1Projective& p, const Scalar& k) { return jacobian::mul_wnaf(p, k); }
G1Projective g1_mul(const G1Projective& p, const Fr& k) { return jacobian::mul_wnaf(p, k.to_canonical()); }

void g1_compress(std::span<std::uint8_t, 48> out, const G1Affine& p) {
  if (p.infinity) {
    std::fill(out.begin(), out.end(), 0);
    out[0] = 0xc0;
    return;
  }
  p.x.to_bytes_be(out);
  out[0] |= 0x80;
  if (p.y.lexicographically_largest()) out[0] |= 0x20;
}

PointError g1_decompress(G1Affine& out, std::span<const std::uint8_t, 48> in) { return decompress(out, in, true); }
PointError g1_decompress_unchecked(G1Affine& out, std::span<const std::uint8_t, 48> in) {
  return decompress(out, in, false);
}

}  // namespace kzg
