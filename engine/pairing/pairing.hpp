// The optimal ate pairing e: G1 x G2 -> GT on BLS12-381.
//
// Two ways in:
//   * Plain: multi_miller_loop / pairing_product_is_one on G2Affine points. The G2 point arithmetic
//     of the Miller loop (doubling and addition steps) runs inside every call.
//   * Prepared: for G2 points that never change (the KZG setup's -[1]G2, [s]G2, [s^64]G2), call
//     prepare_g2 once and keep the G2Prepared. It holds every line function of the Miller loop for
//     that point, so a prepared loop only evaluates lines at P and multiplies them in: about half
//     the Miller-loop cost of the plain path, and a 2-pair check is one prepared loop plus one
//     final exponentiation.
//
// Typical use (a KZG check e(A, -G2) * e(B, [s]G2) == 1, the prepared points built at start-up):
//
//   const G2Prepared neg_g2 = prepare_g2(-G2Affine::generator());   // once
//   const G2Prepared s_g2 = prepare_g2(setup.g2_monomial[1]);         // once
//   ...
//   const G1Affine ps[2] = {a, b};
//   const G2Prepared* qs[2] = {&neg_g2, &s_g2};
//   bool ok = pairing_product_is_one(ps, qs);
//
// G1 points straight out of an MSM can stay projective: pairing_product_is_one(span<const
// G1Projective>, ...) converts them with one shared inversion.
//
// Both paths give the same answers: pairing_product_is_one agrees exactly, and
// final_exponentiation(multi_miller_loop(p, prepared)) == final_exponentiation(multi_miller_loop(p,
// q)). The raw Miller-loop values (before the final exponentiation) of the two paths differ by a
// factor in a proper subfield, which the final exponentiation maps to one; never compare them
// directly.
//
// Thread safety: every function here is pure; a G2Prepared is immutable after prepare_g2 and may be
// shared by any number of threads.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "engine/field/fp12.hpp"

namespace kzg {

// The Miller-loop line functions of one fixed G2 point Q, computed once by prepare_g2.
//
// The loop for |x| = 0xd201000000010000 takes 63 doubling steps and 5 addition steps: 68 lines, in
// the order the loop uses them (each doubling line, followed by an addition line where the bit of
// |x| is set). A line evaluated at P = (xP, yP) in G1 is, up to a factor the final exponentiation
// kills,
//   c0 + (c1 xP) v + (c4 yP) v w        (an Fp12 element; see pairing/miller_loop.cpp),
// and prepare_g2 divides each line by its c0, so that only c1 and c4 are stored and the product of
// the running value f with a line is the cheaper "constant coefficient one" sparse product. (c0 is
// never zero for a point of G2 in practice; if it ever were, the point keeps its lines unscaled and
// takes the general sparse product, with the same results.)
//
// Size: 68 * 2 Fp2 = about 13 KiB per point. Copyable and movable. A default-constructed
// G2Prepared, like prepare_g2(G2Affine::identity()), is the identity: its pairs contribute 1.
struct G2Prepared {
  struct Line {
    Fp2 c1, c4;  // coefficients of xP v and yP v w (c0 == 1 when `unit_c0`)
  };
  std::vector<Line> lines;  // 68 entries, or none for the identity
  std::vector<Fp2> c0;      // empty when unit_c0; otherwise the constant coefficient of each line
  bool unit_c0 = true;
  bool infinity = true;

  bool is_identity() const { return infinity; }
};

// Precomputes the Miller-loop lines of q. q must be a point of G2 (on the twist, in the order-r
// subgroup), as every decoded setup point is; the identity gives the identity G2Prepared. Costs
// about one plain Miller loop's G2 arithmetic plus one batched inversion: do it once per fixed point.
G2Prepared prepare_g2(const G2Affine& q);

// Product of Miller loops for many pairs (shared squarings), without final exponentiation. Pairs
// with an identity point are skipped; sizes should match (extra elements are ignored).
Fp12 multi_miller_loop(std::span<const G1Affine> p, std::span<const G2Affine> q);
// The same with prepared G2 points: pairs p[i] with *q[i]. Every pointer must be non-null. Pairs
// with an identity point (either side) are skipped; extra elements of the longer span are ignored.
// The result differs from the plain loop's by a factor the final exponentiation removes (see the
// top of this file).
Fp12 multi_miller_loop(std::span<const G1Affine> p, std::span<const G2Prepared* const> q);

// f^((p^12 - 1) / r), the exact reduced value.
Fp12 final_exponentiation(const Fp12& f);
// f^(3 (p^12 - 1) / r): the cube of final_exponentiation(f), a little cheaper (no division by 3
// in the exponent chain). As 3 does not divide r, it is one exactly when final_exponentiation(f)
// is, which is all a pairing check needs.
Fp12 final_exponentiation_cubed(const Fp12& f);

// e(p, q), fully reduced.
Fp12 pairing(const G1Affine& p, const G2Affine& q);
// e(p, q) for a prepared q, fully reduced (equal to pairing(p, q) for the point q was prepared from).
Fp12 pairing(const G1Affine& p, const G2Prepared& q);

// True when prod_i e(p[i], q[i]) == 1 (one multi-Miller loop, one final exponentiation). False
// when the sizes differ. An empty product is one (true).
bool pairing_product_is_one(std::span<const G1Affine> p, std::span<const G2Affine> q);
// The same with prepared G2 points (every pointer non-null): the fast path for KZG verification,
// where all G2 points are fixed setup points. False when the sizes differ.
bool pairing_product_is_one(std::span<const G1Affine> p, std::span<const G2Prepared* const> q);
// The same for G1 points in Jacobian coordinates, as MSMs and point sums return them: one shared
// inversion brings them all to affine (instead of one to_affine() inversion per point). Identity
// points are allowed.
bool pairing_product_is_one(std::span<const G1Projective> p, std::span<const G2Prepared* const> q);

}  // namespace kzg
