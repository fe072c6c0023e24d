#include "service/diagnostics/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace kzgd {
namespace {

TEST(LatencyHistogram, BucketsCoverEveryValueWithBoundedWidth) {
  for (std::uint64_t v : {0ull, 1ull, 63ull, 64ull, 65ull, 127ull, 128ull, 1000ull, 123456789ull, 1ull << 40, ~0ull}) {
    const unsigned b = LatencyHistogram::bucket_of(v);
    ASSERT_LT(b, LatencyHistogram::kBuckets) << v;
    const auto lower = LatencyHistogram::bucket_lower(b);
    const auto width = LatencyHistogram::bucket_width(b);
    EXPECT_LE(lower, v) << v;
    EXPECT_LE(v - lower, width - 1) << v;
    if (v >= 64) {
      EXPECT_LE(static_cast<double>(width) / static_cast<double>(lower), 1.0 / 64) << v;
    }
  }
}

TEST(LatencyHistogram, PercentilesAreNearestRankWithinResolution) {
  LatencyHistogram h;
  EXPECT_EQ(h.percentile(0.5), 0u);
  for (std::uint64_t v = 1; v <= 10000; ++v) h.record(v * 1000);
  EXPECT_EQ(h.count(), 10000u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_EQ(h.max(), 10000000u);
  for (double q : {0.5, 0.9, 0.95, 0.99}) {
    const double exact = std::ceil(q * 10000) * 1000;
    EXPECT_NEAR(static_cast<double>(h.percentile(q)), exact, exact / 128) << q;
  }
  EXPECT_EQ(h.percentile(1.0), 10000000u);
}

}  // namespace
}  // namespace kzgd
