// Fp6 = Fp2[v] / (v^3 - xi) with xi = u + 1: the cubic layer of the pairing tower.
#pragma once

#include <array>
#include <cstddef>

#include "engine/field/fp2.hpp"
#include "engine/field/fp6_ops.hpp"

namespace kzg {

struct Fp6 {
  Fp2 c0{}, c1{}, c2{};  // c0 + c1 * v + c2 * v^2

  static constexpr Fp6 zero() { return {}; }
  static constexpr Fp6 one() { return {Fp2::one(), Fp2::zero(), Fp2::zero()}; }

  constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero() && c2.is_zero(); }
  constexpr bool is_one() const { return c0 == Fp2::one() && c1.is_zero() && c2.is_zero(); }
  friend constexpr bool operator==(const Fp6& a, const Fp6& b) { return a.c0 == b.c0 && a.c1 == b.c1 && a.c2 == b.c2; }
  friend constexpr bool operator!=(const Fp6& a, const Fp6& b) { return !(a == b); }

  // Additions are branch-free (ops::add_mod and friends, see field/fp6_ops.hpp).
  friend Fp6 operator+(const Fp6& a, const Fp6& b) {
    return {ops::add_mod(a.c0, b.c0), ops::add_mod(a.c1, b.c1), ops::add_mod(a.c2, b.c2)};
  }
  friend Fp6 operator-(const Fp6& a, const Fp6& b) {
    return {ops::sub_mod(a.c0, b.c0), ops::sub_mod(a.c1, b.c1), ops::sub_mod(a.c2, b.c2)};
  }
  Fp6 operator-() const { return {ops::neg_mod(c0), ops::neg_mod(c1), ops::neg_mod(c2)}; }
  // Karatsuba: 6 Fp2 multiplications.
  friend Fp6 operator*(const Fp6& a, const Fp6& b);
  friend Fp6 operator*(const Fp6& a, const Fp2& s) {
    return {ops::mul_mod(a.c0, s), ops::mul_mod(a.c1, s), ops::mul_mod(a.c2, s)};
  }
  Fp6& operator+=(const Fp6& b) { return *this = *this + b; }
  Fp6& operator-=(const Fp6& b) { return *this = *this - b; }
  Fp6& operator*=(const Fp6& b) { return *this = *this * b; }

  Fp6 dbl() const { return {ops::dbl_mod(c0), ops::dbl_mod(c1), ops::dbl_mod(c2)}; }
  // Chung-Hasan SQR2: 3 Fp2 squarings and 2 Fp2 multiplications.
  Fp6 square() const;
  // Multiplication by v (the quadratic non-residue that defines Fp12): (c0, c1, c2) -> (xi c2, c0, c1).
  Fp6 mul_by_nonresidue() const { return {ops::mul_by_nonresidue_mod(c2), c0, c1}; }
  // Sparse products used by line functions: by (b0 + b1 v) and by (b1 v).
  Fp6 mul_by_01(const Fp2& b0, const Fp2& b1) const;
  Fp6 mul_by_1(const Fp2& b1) const;
  Fp6 inverse() const;  // the inverse of zero is zero
  // x -> x^(p^power) for any power >= 0.
  Fp6 frobenius_map(std::size_t power) const;

  // this^e for a little-endian exponent (square-and-multiply).
  template <std::size_t M>
  Fp6 pow(const Limbs<M>& e) const {
    Fp6 r = one();
    for (std::size_t i = limbs::bit_length(e); i-- > 0;) {
      r = r.square();
      if (limbs::bit(e, i)) r *= *this;
    }
    return r;
  }
};

namespace tower {
// gamma[k] = xi^((p^k - 1) / 6) for k = 0..11, so that w^(p^k) = gamma[k] * w in Fp12 (w^6 = xi).
// v = w^2 and v^2 = w^4 give the Fp6 coefficients gamma[k]^2 and gamma[k]^4. Computed at compile
// time from xi and p alone (see fp6.cpp); tests check every map against x^(p^k).
struct FrobeniusCoefficients {
  std::array<Fp2, 12> w{};   // gamma[k]
  std::array<Fp2, 12> v{};   // gamma[k]^2
  std::array<Fp2, 12> v2{};  // gamma[k]^4
};
extern const FrobeniusCoefficients kFrobenius;
}  // namespace tower

}  // namespace kzg
