#include "engine/field/fp2.hpp"

namespace kzg {

namespace {
constexpr Limbs<6> p_minus_3_over_4() {
  Limbs<6> e = FpParams::kModulus;
  Limbs<6> three{};
  three[0] = 3;
  limbs::sub(e, e, three);
  limbs::shr1(e);
  limbs::shr1(e);
  return e;
}
constexpr Limbs<6> p_minus_1_over_2() {
  Limbs<6> e = FpParams::kModulus;
  limbs::shr1(e);  // p is odd: (p - 1) / 2 == p >> 1
  return e;
}
constexpr Limbs<6> kPm3d4 = p_minus_3_over_4();
constexpr Limbs<6> kPm1d2 = p_minus_1_over_2();
}  // namespace

// Algorithm 9 of Adj and Rodriguez-Henriquez, "Square root computation over even extension
// fields" (q = p = 3 mod 4).
bool fp2_sqrt(Fp2& out, const Fp2& a) {
  if (a.is_zero()) {
    out = Fp2::zero();
    return true;
  }
  Fp2 a1 = a.pow(kPm3d4);
  Fp2 alpha = a1.square() * a;
  Fp2 x0 = a1 * a;
  const Fp2 minus_one{-Fp::one(), Fp::zero()};
  Fp2 x;
  if (alpha == minus_one) {
    x = Fp2{-x0.c1, x0.c0};  // u * x0
  } else {
    Fp2 b = (Fp2::one() + alpha).pow(kPm1d2);
    x = b * x0;
  }
  if (x.square() != a) return false;
  out = x;
  return true;
}

}  // namespace kzg
