#include "curve/batch_affine_ifma.hpp"

#ifdef KZG_HAVE_IFMA
#include <immintrin.h>

#include <algorithm>
#include <array>

#include "curve/g1_endomorphism.hpp"

// GCC 12's AVX-512 headers build some intrinsics on deliberately undefined vectors, which -Wmaybe-uninitialized
// reports once they are inlined (GCC bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// The helpers' loops over limbs are unrolled (#pragma GCC unroll) so that limb vectors stay in registers.
// Functions using AVX-512 intrinsics are compiled for that target alone; callers reach them only after
// available() said yes.
#define KZG_IFMA __attribute__((target("avx512f,avx512ifma")))
#define KZG_IFMA_INLINE KZG_IFMA __attribute__((always_inline)) inline

namespace kzg::batch_affine {
namespace {

using u64 = std::uint64_t;
using Limbs52 = std::array<u64, 8>;
constexpr u64 kMask52 = (u64{1} << 52) - 1;

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

constexpr Limbs52 kP = to_radix52(Fp::modulus());
constexpr Limbs52 k2P = to_radix52(times_p(2));
constexpr u64 kInv52 = Fp::kC.inv & kMask52;                // -p^-1 mod 2^52
constexpr Limbs52 kOne = to_radix52(pow2_mod_p(416));       // 1 in R' form
constexpr Limbs52 kToRPrime = to_radix52(pow2_mod_p(448));  // x R -> x R': times 2^448 / 2^416
constexpr Limbs52 kToR = to_radix52(pow2_mod_p(384));       // x R' -> x R: times 2^384 / 2^416
constexpr Limbs52 kZero{};

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

// y coordinates, negated (p - y) in the lanes of `negate`.
KZG_IFMA_INLINE F8 gather_signed(const u64* const rows[8], __mmask8 negate) {
  const F8 y = gather(rows);
  return negate ? blend(negate, y, sub(splat(kP), y, Limbs52{})) : y;
}

KZG_IFMA_INLINE F8 load(const IfmaBackend::Lanes& s) {
  F8 r;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) r.l[j] = _mm512_load_si512(s.v + 8 * j);
  return r;
}
KZG_IFMA_INLINE void store(IfmaBackend::Lanes& s, const F8& a) {
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) _mm512_store_si512(s.v + 8 * j, a.l[j]);
}

// Scalar helpers on the point format.

// How many additions ahead of use a batch prefetches its operands.
constexpr std::size_t kPrefetchAhead = 8;

inline void prefetch_line(const void* p) { __builtin_prefetch(p); }
bool same(const u64* a, const u64* b) {
  u64 diff = 0;
  for (int j = 0; j < 8; ++j) diff |= a[j] ^ b[j];
  return diff == 0;
}

// p - y for canonical y != 0, on 52-bit limbs.
void negate_limbs(u64* y) {
  std::int64_t borrow = 0;
  for (int j = 0; j < 8; ++j) {
    const std::int64_t d = static_cast<std::int64_t>(kP[j]) - static_cast<std::int64_t>(y[j]) - borrow;
    borrow = d < 0 ? 1 : 0;
    y[j] = static_cast<u64>(d + (borrow << 52));
  }
}

// Inverts each lane of a[0] and a[1] (all non-zero) into out: one scalar inversion for the sixteen values by
// Montgomery's trick.
KZG_IFMA void invert_lanes(const F8 a[2], F8 out[2]) {
  alignas(64) u64 rows[16][8];
  u64* const row_ptrs[2][8] = {{rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]},
                               {rows[8], rows[9], rows[10], rows[11], rows[12], rows[13], rows[14], rows[15]}};
  for (int h = 0; h < 2; ++h) scatter(row_ptrs[h], reduce_below_2p(mul(a[h], splat(kToR))));
  Fp v[16], prefix[16];
  Fp acc = Fp::one();
  for (int i = 0; i < 16; ++i) {
    v[i] = Fp::from_raw(from_radix52(rows[i]));
    prefix[i] = acc;
    acc *= v[i];
  }
  Fp inv = acc.inverse();
  for (int i = 16; i-- > 0;) {
    const Limbs52 r = to_radix52((prefix[i] * inv).v);
    std::copy(r.begin(), r.end(), rows[i]);
    inv *= v[i];
  }
  for (int h = 0; h < 2; ++h) out[h] = reduce_below_2p(mul(gather(row_ptrs[h]), splat(kToRPrime)));
}

}  // namespace

bool IfmaBackend::available() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
  return has;
}

IfmaBackend::Point IfmaBackend::signed_copy(const Point& p, bool negate) {
  Point r = p;
  if (negate && !is_identity(p)) negate_limbs(r.y);
  return r;
}

