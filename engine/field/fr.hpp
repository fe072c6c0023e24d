// The BLS12-381 scalar field Fr (255-bit prime r, the group order), 4 x 64-bit limbs in
// Montgomery form. KZG polynomials, blobs and challenges live here.
#pragma once

#include "engine/field/montgomery.hpp"

namespace kzg {

struct FrParams {
  // r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
  static constexpr Limbs<4> kModulus = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                                        0x73eda753299d7d48ULL};
};

using Fr = MontgomeryField<FrParams>;

// Canonical little-endian limbs of a scalar, as the group code consumes them.
using Scalar = Limbs<4>;

}  // namespace kzg
