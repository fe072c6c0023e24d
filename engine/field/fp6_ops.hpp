// Branch-free Fp and Fp2 arithmetic for the pairing tower (Fp6, Fp12), internal to engine/field.
//
// Fp's own + and - branch on whether to subtract (or add back) p. On field elements that look
// random that goes either way half the time, and the tower's formulas have dozens of additions per
// product: the mispredictions cost more than the additions themselves. Measured on the 2-pair
// pairing check (prepared G2, mulx/adx Fp multiplication): 1040 us with Fp's operators, 680 us
// with these (the cyclotomic squaring of the final exponentiation 1.6 us -> 0.9 us, an Fp12
// product 3.1 us -> 2.5 us). Multiplications are Fp's own (they do not branch).
//
// (Lazy reduction, with double-width products and one Montgomery reduction per output coordinate,
// was tried for the Fp6 product and the sparse line product: with portable 64x64 multiplications
// it lost to Fp's mulx/adx Montgomery product called 18 times, so it is not used.)
#pragma once

#include <cstddef>
#include <cstdint>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "engine/field/fp2.hpp"

namespace kzg::ops {

namespace detail {

// a + b + carry_in with the carry out; a - b - borrow_in with the borrow out. The intrinsics give
// plain adc/sbb chains (GCC's code for the same through unsigned __int128 is much worse).
inline std::uint64_t addc(std::uint64_t a, std::uint64_t b, unsigned char& carry) {
#if defined(__x86_64__)
  unsigned long long r;
  carry = _addcarry_u64(carry, a, b, &r);
  return r;
#else
  u128 x = static_cast<u128>(a) + b + carry;
  carry = static_cast<unsigned char>(x >> 64);
  return static_cast<std::uint64_t>(x);
#endif
}
inline std::uint64_t subb(std::uint64_t a, std::uint64_t b, unsigned char& borrow) {
#if defined(__x86_64__)
  unsigned long long r;
  borrow = _subborrow_u64(borrow, a, b, &r);
  return r;
#else
  u128 x = static_cast<u128>(a) - b - borrow;
  borrow = static_cast<unsigned char>((x >> 64) & 1);
  return static_cast<std::uint64_t>(x);
#endif
}

using Raw = Limbs<6>;

}  // namespace detail

// a + b mod p for reduced a, b: the sum (below 2p < 2^384), minus p unless that borrows, chosen by
// a mask.
inline Fp add_mod(const Fp& a, const Fp& b) {
  const detail::Raw& q = FpParams::kModulus;
  detail::Raw s, d, r;
  unsigned char c = 0, bw = 0;
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) s[i] = detail::addc(a.v[i], b.v[i], c);
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) d[i] = detail::subb(s[i], q[i], bw);
  const std::uint64_t keep = 0 - static_cast<std::uint64_t>(bw);  // all ones when s < p
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) r[i] = (s[i] & keep) | (d[i] & ~keep);
  return Fp::from_raw(r);
}

// a - b mod p for reduced a, b: the difference, plus p masked by the borrow.
inline Fp sub_mod(const Fp& a, const Fp& b) {
  const detail::Raw& q = FpParams::kModulus;
  detail::Raw d, r;
  unsigned char bw = 0, c = 0;
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) d[i] = detail::subb(a.v[i], b.v[i], bw);
  const std::uint64_t mask = 0 - static_cast<std::uint64_t>(bw);  // all ones when a < b
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) r[i] = detail::addc(d[i], q[i] & mask, c);
  return Fp::from_raw(r);
}

// -a mod p (zero stays zero).
inline Fp neg_mod(const Fp& a) {
  const detail::Raw& q = FpParams::kModulus;
  std::uint64_t any = 0;
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) any |= a.v[i];
  const std::uint64_t mask = 0 - static_cast<std::uint64_t>(any != 0);
  detail::Raw r;
  unsigned char bw = 0;
#pragma GCC unroll 6
  for (std::size_t i = 0; i < 6; ++i) r[i] = detail::subb(q[i] & mask, a.v[i], bw);
  return Fp::from_raw(r);
}

inline Fp2 add_mod(const Fp2& a, const Fp2& b) { return {add_mod(a.c0, b.c0), add_mod(a.c1, b.c1)}; }
inline Fp2 sub_mod(const Fp2& a, const Fp2& b) { return {sub_mod(a.c0, b.c0), sub_mod(a.c1, b.c1)}; }
inline Fp2 neg_mod(const Fp2& a) { return {neg_mod(a.c0), neg_mod(a.c1)}; }
inline Fp2 dbl_mod(const Fp2& a) { return add_mod(a, a); }
inline Fp2 conjugate_mod(const Fp2& a) { return {a.c0, neg_mod(a.c1)}; }

// Multiplication by xi = 1 + u: (c0 - c1) + (c0 + c1) u.
inline Fp2 mul_by_nonresidue_mod(const Fp2& a) { return {sub_mod(a.c0, a.c1), add_mod(a.c0, a.c1)}; }

// Karatsuba: 3 Fp multiplications. Out of line (fp6.cpp): it inlines Fp's Montgomery multiplication
// (the mulx/adx path and the portable one) three times, and inlined into every caller it made the
// tower code several times larger and the Miller loop slower.
Fp2 mul_mod(const Fp2& a, const Fp2& b);

// (c0 + c1 u)^2 = (c0 + c1)(c0 - c1) + 2 c0 c1 u: 2 Fp multiplications. Inline: it is the inner
// loop of the cyclotomic squarings, where the call measurably cost.
inline Fp2 square_mod(const Fp2& a) {
  const Fp t = a.c0 * a.c1;
  return {add_mod(a.c0, a.c1) * sub_mod(a.c0, a.c1), add_mod(t, t)};
}

}  // namespace kzg::ops
