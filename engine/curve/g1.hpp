// G1: the BLS12-381 curve E(Fp): y^2 = x^3 + 4, restricted to its order-r subgroup.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/curve/point_error.hpp"
#include "engine/field/fp.hpp"
#include "engine/field/fr.hpp"

namespace kzg {

struct G1Affine {
  Fp x{}, y{};
  bool infinity = true;

  static G1Affine identity() { return {}; }
  static G1Affine generator();
  bool is_on_curve() const;
  bool is_in_subgroup() const;  // GLV-endomorphism test, not multiplication by r
  G1Affine operator-() const;
  friend bool operator==(const G1Affine& a, const G1Affine& b);
};

// Jacobian coordinates (X/Z^2, Y/Z^3); Z == 0 is the identity.
struct G1Projective {
  Fp x{}, y{Fp::one()}, z{};

  static G1Projective identity() { return {}; }
  static G1Projective from_affine(const G1Affine& a);
  bool is_identity() const { return z.is_zero(); }
  G1Affine to_affine() const;
  G1Projective dbl() const;
  G1Projective operator-() const;
  friend G1Projective operator+(const G1Projective& a, const G1Projective& b);
  friend G1Projective operator+(const G1Projective& a, const G1Affine& b);  // mixed addition
  friend G1Projective operator-(const G1Projective& a, const G1Projective& b);
  G1Projective& operator+=(const G1Projective& b) { return *this = *this + b; }
  G1Projective& operator+=(const G1Affine& b) { return *this = *this + b; }
  friend bool operator==(const G1Projective& a, const G1Projective& b);  // compares group elements
};

// Many projective points to affine with one shared inversion.
void g1_batch_to_affine(std::span<G1Affine> out, std::span<const G1Projective> in);

// [k]P for P in G1 (variable time): the GLV split into two 128-bit halves, each a width-5 NAF. A scalar
// >= r is reduced mod r first. Only meaningful on the r-torsion subgroup (the endomorphism's eigenvalue
// holds there alone); use g1_mul_any for other curve points.
G1Projective g1_mul(const G1Projective& p, const Scalar& k);
G1Projective g1_mul(const G1Projective& p, const Fr& k);
// [k]G for the generator: a fixed-base comb (at most 33 mixed additions; a 440 KB table built on first use).
G1Projective g1_generator_mul(const Fr& k);
// [k]P for any point of E(Fp), inside or outside the subgroup (width-5 NAF, no endomorphism, no reduction).
G1Projective g1_mul_any(const G1Projective& p, const Scalar& k);

// sum_i [scalars[i]] points[i] for points in G1 (Pippenger with the GLV split, signed digits and batch-affine
// bucket sums; per-point multiplication for a handful of points). Uses min(points, scalars) pairs; sizes
// should match.
G1Projective g1_msm(std::span<const G1Affine> points, std::span<const Fr> scalars);

// ZCash/IETF compressed encoding (48 bytes, flags in the top 3 bits of byte 0).
void g1_compress(std::span<std::uint8_t, 48> out, const G1Affine& p);
// Decompresses, checks the curve equation and subgroup membership. On failure `out` is untouched.
PointError g1_decompress(G1Affine& out, std::span<const std::uint8_t, 48> in);
// Decompression without the subgroup check (callers that check many points at once).
PointError g1_decompress_unchecked(G1Affine& out, std::span<const std::uint8_t, 48> in);

// Many points at once, each with the result g1_decompress gives it: errors[i] and, where that is kOk, out[i]
// (elsewhere out[i] is unspecified). The square roots and subgroup checks run eight points at a time with
// AVX-512 IFMA where the CPU has it and `vectorized` is left on (tests turn it off to compare the two paths).
void g1_decompress_batch(std::span<const std::span<const std::uint8_t, 48>> in, std::span<G1Affine> out,
                         std::span<PointError> errors, bool vectorized = true);
// in_subgroup[i] = points[i].is_in_subgroup(), eight points at a time with IFMA as above.
void g1_batch_in_subgroup(std::span<const G1Affine> points, std::span<std::uint8_t> in_subgroup,
                          bool vectorized = true);

}  // namespace kzg
