// Eight Fp elements at a time with AVX-512 IFMA: the lane arithmetic shared by the IFMA batch-affine backend
// (curve/batch_affine_ifma.cpp) and the batched G1 decompression and subgroup checks (curve/g1_batch_ifma.cpp).
//
// An element is eight 52-bit limbs in Montgomery form for R' = 2^416; F8 holds eight of them limb-major (one
// vector per limb, lane i belonging to element i). vpmadd52luq/vpmadd52huq multiply 52-bit limbs into 104-bit
// products. p < 2^381 leaves 35 spare bits, so sums and differences go into products unreduced: each function
// states the bounds it needs. Include only from translation units that call these functions after checking the
// CPU (ifma::cpu_has_ifma()); every function is compiled for AVX-512 alone.
#pragma once

#if !defined(KZG_HAVE_IFMA) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KZG_HAVE_IFMA 1
#endif

#ifdef KZG_HAVE_IFMA
#include <immintrin.h>

#include <array>
#include <cstdint>

#include "engine/field/fp.hpp"

// GCC 12's AVX-512 headers build some intrinsics on deliberately undefined vectors, which -Wmaybe-uninitialized
// and -Wuninitialized report once they are inlined (GCC bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

// The helpers' loops over limbs are unrolled (#pragma GCC unroll) so that limb vectors stay in registers.
#define KZG_IFMA __attribute__((target("avx512f,avx512ifma")))
#define KZG_IFMA_INLINE KZG_IFMA __attribute__((always_inline)) inline

namespace kzg::ifma {

// Whether this CPU has AVX-512F and AVX-512 IFMA (checked once).
bool cpu_has_ifma();

using u64 = std::uint64_t;
using Limbs52 = std::array<u64, 8>;
inline constexpr u64 kMask52 = (u64{1} << 52) - 1;

// 64-bit limbs (value < 2^384) to 52-bit limbs and back.
constexpr Limbs52 to_radix52(const Limbs<6>& a) {
  Limbs52 r{};
  for (std::size_t j = 0; j < 8; ++j) {
    const std::size_t bit = 52 * j, limb = bit / 64, shift = bit % 64;
    u64 v = a[limb] >> shift;
    if (shift > 12 && limb + 1 < 6) v |= a[limb + 1] << (64 - shift);
    r[j] = v & kMask52;
  }
  return r;
}
constexpr Limbs<6> from_radix52(const u64* r) {
  Limbs<6> a{};
  for (std::size_t j = 0; j < 8; ++j) {
    const std::size_t bit = 52 * j, limb = bit / 64, shift = bit % 64;
    a[limb] |= r[j] << shift;
    if (shift > 12 && limb + 1 < 6) a[limb + 1] |= r[j] >> (64 - shift);
  }
  return a;
}

// 2^k mod p as an integer.
constexpr Limbs<6> pow2_mod_p(std::size_t k) {
  Limbs<6> x{};
  x[0] = 1;
  for (std::size_t i = 0; i < k; ++i) x = limbs::double_mod(x, Fp::modulus());
  return x;
}
constexpr Limbs<6> times_p(u64 k) {
  Limbs<6> r{};
  for (u64 i = 0; i < k; ++i) limbs::add(r, r, Fp::modulus());
  return r;
}

inline constexpr Limbs52 kP = to_radix52(Fp::modulus());
inline constexpr Limbs52 k2P = to_radix52(times_p(2));
inline constexpr u64 kInv52 = Fp::kC.inv & kMask52;                // -p^-1 mod 2^52
inline constexpr Limbs52 kOne = to_radix52(pow2_mod_p(416));       // 1 in R' form
inline constexpr Limbs52 kToRPrime = to_radix52(pow2_mod_p(448));  // x R -> x R': times 2^448 / 2^416
inline constexpr Limbs52 kToR = to_radix52(pow2_mod_p(384));       // x R' -> x R: times 2^384 / 2^416
inline constexpr Limbs52 kZero{};

using V = __m512i;
struct F8 {
  V l[8];
};

KZG_IFMA_INLINE V splat(u64 x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
KZG_IFMA_INLINE F8 splat(const Limbs52& c) {
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = splat(c[j]);
  return r;
}

// Carries limbs into 52 bits (signed: limbs may be negative after subtractions; the value is not).
KZG_IFMA_INLINE void normalize(V t[8]) {
  const V mask = splat(kMask52);
#pragma GCC unroll 8
  for (int j = 0; j < 7; ++j) {
    t[j + 1] = _mm512_add_epi64(t[j + 1], _mm512_srai_epi64(t[j], 52));
    t[j] = _mm512_and_si512(t[j], mask);
  }
}

// Montgomery product a b 2^-416 mod p, lane by lane. Inputs have 52-bit limbs and values below 2^400; the
// result, below p + a b 2^-416, is under 2p for such inputs and has 52-bit limbs.
KZG_IFMA_INLINE F8 mul(const F8& a, const F8& b) {
  const V zero = _mm512_setzero_si512();
  const V inv = splat(kInv52);
  V t[9];
#pragma GCC unroll 8
  for (int j = 0; j < 9; ++j) t[j] = zero;
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    const V bi = b.l[i];
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) t[j] = _mm512_madd52lo_epu64(t[j], a.l[j], bi);
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], a.l[j], bi);
    const V m = _mm512_madd52lo_epu64(zero, t[0], inv);  // t + m p == 0 mod 2^52
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) t[j] = _mm512_madd52lo_epu64(t[j], splat(kP[j]), m);
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], splat(kP[j]), m);
    // Divide by 2^52: drop the (zero) low limb, keeping its carry.
    const V carry = _mm512_srli_epi64(t[0], 52);
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) t[j] = t[j + 1];
    t[0] = _mm512_add_epi64(t[0], carry);
    t[8] = zero;
  }
  normalize(t);
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = t[j];
  return r;
}

