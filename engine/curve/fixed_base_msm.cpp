#include "curve/fixed_base_msm.hpp"

#include <thread>

namespace kzg {
namespace {

constexpr std::size_t kBatch = 1024;

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
    : c_(window), n_(points.size()), windows_((256 + window - 1) / window) {
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
  AffineBucketAccumulator acc(std::size_t{1} << (c_ - 1));
  for (std::size_t i = 0; i < n; ++i) {
    const Scalar k = scalars[i].to_canonical();
    std::int32_t carry = 0;
    for (std::size_t w = 0; w < windows_; ++w) {
      const std::int32_t d = signed_digit(k, c_, w, carry);
      if (d > 0) acc.add(static_cast<std::size_t>(d - 1), table_[w * n_ + i]);
      if (d < 0) acc.add(static_cast<std::size_t>(-d - 1), -table_[w * n_ + i]);
    }
  }
  acc.flush();
  return acc.weighted_sum();
}

AffineBucketAccumulator::AffineBucketAccumulator(std::size_t num_buckets)
    : buckets_(num_buckets), busy_(num_buckets, 0) {
  batch_.reserve(kBatch);
  denom_.resize(kBatch);
}

void AffineBucketAccumulator::add(std::size_t b, const G1Affine& p) {
  if (p.infinity) return;
  if (busy_[b]) {
    deferred_.push_back({static_cast<std::uint32_t>(b), p});
    return;
  }
  if (buckets_[b].infinity) {
    buckets_[b] = p;
    return;
  }
  busy_[b] = 1;
  batch_.push_back({static_cast<std::uint32_t>(b), p});
  if (batch_.size() == kBatch) run_batch();
}

void AffineBucketAccumulator::run_batch() {
  const std::size_t m = batch_.size();
  // lambda = (y2 - y1) / (x2 - x1); equal x (doubling or cancellation) takes the Jacobian path below.
  for (std::size_t i = 0; i < m; ++i) denom_[i] = batch_[i].point.x - buckets_[batch_[i].bucket].x;
  batch_inverse(denom_.data(), denom_.data(), m);
  for (std::size_t i = 0; i < m; ++i) {
    G1Affine& q = buckets_[batch_[i].bucket];
    const G1Affine& p = batch_[i].point;
    if (denom_[i].is_zero()) {
      q = (G1Projective::from_affine(q) + p).to_affine();
    } else {
      const Fp lambda = (p.y - q.y) * denom_[i];
      const Fp x3 = lambda.square() - q.x - p.x;
      q.y = lambda * (q.x - x3) - q.y;
      q.x = x3;
    }
    busy_[batch_[i].bucket] = 0;
  }
  batch_.clear();
}

void AffineBucketAccumulator::flush() {
  while (!batch_.empty() || !deferred_.empty()) {
    run_batch();
    std::vector<Pending> again;
    again.swap(deferred_);
    for (const auto& e : again) add(e.bucket, e.point);
  }
}

G1Projective AffineBucketAccumulator::weighted_sum() {
  G1Projective running{}, sum{};
  for (std::size_t b = buckets_.size(); b-- > 0;) {
    running += buckets_[b];
    sum += running;
  }
  return sum;
}

}  // namespace kzg