KZG_IFMA void IfmaBackend::from_affine(std::span<Point> out, std::span<const G1Affine> in) {
  const F8 to_r_prime = splat(kToRPrime);
  for (std::size_t base = 0; base < in.size(); base += 8) {
    const std::size_t count = std::min<std::size_t>(8, in.size() - base);
    alignas(64) u64 xs[8][8] = {}, ys[8][8] = {};
    for (std::size_t i = 0; i < count; ++i) {
      const Limbs52 x = to_radix52(in[base + i].x.v), y = to_radix52(in[base + i].y.v);
      std::copy(x.begin(), x.end(), xs[i]);
      std::copy(y.begin(), y.end(), ys[i]);
    }
    u64* const x_rows[8] = {xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]};
    u64* const y_rows[8] = {ys[0], ys[1], ys[2], ys[3], ys[4], ys[5], ys[6], ys[7]};
    scatter(x_rows, reduce_below_2p(mul(gather(x_rows), to_r_prime)));
    scatter(y_rows, reduce_below_2p(mul(gather(y_rows), to_r_prime)));
    for (std::size_t i = 0; i < count; ++i) {
      Point& p = out[base + i];
      if (in[base + i].infinity) {
        p = identity();
        continue;
      }
      std::copy(xs[i], xs[i] + 8, p.x);
      std::copy(ys[i], ys[i] + 8, p.y);
    }
  }
}

KZG_IFMA void IfmaBackend::glv_bases(std::span<Point> out, std::span<const G1Affine> in) {
  const std::size_t n = in.size();
  from_affine(out.first(n), in);
  // beta in R' form: beta R * 2^32 R / R.
  static const Limbs52 beta = to_radix52((g1_endomorphism::beta() * Fp::from_u64(u64{1} << 32)).v);
  const F8 beta8 = splat(beta);
  for (std::size_t base = 0; base < n; base += 8) {
    const std::size_t count = std::min<std::size_t>(8, n - base);
    alignas(64) u64 xs[8][8] = {};
    for (std::size_t i = 0; i < count; ++i) std::copy(out[base + i].x, out[base + i].x + 8, xs[i]);
    u64* const x_rows[8] = {xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]};
    scatter(x_rows, reduce_below_2p(mul(gather(x_rows), beta8)));
    for (std::size_t i = 0; i < count; ++i) {
      const Point& p = out[base + i];
      Point& q = out[n + base + i];
      if (is_identity(p)) {
        q = identity();
        continue;
      }
      std::copy(xs[i], xs[i] + 8, q.x);
      std::copy(p.y, p.y + 8, q.y);
      negate_limbs(q.y);
    }
  }
}

KZG_IFMA void IfmaBackend::to_affine(std::span<G1Affine> out, std::span<const Point> in) {
  const F8 to_r = splat(kToR);
  for (std::size_t base = 0; base < in.size(); base += 8) {
    const std::size_t count = std::min<std::size_t>(8, in.size() - base);
    alignas(64) u64 xs[8][8] = {}, ys[8][8] = {};
    for (std::size_t i = 0; i < count; ++i) {
      if (is_identity(in[base + i])) continue;  // zero rows
      std::copy(in[base + i].x, in[base + i].x + 8, xs[i]);
      std::copy(in[base + i].y, in[base + i].y + 8, ys[i]);
    }
    u64* const x_rows[8] = {xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]};
    u64* const y_rows[8] = {ys[0], ys[1], ys[2], ys[3], ys[4], ys[5], ys[6], ys[7]};
    scatter(x_rows, reduce_below_2p(mul(gather(x_rows), to_r)));
    scatter(y_rows, reduce_below_2p(mul(gather(y_rows), to_r)));
    for (std::size_t i = 0; i < count; ++i) {
      out[base + i] = is_identity(in[base + i])
                          ? G1Affine::identity()
                          : G1Affine{Fp::from_raw(from_radix52(xs[i])), Fp::from_raw(from_radix52(ys[i])), false};
    }
  }
}

