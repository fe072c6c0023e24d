// Fp2 = Fp[u] / (u^2 + 1), the field of the G2 twist coordinates.
#pragma once

#include "engine/field/fp.hpp"

namespace kzg {

struct Fp2 {
  Fp c0{}, c1{};  // c0 + c1 * u

  static constexpr Fp2 zero() { return {}; }
  static constexpr Fp2 one() { return {Fp::one(), Fp::zero()}; }

  constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  friend constexpr bool operator==(const Fp2& a, const Fp2& b) { return a.c0 == b.c0 && a.c1 == b.c1; }
  friend constexpr bool operator!=(const Fp2& a, const Fp2& b) { return !(a == b); }

  friend constexpr Fp2 operator+(const Fp2& a, const Fp2& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
  friend constexpr Fp2 operator-(const Fp2& a, const Fp2& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
  constexpr Fp2 operator-() const { return {-c0, -c1}; }
  friend constexpr Fp2 operator*(const Fp2& a, const Fp2& b) {
    // Karatsuba: 3 Fp multiplications.
    Fp t0 = a.c0 * b.c0;
    Fp t1 = a.c1 * b.c1;
    Fp t2 = (a.c0 + a.c1) * (b.c0 + b.c1);
    return {t0 - t1, t2 - t0 - t1};
  }
  friend constexpr Fp2 operator*(const Fp2& a, const Fp& b) { return {a.c0 * b, a.c1 * b}; }
  constexpr Fp2& operator+=(const Fp2& b) { return *this = *this + b; }
  constexpr Fp2& operator-=(const Fp2& b) { return *this = *this - b; }
  constexpr Fp2& operator*=(const Fp2& b) { return *this = *this * b; }

  constexpr Fp2 square() const {
    // (c0 + c1 u)^2 = (c0 + c1)(c0 - c1) + 2 c0 c1 u
    Fp t = c0 * c1;
    return {(c0 + c1) * (c0 - c1), t + t};
  }
  constexpr Fp2 dbl() const { return {c0.dbl(), c1.dbl()}; }
  constexpr Fp2 conjugate() const { return {c0, -c1}; }
  // Multiplication by the sextic non-residue xi = 1 + u.
  constexpr Fp2 mul_by_nonresidue() const { return {c0 - c1, c0 + c1}; }
  constexpr Fp2 frobenius() const { return conjugate(); }  // x^p

  Fp2 inverse() const {
    Fp norm = c0.square() + c1.square();
    Fp inv = norm.inverse();
    return {c0 * inv, -(c1 * inv)};
  }
  template <std::size_t M>
  constexpr Fp2 pow(const Limbs<M>& e) const {
    Fp2 r = one();
    for (std::size_t i = limbs::bit_length(e); i-- > 0;) {
      r = r.square();
      if (limbs::bit(e, i)) r *= *this;
    }
    return r;
  }

  // The ZCash serialization's sign rule for Fp2: compare c1 first, then c0 when c1 is zero.
  bool lexicographically_largest() const {
    if (!c1.is_zero()) return c1.lexicographically_largest();
    return c0.lexicographically_largest();
  }
};

// Square root in Fp2; false when `a` is not a square.
bool fp2_sqrt(Fp2& out, const Fp2& a);

}  // namespace kzg
