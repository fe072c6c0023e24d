// The BLS12-381 base field Fp (381-bit prime p), 6 x 64-bit limbs in Montgomery form.
#pragma once

#include "engine/field/montgomery.hpp"

namespace kzg {

struct FpParams {
  // p = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
  static constexpr Limbs<6> kModulus = {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                                        0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};
};

using Fp = MontgomeryField<FpParams>;

// Square root in Fp (p = 3 mod 4: one exponentiation by (p+1)/4). Returns false when `a` is
// not a square; otherwise `out` is one of the two roots.
bool fp_sqrt(Fp& out, const Fp& a);
// a^((p+1)/4): the square root of a when a has one (p = 3 mod 4); callers check by squaring.
Fp fp_sqrt_candidate(const Fp& a);

}  // namespace kzg
