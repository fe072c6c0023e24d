// The optimal ate pairing e: G1 x G2 -> GT on BLS12-381.
#pragma once

#include <span>
#include <utility>

#include "curve/g1.hpp"
#include "curve/g2.hpp"
#include "field/fp12.hpp"

namespace kzg {

// Product of Miller loops for many pairs (shared squarings), without final exponentiation. Pairs
// with an identity point are skipped; sizes should match (extra elements are ignored).
Fp12 multi_miller_loop(std::span<const G1Affine> p, std::span<const G2Affine> q);
// f^((p^12 - 1) / r), the exact reduced value.
Fp12 final_exponentiation(const Fp12& f);
// f^(3 (p^12 - 1) / r): the cube of final_exponentiation(f), a little cheaper (no division by 3
// in the exponent chain). As 3 does not divide r, it is one exactly when final_exponentiation(f)
// is, which is all a pairing check needs.
Fp12 final_exponentiation_cubed(const Fp12& f);
// e(p, q), fully reduced.
Fp12 pairing(const G1Affine& p, const G2Affine& q);
// True when prod_i e(p[i], q[i]) == 1 (one multi-Miller loop, one final exponentiation). False
// when the sizes differ.
bool pairing_product_is_one(std::span<const G1Affine> p, std::span<const G2Affine> q);

}  // namespace kzg
