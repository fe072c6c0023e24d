// G2: the sextic twist E'(Fp2): y^2 = x^3 + 4(u + 1), restricted to its order-r subgroup.
#pragma once

#include <cstdint>
#include <span>

#include "engine/curve/point_error.hpp"
#include "engine/field/fp2.hpp"
#include "engine/field/fr.hpp"

namespace kzg {

struct G2Affine {
  Fp2 x{}, y{};
  bool infinity = true;

  static G2Affine identity() { return {}; }
  static G2Affine generator();
  bool is_on_curve() const;
  bool is_in_subgroup() const;  // psi endomorphism test: psi(P) == [x]P
  G2Affine operator-() const;
  friend bool operator==(const G2Affine& a, const G2Affine& b);
};

struct G2Projective {
  Fp2 x{}, y{Fp2::one()}, z{};

  static G2Projective identity() { return {}; }
  static G2Projective from_affine(const G2Affine& a);
  bool is_identity() const { return z.is_zero(); }
  G2Affine to_affine() const;
  G2Projective dbl() const;
  G2Projective operator-() const;
  friend G2Projective operator+(const G2Projective& a, const G2Projective& b);
  friend G2Projective operator+(const G2Projective& a, const G2Affine& b);
  friend G2Projective operator-(const G2Projective& a, const G2Projective& b);
  G2Projective& operator+=(const G2Projective& b) { return *this = *this + b; }
  friend bool operator==(const G2Projective& a, const G2Projective& b);
};

// psi = untwist-Frobenius-twist, the endomorphism of E'(Fp2) behind the subgroup test: on G2 it acts as
// multiplication by x; on all of E'(Fp2) it satisfies psi^2 - t psi + p = 0 (t = x + 1, the trace).
G2Projective g2_psi(const G2Projective& p);

// [k]P (variable time, width-5 NAF); valid for any point of E'(Fp2).
G2Projective g2_mul(const G2Projective& p, const Scalar& k);
G2Projective g2_mul(const G2Projective& p, const Fr& k);

// ZCash/IETF compressed encoding (96 bytes: x.c1 then x.c0, flags in byte 0).
void g2_compress(std::span<std::uint8_t, 96> out, const G2Affine& p);
// Decompresses, checks the curve equation and subgroup membership. On failure `out` is untouched.
PointError g2_decompress(G2Affine& out, std::span<const std::uint8_t, 96> in);
// Decompression without the subgroup check (for tests and the fuzz targets' subgroup oracle).
PointError g2_decompress_unchecked(G2Affine& out, std::span<const std::uint8_t, 96> in);

}  // namespace kzg
