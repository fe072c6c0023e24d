// The GLV endomorphism of G1 and the scalar split it enables.
//
// phi(x, y) = (beta x, y), with beta a primitive cube root of unity in Fp, maps E(Fp) to itself and acts on
// the r-torsion subgroup as multiplication by lambda = -x^2 mod r (x = -0xd201000000010000, the BLS parameter;
// r = x^4 - x^2 + 1, so lambda^3 == 1 mod r). Of the two cube roots, beta is the one with this eigenvalue
// (the other one gives lambda^2).
//
// Because r = z^2 - z + 1 with z = x^2 (about 2^127.4), any k < r splits as k = k1 + k2 z with
// k1, k2 < 2^128 by plain division; then [k]P = [k1]P + [k2]([z]P) and [z]P = -phi(P) costs one
// multiplication. Halving the scalar length halves the doublings of a scalar multiplication and the
// windows of a multi-scalar multiplication.
//
// Everything here holds on the r-torsion subgroup only; on other curve points phi is still an
// endomorphism but not multiplication by lambda (which is exactly what the subgroup test exploits).
#pragma once

#include "engine/curve/g1.hpp"

namespace kzg::g1_endomorphism {

// z = x^2 = 0xac45a4010001a4020000000100000000 (little-endian limbs).
inline constexpr Limbs<2> kXSquared = {0x0000000100000000ULL, 0xac45a4010001a402ULL};

// beta: the cube root of unity with phi(P) == [-x^2]P on G1 (checked in the tests against [r]P).
const Fp& beta();

// phi(P) = (beta x, y) in affine or Jacobian coordinates (Jacobian X scales by Z^2, so the same beta).
G1Affine phi(const G1Affine& p);
G1Projective phi(const G1Projective& p);

// [x^2]P = -phi(P): (beta x, -y). Valid on G1 only.
G1Affine mul_by_x_squared(const G1Affine& p);
G1Projective mul_by_x_squared(const G1Projective& p);

// k = k1 + k2 * x^2 (as integers) with k1 < x^2 and k2 < 2^128; requires k < 2^255 (any k < r qualifies).
struct ScalarSplit {
  Limbs<2> k1{}, k2{};
};
ScalarSplit split(const Scalar& k);

}  // namespace kzg::g1_endomorphism
