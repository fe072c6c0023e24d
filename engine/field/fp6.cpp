#include "engine/field/fp6.hpp"

namespace kzg {

namespace ops {

Fp2 mul_mod(const Fp2& a, const Fp2& b) {
  const Fp t0 = a.c0 * b.c0;
  const Fp t1 = a.c1 * b.c1;
  const Fp t2 = add_mod(a.c0, a.c1) * add_mod(b.c0, b.c1);
  return {sub_mod(t0, t1), sub_mod(sub_mod(t2, t0), t1)};
}

}  // namespace ops

namespace {

// (p - 1) / 6 as limbs, exactly (p = 1 mod 6).
constexpr Limbs<6> p_minus_1_over_6() {
  Limbs<6> e = FpParams::kModulus;
  e[0] -= 1;  // p is odd, no borrow
  std::uint64_t rem = 0;
  for (std::size_t i = 6; i-- > 0;) {
    u128 cur = (static_cast<u128>(rem) << 64) | e[i];
    e[i] = static_cast<std::uint64_t>(cur / 6);
    rem = static_cast<std::uint64_t>(cur % 6);
  }
  return e;
}

constexpr tower::FrobeniusCoefficients compute_frobenius_coefficients() {
  const Fp2 xi = Fp2::one().mul_by_nonresidue();
  const Fp2 gamma1 = xi.pow(p_minus_1_over_6());
  tower::FrobeniusCoefficients c;
  c.w[0] = Fp2::one();
  // (p^k - 1)/6 = (p - 1)/6 + p (p^(k-1) - 1)/6, hence gamma[k] = gamma[1] * gamma[k-1]^p.
  for (std::size_t k = 1; k < 12; ++k) c.w[k] = gamma1 * c.w[k - 1].frobenius();
  for (std::size_t k = 0; k < 12; ++k) {
    c.v[k] = c.w[k].square();
    c.v2[k] = c.v[k].square();
  }
  return c;
}

}  // namespace

namespace tower {
constexpr FrobeniusCoefficients kFrobenius = compute_frobenius_coefficients();
}  // namespace tower

Fp6 operator*(const Fp6& a, const Fp6& b) {
  using namespace ops;
  Fp2 t0 = mul_mod(a.c0, b.c0);
  Fp2 t1 = mul_mod(a.c1, b.c1);
  Fp2 t2 = mul_mod(a.c2, b.c2);
  Fp2 r0 =
      add_mod(mul_by_nonresidue_mod(sub_mod(sub_mod(mul_mod(add_mod(a.c1, a.c2), add_mod(b.c1, b.c2)), t1), t2)), t0);
  Fp2 r1 =
      add_mod(sub_mod(sub_mod(mul_mod(add_mod(a.c0, a.c1), add_mod(b.c0, b.c1)), t0), t1), mul_by_nonresidue_mod(t2));
  Fp2 r2 = add_mod(sub_mod(sub_mod(mul_mod(add_mod(a.c0, a.c2), add_mod(b.c0, b.c2)), t0), t2), t1);
  return {r0, r1, r2};
}

Fp6 Fp6::square() const {
  using namespace ops;
  Fp2 s0 = square_mod(c0);
  Fp2 s1 = dbl_mod(mul_mod(c0, c1));
  Fp2 s2 = square_mod(add_mod(sub_mod(c0, c1), c2));
  Fp2 s3 = dbl_mod(mul_mod(c1, c2));
  Fp2 s4 = square_mod(c2);
  return {add_mod(s0, mul_by_nonresidue_mod(s3)), add_mod(s1, mul_by_nonresidue_mod(s4)),
          sub_mod(sub_mod(add_mod(add_mod(s1, s2), s3), s0), s4)};
}

Fp6 Fp6::mul_by_01(const Fp2& b0, const Fp2& b1) const {
  // (c0 + c1 v + c2 v^2)(b0 + b1 v), 5 Fp2 multiplications.
  using namespace ops;
  Fp2 t0 = mul_mod(c0, b0);
  Fp2 t1 = mul_mod(c1, b1);
  Fp2 r0 = add_mod(mul_by_nonresidue_mod(sub_mod(mul_mod(add_mod(c1, c2), b1), t1)), t0);
  Fp2 r1 = sub_mod(sub_mod(mul_mod(add_mod(c0, c1), add_mod(b0, b1)), t0), t1);
  Fp2 r2 = add_mod(sub_mod(mul_mod(add_mod(c0, c2), b0), t0), t1);
  return {r0, r1, r2};
}

Fp6 Fp6::mul_by_1(const Fp2& b1) const {
  using namespace ops;
  return {mul_by_nonresidue_mod(mul_mod(c2, b1)), mul_mod(c0, b1), mul_mod(c1, b1)};
}

Fp6 Fp6::inverse() const {
  // The adjugate over Fp2: (t0 + t1 v + t2 v^2) * this = norm, an Fp2 element.
  using namespace ops;
  Fp2 t0 = sub_mod(square_mod(c0), mul_by_nonresidue_mod(mul_mod(c1, c2)));
  Fp2 t1 = sub_mod(mul_by_nonresidue_mod(square_mod(c2)), mul_mod(c0, c1));
  Fp2 t2 = sub_mod(square_mod(c1), mul_mod(c0, c2));
  Fp2 norm = add_mod(mul_mod(c0, t0), mul_by_nonresidue_mod(add_mod(mul_mod(c2, t1), mul_mod(c1, t2))));
  Fp2 inv = norm.inverse();
  return {mul_mod(t0, inv), mul_mod(t1, inv), mul_mod(t2, inv)};
}

Fp6 Fp6::frobenius_map(std::size_t power) const {
  const std::size_t k = power % 12;
  Fp2 a0 = c0, a1 = c1, a2 = c2;
  if (k % 2 == 1) {  // Fp2's own Frobenius has order 2
    a0 = {a0.c0, ops::neg_mod(a0.c1)};
    a1 = {a1.c0, ops::neg_mod(a1.c1)};
    a2 = {a2.c0, ops::neg_mod(a2.c1)};
  }
  return {a0, ops::mul_mod(a1, tower::kFrobenius.v[k]), ops::mul_mod(a2, tower::kFrobenius.v2[k])};
}

}  // namespace kzg
