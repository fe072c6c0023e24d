// Multi-scalar multiplication on G1: Pippenger's bucket method over the GLV split.
//
// Each scalar k < r splits as k1 + k2 x^2 with 128-bit halves, so n points with 255-bit scalars become 2n
// points (P and [x^2]P = -phi(P), one multiplication each) with 128-bit scalars: half the windows, hence
// half the bucket sums and doublings, for the same number of bucket additions. Digits are signed (buckets
// 1 .. 2^(c-1), the sign applied to the point). Bucket contents are summed in batch-affine form, several
// windows at a time, and the per-window weighted bucket sums likewise (curve/batch_affine.hpp); only the
// final combination of windows uses Jacobian doublings.
#include <algorithm>
#include <cstdlib>

#include "engine/curve/batch_affine.hpp"
#include "engine/curve/batch_affine_ifma.hpp"
#include "engine/curve/g1.hpp"
#include "engine/curve/g1_endomorphism.hpp"
#include "engine/curve/msm_pippenger.hpp"

namespace kzg {
namespace {

// Below this many points, one GLV multiplication per point beats setting up buckets.
constexpr std::size_t kPerPointBelow = 4;
// Digits sorted into buckets at a time (several windows together): enough for large batches and few
// rounds, small enough for the work area to stay in cache.
constexpr std::size_t kGroupEntries = std::size_t{1} << 15;
// The split halves are below 2^128: with c-bit signed digits, ceil(129 / c) windows absorb the last carry.
constexpr unsigned kHalfBits = 128;

unsigned windows_for(unsigned c) { return (kHalfBits + c) / c; }

// Window width minimising windows * (points + 2^c): one bucket addition per point and about two per
// bucket (the weighted bucket sum) in every window.
unsigned choose_window(std::size_t points) {
  unsigned best = 2;
  double best_cost = 1e300;
  for (unsigned c = 2; c <= 16; ++c) {
    const double cost = windows_for(c) * (static_cast<double>(points) + static_cast<double>(1u << c));
    if (cost < best_cost) {
      best_cost = cost;
      best = c;
    }
  }
  return best;
}

// c bits of a 128-bit integer from bit position `bit` (zero past the top).
std::uint64_t window_bits(const Limbs<2>& k, std::size_t bit, unsigned c) {
  if (bit >= 128) return 0;
  const std::size_t limb = bit / 64, shift = bit % 64;
  std::uint64_t v = k[limb] >> shift;
  if (shift + c > 64 && limb == 0) v |= k[1] << (64 - shift);
  return v & ((std::uint64_t{1} << c) - 1);
}

G1Projective msm_per_point(std::span<const G1Affine> points, std::span<const Fr> scalars) {
  G1Projective acc{};
  for (std::size_t i = 0; i < points.size(); ++i) acc += g1_mul(G1Projective::from_affine(points[i]), scalars[i]);
  return acc;
}

// Buffers reused from call to call on each thread (see batch_affine::Workspace).
struct MsmScratch {
  std::vector<Limbs<2>> halves;
  std::vector<std::int16_t> digits;
  std::vector<std::uint32_t> offsets, refs, cursor;
};

}  // namespace

namespace msm_detail {

template <class Backend>
G1Projective pippenger(std::span<const G1Affine> points, std::span<const Fr> scalars) {
  using batch_affine::reuse;
  using Point = typename Backend::Point;
  thread_local MsmScratch scratch;
  batch_affine::Workspace<Backend>& ws = batch_affine::thread_workspace<Backend>();
  const std::size_t n = points.size();
  const std::size_t m = 2 * n;  // bases after the split: P_i, then [x^2]P_i
  const std::span<Limbs<2>> halves = reuse(scratch.halves, m);
  for (std::size_t i = 0; i < n; ++i) {
    if (points[i].infinity) {  // zero scalars: the identity bases are never referenced
      halves[i] = halves[n + i] = Limbs<2>{};
      continue;
    }
    const auto [k1, k2] = g1_endomorphism::split(scalars[i].to_canonical());
    halves[i] = k1;
    halves[n + i] = k2;
  }
  const std::span<Point> bases = reuse(ws.points, m);
  Backend::glv_bases(bases, points);

  const unsigned c = choose_window(m);
  const std::size_t windows = windows_for(c);
  const std::int32_t half = std::int32_t{1} << (c - 1);
  // Signed digits in [-2^(c-1), 2^(c-1)], window-major.
  const std::span<std::int16_t> digits = reuse(scratch.digits, windows * m);
  for (std::size_t i = 0; i < m; ++i) {
    std::int32_t carry = 0;
    for (std::size_t w = 0; w < windows; ++w) {
      std::int32_t d = static_cast<std::int32_t>(window_bits(halves[i], w * c, c)) + carry;
      carry = d > half ? 1 : 0;
      d -= carry << c;
      digits[w * m + i] = static_cast<std::int16_t>(d);
    }
  }

  // Bucket b of window w (holding the points with digit +-(b + 1)) is buckets[w * half + b].
  // Every bucket is written by its group's sum_bucket_lists.
  const std::span<Point> buckets = reuse(ws.buckets, windows * static_cast<std::size_t>(half));
  // Windows per group, balanced so that no group is a small remainder (small batches waste inversions).
  const std::size_t groups =
      (windows + std::max<std::size_t>(1, kGroupEntries / m) - 1) / std::max<std::size_t>(1, kGroupEntries / m);
  const std::size_t group = (windows + groups - 1) / groups;
  std::vector<std::uint32_t>& offsets = scratch.offsets;
  std::vector<std::uint32_t>& refs = scratch.refs;
  std::vector<std::uint32_t>& cursor = scratch.cursor;
  for (std::size_t w0 = 0; w0 < windows; w0 += group) {
    const std::size_t w1 = std::min(windows, w0 + group);
    const std::size_t nb = (w1 - w0) * static_cast<std::size_t>(half);
    // Counting sort of the group's non-zero digits by bucket.
    offsets.assign(nb + 1, 0);
    for (std::size_t w = w0; w < w1; ++w) {
      const std::int16_t* d = &digits[w * m];
      const std::size_t bucket0 = (w - w0) * static_cast<std::size_t>(half);
      for (std::size_t i = 0; i < m; ++i)
        if (d[i] != 0) ++offsets[bucket0 + static_cast<std::size_t>(std::abs(d[i]))];
    }
    for (std::size_t b = 0; b < nb; ++b) offsets[b + 1] += offsets[b];
    refs.resize(offsets[nb]);
    cursor.assign(offsets.begin(), offsets.end() - 1);
    for (std::size_t w = w0; w < w1; ++w) {
      const std::int16_t* d = &digits[w * m];
      const std::size_t bucket0 = (w - w0) * static_cast<std::size_t>(half);
      for (std::size_t i = 0; i < m; ++i) {
        if (d[i] == 0) continue;
        const std::size_t b = bucket0 + static_cast<std::size_t>(std::abs(d[i])) - 1;
        refs[cursor[b]++] = batch_affine::signed_ref(static_cast<std::uint32_t>(i), d[i] < 0);
      }
    }
    batch_affine::sum_bucket_lists<Backend>(buckets.subspan(w0 * static_cast<std::size_t>(half), nb), bases, refs,
                                            offsets, /*accumulate=*/false, ws);
  }

  std::vector<G1Projective> window_sums(windows);
  batch_affine::weighted_bucket_sums<Backend>(window_sums, buckets, static_cast<std::size_t>(half), ws);
  G1Projective result = window_sums[windows - 1];
  for (std::size_t w = windows - 1; w-- > 0;) {
    for (unsigned i = 0; i < c; ++i) result = result.dbl();
    result += window_sums[w];
  }
  return result;
}

template G1Projective pippenger<batch_affine::PortableBackend>(std::span<const G1Affine>, std::span<const Fr>);
#ifdef KZG_HAVE_IFMA
template G1Projective pippenger<batch_affine::IfmaBackend>(std::span<const G1Affine>, std::span<const Fr>);
#endif

}  // namespace msm_detail

G1Projective g1_msm(std::span<const G1Affine> points, std::span<const Fr> scalars) {
  const std::size_t n = std::min(points.size(), scalars.size());
  points = points.first(n);
  scalars = scalars.first(n);
  if (n < kPerPointBelow) return msm_per_point(points, scalars);
#ifdef KZG_HAVE_IFMA
  if (batch_affine::IfmaBackend::available()) return msm_detail::pippenger<batch_affine::IfmaBackend>(points, scalars);
#endif
  return msm_detail::pippenger<batch_affine::PortableBackend>(points, scalars);
}

}  // namespace kzg