KZG_IFMA_INLINE F8 add(const F8& a, const F8& b) {
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = _mm512_add_epi64(a.l[j], b.l[j]);
  normalize(r.l);
  return r;
}

// a + c - b, for a constant c (a multiple of p) at least b.
KZG_IFMA_INLINE F8 sub(const F8& a, const F8& b, const Limbs52& c) {
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = _mm512_sub_epi64(_mm512_add_epi64(a.l[j], splat(c[j])), b.l[j]);
  normalize(r.l);
  return r;
}

// a - c for a constant c, and the lanes where that is negative.
KZG_IFMA_INLINE F8 minus_constant(const F8& a, const Limbs52& c, __mmask8& negative) {
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = _mm512_sub_epi64(a.l[j], splat(c[j]));
  normalize(r.l);
  negative = _mm512_cmplt_epi64_mask(r.l[7], _mm512_setzero_si512());
  return r;
}

KZG_IFMA_INLINE F8 blend(__mmask8 take_b, const F8& a, const F8& b) {
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = _mm512_mask_blend_epi64(take_b, a.l[j], b.l[j]);
  return r;
}

// [0, 2p) -> [0, p).
KZG_IFMA_INLINE F8 reduce_below_2p(const F8& a) {
  __mmask8 negative;
  const F8 r = minus_constant(a, kP, negative);
  return blend(negative, r, a);
}

// [0, 3p) -> [0, p).
KZG_IFMA_INLINE F8 reduce_below_3p(const F8& a) {
  __mmask8 neg1, neg2;
  const F8 r1 = minus_constant(a, kP, neg1);
  const F8 r2 = minus_constant(a, k2P, neg2);
  return blend(neg1, blend(neg2, r2, r1), a);
}

// 8x8 transpose of 64-bit elements: rows (one element's limbs each) <-> limb vectors.
KZG_IFMA_INLINE void transpose(V r[8]) {
  V a[8], b[8];
#pragma GCC unroll 8
  for (int i = 0; i < 4; ++i) {
    a[2 * i] = _mm512_unpacklo_epi64(r[2 * i], r[2 * i + 1]);      // columns 0, 2, 4, 6 of rows 2i, 2i+1
    a[2 * i + 1] = _mm512_unpackhi_epi64(r[2 * i], r[2 * i + 1]);  // columns 1, 3, 5, 7
  }
  const V even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
  const V odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
#pragma GCC unroll 8
  for (int h = 0; h < 2; ++h) {  // rows 0-3, then rows 4-7
    const V* s = a + 4 * h;
    b[4 * h + 0] = _mm512_permutex2var_epi64(s[0], even, s[2]);  // columns 0 | 4
    b[4 * h + 1] = _mm512_permutex2var_epi64(s[0], odd, s[2]);   // columns 2 | 6
    b[4 * h + 2] = _mm512_permutex2var_epi64(s[1], even, s[3]);  // columns 1 | 5
    b[4 * h + 3] = _mm512_permutex2var_epi64(s[1], odd, s[3]);   // columns 3 | 7
  }
  r[0] = _mm512_shuffle_i64x2(b[0], b[4], 0x44);
  r[4] = _mm512_shuffle_i64x2(b[0], b[4], 0xee);
  r[2] = _mm512_shuffle_i64x2(b[1], b[5], 0x44);
  r[6] = _mm512_shuffle_i64x2(b[1], b[5], 0xee);
  r[1] = _mm512_shuffle_i64x2(b[2], b[6], 0x44);
  r[5] = _mm512_shuffle_i64x2(b[2], b[6], 0xee);
  r[3] = _mm512_shuffle_i64x2(b[3], b[7], 0x44);
  r[7] = _mm512_shuffle_i64x2(b[3], b[7], 0xee);
}

// Eight elements from rows of 8 limbs (64-byte aligned) into limb vectors, and back.
KZG_IFMA_INLINE F8 gather(const u64* const rows[8]) {
  F8 r;
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) r.l[i] = _mm512_load_si512(rows[i]);
  transpose(r.l);
  return r;
}
KZG_IFMA_INLINE void scatter(u64* const rows[8], F8 a) {
  transpose(a.l);
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) _mm512_store_si512(rows[i], a.l[i]);
}

// k p in 52-bit limbs (the top limb takes what is left), for sub()'s constant: any k while k p < 2^416.
constexpr Limbs52 p_times(u64 k) {
  Limbs52 r{};
  u64 carry = 0;
  for (std::size_t j = 0; j < 8; ++j) {
    const unsigned __int128 t = static_cast<unsigned __int128>(kP[j]) * k + carry;
    r[j] = j == 7 ? static_cast<u64>(t) : static_cast<u64>(t) & kMask52;
    carry = static_cast<u64>(t >> 52);
  }
  return r;
}

}  // namespace kzg::ifma
#endif  // KZG_HAVE_IFMA
