#include "engine/curve/batch_affine_ifma.hpp"

#ifdef KZG_HAVE_IFMA
#include <algorithm>
#include <array>

#include "engine/curve/g1_endomorphism.hpp"
#include "engine/curve/ifma_fp.hpp"

// Functions using AVX-512 intrinsics are compiled for that target alone; callers reach them only after
// available() said yes.
namespace kzg::ifma {

bool cpu_has_ifma() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
  return has;
}

}  // namespace kzg::ifma

namespace kzg::batch_affine {
namespace {

using namespace ifma;  // NOLINT(google-build-using-namespace): the lane arithmetic this backend is written in

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

bool IfmaBackend::available() { return ifma::cpu_has_ifma(); }

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
