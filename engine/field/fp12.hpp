// Fp12 = Fp6[w] / (w^2 - v): the pairing target field. GT is its order-r subgroup.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/field/fp6.hpp"

namespace kzg {

struct Fp12 {
  Fp6 c0{}, c1{};  // c0 + c1 * w

  static constexpr Fp12 zero() { return {}; }
  static constexpr Fp12 one() { return {Fp6::one(), Fp6::zero()}; }

  constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  constexpr bool is_one() const { return c0.is_one() && c1.is_zero(); }
  friend constexpr bool operator==(const Fp12& a, const Fp12& b) { return a.c0 == b.c0 && a.c1 == b.c1; }
  friend constexpr bool operator!=(const Fp12& a, const Fp12& b) { return !(a == b); }

  friend Fp12 operator+(const Fp12& a, const Fp12& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
  friend Fp12 operator-(const Fp12& a, const Fp12& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
  Fp12 operator-() const { return {-c0, -c1}; }
  // Karatsuba: 3 Fp6 multiplications.
  friend Fp12 operator*(const Fp12& a, const Fp12& b);
  Fp12& operator*=(const Fp12& b) { return *this = *this * b; }

  // Complex squaring: 2 Fp6 multiplications.
  Fp12 square() const;
  Fp12 inverse() const;  // the inverse of zero is zero
  // x -> x^(p^6), which is the inverse on the cyclotomic subgroup (and so on GT).
  Fp12 conjugate() const { return {c0, -c1}; }
  // x -> x^(p^power) for any power >= 0.
  Fp12 frobenius_map(std::size_t power) const;

  // Multiplication by a sparse element with nonzero coefficients only at 1, v and v*w:
  // this * ((b0 + b1 v) + (b4 v) w). These are the positions a line function occupies on the
  // M-type twist of BLS12-381 (see pairing/miller_loop.cpp), hence the name: 13 Fp2
  // multiplications instead of 18.
  Fp12 mul_by_014(const Fp2& b0, const Fp2& b1, const Fp2& b4) const;
  // The same with b0 == 1, this * ((1 + b1 v) + (b4 v) w): 9 Fp2 multiplications. Lines scaled
  // to a unit constant coefficient (prepared G2 points) take this product.
  Fp12 mul_by_014_unit(const Fp2& b1, const Fp2& b4) const;

  // Granger-Scott squaring: 9 Fp2 squarings. Valid only on the cyclotomic subgroup
  // {x : x^(p^4 - p^2 + 1) == 1}, which holds every output of the final exponentiation's easy
  // part; elsewhere the result is meaningless.
  Fp12 cyclotomic_square() const;
  // this^e for a cyclotomic-subgroup element (signed-digit exponent, inverses by conjugation).
  Fp12 cyclotomic_pow(std::uint64_t e) const;

  // this^e for a little-endian exponent (plain square-and-multiply, any element).
  template <std::size_t M>
  Fp12 pow(const Limbs<M>& e) const {
    Fp12 r = one();
    for (std::size_t i = limbs::bit_length(e); i-- > 0;) {
      r = r.square();
      if (limbs::bit(e, i)) r *= *this;
    }
    return r;
  }
};

}  // namespace kzg
