#include "curve/fixed_base_msm.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "curve/batch_affine.hpp"

namespace kzg {
namespace {

// Digits sorted into buckets at a time (a group of windows); bounds the work area of the bucket sums.
constexpr std::size_t kGroupEntries = std::size_t{1} << 15;

// Signed base-2^c digit of scalar k at window w, with the running carry.
std::int32_t signed_digit(const Scalar& k, unsigned c, std::size_t w, std::int32_t& carry) {
  const std::size_t bit = w * c;
  std::uint64_t v = 0;
  if (bit < 256) {
    const std::size_t limb = bit / 64, shift = bit % 64;
    v = k[limb] >> shift;
    if (shift + c > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - shift);
    v &= (std::uint64_t{1} << c) - 1;
  }
  std::int32_t d = static_cast<std::int32_t>(v) + carry;
  carry = 0;
  if (d > (1 << (c - 1))) {
    d -= 1 << c;
    carry = 1;
  }
  return d;
}

}  // namespace

G1FixedBaseMsm::G1FixedBaseMsm(std::span<const G1Affine> points, unsigned window)
    : c_(std::clamp(window, 2u, 15u)), n_(points.size()), windows_((256 + c_ - 1) / c_) {
  table_.resize(n_ * windows_);
  std::vector<G1Projective> proj(n_ * windows_);
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < n_; i += step) {
      G1Projective p = G1Projective::from_affine(points[i]);
      for (std::size_t w = 0; w < windows_; ++w) {
        proj[w * n_ + i] = p;
        for (unsigned b = 0; b < c_; ++b) p = p.dbl();
      }
    }
  };
  const std::size_t threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& t : pool) t.join();
  g1_batch_to_affine(table_, proj);
}

G1Projective G1FixedBaseMsm::msm(std::span<const Fr> scalars) const {
  const std::size_t n = std::min(n_, scalars.size());
  if (n == 0) return G1Projective::identity();
  const std::size_t half = std::size_t{1} << (c_ - 1);
  // Signed digits, laid out like the table ([w * n_ + i]; zero past the scalars given).
  std::vector<std::int16_t> digits(windows_ * n_);
  for (std::size_t i = 0; i < n; ++i) {
    const Scalar k = scalars[i].to_canonical();
    std::int32_t carry = 0;
    for (std::size_t w = 0; w < windows_; ++w)
      digits[w * n_ + i] = static_cast<std::int16_t>(signed_digit(k, c_, w, carry));
  }
  // All windows share the buckets; a group of windows at a time is sorted by bucket and summed into them.
  std::vector<G1Affine> buckets(half);
  batch_affine::Workspace& ws = batch_affine::thread_workspace();
  const std::size_t group = std::max<std::size_t>(1, kGroupEntries / n_);
  std::vector<std::uint32_t> offsets, refs, cursor;
  for (std::size_t w0 = 0; w0 < windows_; w0 += group) {
    const std::size_t w1 = std::min(windows_, w0 + group);
    offsets.assign(half + 1, 0);
    for (std::size_t t = w0 * n_; t < w1 * n_; ++t)
      if (digits[t] != 0 && !table_[t].infinity) ++offsets[static_cast<std::size_t>(std::abs(digits[t]))];
    for (std::size_t b = 0; b < half; ++b) offsets[b + 1] += offsets[b];
    refs.resize(offsets[half]);
    cursor.assign(offsets.begin(), offsets.end() - 1);
    for (std::size_t t = w0 * n_; t < w1 * n_; ++t) {
      if (digits[t] == 0 || table_[t].infinity) continue;
      const std::size_t b = static_cast<std::size_t>(std::abs(digits[t])) - 1;
      refs[cursor[b]++] = batch_affine::signed_ref(static_cast<std::uint32_t>(t), digits[t] < 0);
    }
    batch_affine::sum_bucket_lists(buckets, table_, refs, offsets, /*accumulate=*/true, ws);
  }
  G1Projective sum;
  batch_affine::weighted_bucket_sums(std::span(&sum, 1), buckets, half, ws.adder);
  return sum;
}

}  // namespace kzg
