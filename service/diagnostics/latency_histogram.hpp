// LatencyHistogram: durations in nanoseconds counted in log-linear buckets (64 per power of two), so that a
// percentile read from it is within 0.8% of the exact one whatever the range (1 ns to centuries), in a
// fixed 30 KiB. Count, sum, min and max are exact.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

namespace kzgd {

class LatencyHistogram {
 public:
  void record(std::uint64_t nanos);

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0; }
  // The nearest-rank percentile (q in (0, 1]): the middle of the bucket holding the ceil(q * count)-th smallest
  // value, clamped to [min, max]. 0 when empty.
  std::uint64_t percentile(double q) const;

  static constexpr unsigned kSubBucketBits = 6;
  static constexpr unsigned kSubBuckets = 1u << kSubBucketBits;
  static constexpr unsigned kBuckets = kSubBuckets + (64 - kSubBucketBits) * kSubBuckets;
  static unsigned bucket_of(std::uint64_t nanos);
  static std::uint64_t bucket_lower(unsigned bucket);
  static std::uint64_t bucket_width(unsigned bucket);

 private:
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
};

}  // namespace kzgd
