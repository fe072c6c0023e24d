#include "engine/field/fp.hpp"

namespace kzg {

namespace {
constexpr Limbs<6> sqrt_exponent() {
  // (p + 1) / 4
  Limbs<6> e = FpParams::kModulus;
  Limbs<6> one{};
  one[0] = 1;
  limbs::add(e, e, one);
  limbs::shr1(e);
  limbs::shr1(e);
  return e;
}
constexpr Limbs<6> kSqrtExponent = sqrt_exponent();
}  // namespace

Fp fp_sqrt_candidate(const Fp& a) { return a.pow(kSqrtExponent); }

bool fp_sqrt(Fp& out, const Fp& a) {
  Fp r = fp_sqrt_candidate(a);
  if (r.square() != a) return false;
  out = r;
  return true;
}

}  // namespace kzg
