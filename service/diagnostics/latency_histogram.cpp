#include "service/diagnostics/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kzgd {

unsigned LatencyHistogram::bucket_of(std::uint64_t v) {
  if (v < kSubBuckets) return static_cast<unsigned>(v);
  const unsigned e = 63u - static_cast<unsigned>(std::countl_zero(v));  // floor(log2 v) >= kSubBucketBits
  const unsigned shift = e - kSubBucketBits;
  const unsigned mantissa = static_cast<unsigned>(v >> shift) & (kSubBuckets - 1);
  return kSubBuckets + shift * kSubBuckets + mantissa;
}

std::uint64_t LatencyHistogram::bucket_lower(unsigned b) {
  if (b < kSubBuckets) return b;
  const unsigned shift = (b - kSubBuckets) / kSubBuckets;
  const std::uint64_t mantissa = (b - kSubBuckets) % kSubBuckets;
  return (kSubBuckets + mantissa) << shift;
}

std::uint64_t LatencyHistogram::bucket_width(unsigned b) {
  return b < kSubBuckets ? 1 : std::uint64_t{1} << ((b - kSubBuckets) / kSubBuckets);
}

void LatencyHistogram::record(std::uint64_t nanos) {
  ++buckets_[bucket_of(nanos)];
  ++count_;
  sum_ += nanos;
  min_ = std::min(min_, nanos);
  max_ = std::max(max_, nanos);
}

std::uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = std::max<std::uint64_t>(
      1, std::min<std::uint64_t>(count_, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)))));
  std::uint64_t seen = 0;
  for (unsigned b = 0; b < kBuckets; ++b) {
    seen += buckets_[b];
    if (seen >= rank) {
      const std::uint64_t middle = bucket_lower(b) + bucket_width(b) / 2;
      return std::clamp(middle, min(), max_);
    }
  }
  return max_;
}

}  // namespace kzgd