KZG_IFMA void IfmaBackend::Adder::run() {
  if (jobs_.empty()) return;
  // Pass 0: results without arithmetic are computed now (before any write of the batch); the rest go to
  // the vector passes in groups of eight.
  vector_jobs_.clear();
  direct_.clear();
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    if (i + kPrefetchAhead < jobs_.size()) {
      prefetch_line(jobs_[i + kPrefetchAhead].a->x);
      prefetch_line(jobs_[i + kPrefetchAhead].b->x);
    }
    const Job& j = jobs_[i];
    const Point& a = *j.a;
    const Point& b = *j.b;
    if (is_identity(a) || is_identity(b)) {
      direct_.push_back({j.dst, is_identity(a) ? signed_copy(b, j.negate_b) : signed_copy(a, j.negate_a)});
    } else if (!same(a.x, b.x)) {
      vector_jobs_.push_back(j);
    } else if (same(a.y, b.y) == (j.negate_a == j.negate_b) && !same(a.y, kZero.data())) {
      vector_jobs_.push_back(j);
      vector_jobs_.back().doubling = true;
    } else {  // P + (-P), or P + P for P of order 2 (none on G1, whose cofactor is odd)
      direct_.push_back({j.dst, identity()});
    }
  }
  jobs_.clear();
  if (!vector_jobs_.empty()) {
    while (vector_jobs_.size() % 8 != 0) {
      Job pad = vector_jobs_.front();
      pad.dst = &padding_;
      vector_jobs_.push_back(pad);
    }
    const std::size_t blocks = vector_jobs_.size() / 8;
    if (denominator_.size() < blocks) {
      denominator_.resize(blocks);
      prefix_.resize(blocks);
    }
    // Operand rows and lane masks of block k.
    struct Block {
      const u64* xa[8];
      const u64* ya[8];
      const u64* xb[8];
      const u64* yb[8];
      u64* x3[8];
      u64* y3[8];
      __mmask8 negate_a = 0, negate_b = 0, doubling = 0;
    };
    auto block = [&](std::size_t k) {
      Block s;
      for (int i = 0; i < 8; ++i) {
        const Job& j = vector_jobs_[8 * k + static_cast<std::size_t>(i)];
        s.xa[i] = j.a->x;
        s.ya[i] = j.a->y;
        s.xb[i] = j.b->x;
        s.yb[i] = j.b->y;
        s.x3[i] = j.dst->x;
        s.y3[i] = j.dst->y;
        s.negate_a |= static_cast<__mmask8>(j.negate_a ? 1u << i : 0u);
        s.negate_b |= static_cast<__mmask8>(j.negate_b ? 1u << i : 0u);
        s.doubling |= static_cast<__mmask8>(j.doubling ? 1u << i : 0u);
      }
      return s;
    };

    // Pass 1: denominators x_b - x_a (2 y_a for doublings) and their running products, lane by lane, in two
    // chains (even and odd blocks) so that one product's latency overlaps the other's.
    F8 acc[2] = {splat(kOne), splat(kOne)};
    for (std::size_t k = 0; k < blocks; ++k) {
      const Block s = block(k);
      F8 d = sub(gather(s.xb), gather(s.xa), kP);
      if (s.doubling) {
        const F8 ya = gather_signed(s.ya, s.negate_a);
        d = blend(s.doubling, d, add(ya, ya));
      }
      store(prefix_[k], acc[k % 2]);
      store(denominator_[k], d);
      acc[k % 2] = mul(acc[k % 2], d);
    }
    // Pass 2: the inverses, walking back.
    F8 inv[2];
    invert_lanes(acc, inv);
    for (std::size_t k = blocks; k-- > 0;) {
      const F8 d = load(denominator_[k]);
      store(denominator_[k], mul(load(prefix_[k]), inv[k % 2]));
      inv[k % 2] = mul(inv[k % 2], d);
    }
    // Pass 3: lambda = (y_b - y_a) / d (3 x_a^2 / d for doublings), x3 = lambda^2 - x_a - x_b,
    // y3 = lambda (x_a - x3) - y_a, all canonical.
    for (std::size_t k = 0; k < blocks; ++k) {
      if (k + 1 < blocks) {
        for (std::size_t i = 8 * (k + 1); i < 8 * (k + 2); ++i) {
          prefetch_line(vector_jobs_[i].a->x);
          prefetch_line(vector_jobs_[i].a->y);
          prefetch_line(vector_jobs_[i].b->x);
          prefetch_line(vector_jobs_[i].b->y);
        }
      }
      const Block s = block(k);
      const F8 xa = gather(s.xa), xb = gather(s.xb);
      const F8 ya = gather_signed(s.ya, s.negate_a), yb = gather_signed(s.yb, s.negate_b);
      F8 num = sub(yb, ya, kP);
      if (s.doubling) {
        const F8 xx = mul(xa, xa);
        num = blend(s.doubling, num, add(add(xx, xx), xx));
      }
      const F8 lambda = mul(num, load(denominator_[k]));
      const F8 lambda2 = reduce_below_2p(mul(lambda, lambda));
      F8 x3;
      for (int j = 0; j < 8; ++j)
        x3.l[j] = _mm512_sub_epi64(_mm512_add_epi64(lambda2.l[j], splat(k2P[j])), _mm512_add_epi64(xa.l[j], xb.l[j]));
      normalize(x3.l);
      x3 = reduce_below_3p(x3);
      const F8 y3 = reduce_below_3p(sub(mul(lambda, sub(xa, x3, kP)), ya, kP));
      scatter(s.x3, x3);
      scatter(s.y3, y3);
    }
  }
  for (const Direct& d : direct_) *d.dst = d.value;
}

}  // namespace kzg::batch_affine
#endif
