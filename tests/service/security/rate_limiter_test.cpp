#include "service/security/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

TEST(RateLimiter, BurstThenRefusalWithRetryAfterThenRefill) {
  RateLimiter limiter(16);
  const RateTier tier{10, 5};  // 10 tokens per second, bucket of 5
  for (int i = 0; i < 5; ++i) {
    const auto d = limiter.take("a", tier, 1, t0);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4 - i);
    EXPECT_EQ(d.limit, 5);
  }
  const auto refused = limiter.take("a", tier, 1, t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_DOUBLE_EQ(refused.retry_after_seconds, 0.1);  // one token at 10 per second
  EXPECT_DOUBLE_EQ(refused.reset_seconds, 0.5);
  EXPECT_FALSE(limiter.take("a", tier, 1, t0 + milliseconds(50)).allowed);
  EXPECT_TRUE(limiter.take("a", tier, 1, t0 + milliseconds(100)).allowed);
  // Another client has its own bucket.
  EXPECT_TRUE(limiter.take("b", tier, 5, t0).allowed);
  // A long idle time refills to the burst, not beyond.
  EXPECT_EQ(limiter.take("a", tier, 1, t0 + std::chrono::hours(1)).remaining, 4);
}

TEST(RateLimiter, WeightedCostsAndDebtForRequestsLargerThanTheBurst) {
  RateLimiter limiter(16);
  const RateTier tier{1, 100};
  // Light requests: 60 of cost 1 leave 40.
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(limiter.take("light", tier, 1, t0).allowed);
  EXPECT_TRUE(limiter.take("light", tier, 1, t0).allowed);
  // One heavy request (cost 200 > burst) passes on a full bucket and leaves it 100 in debt.
  const auto heavy = limiter.take("heavy", tier, 200, t0);
  EXPECT_TRUE(heavy.allowed);
  EXPECT_EQ(heavy.remaining, 0);
  EXPECT_DOUBLE_EQ(heavy.reset_seconds, 200);
  const auto after = limiter.take("heavy", tier, 1, t0);
  EXPECT_FALSE(after.allowed);
  EXPECT_DOUBLE_EQ(after.retry_after_seconds, 101);  // from -100 to +1 at one per second
  // The next heavy one waits for a full bucket: 200 s of refill from -100.
  EXPECT_FALSE(limiter.take("heavy", tier, 200, t0 + std::chrono::seconds(199)).allowed);
  EXPECT_TRUE(limiter.take("heavy", tier, 200, t0 + std::chrono::seconds(200)).allowed);
}

TEST(RateLimiter, ThousandsOfClientsStayWithinTheBoundAndFullBucketsAreEvicted) {
  RateLimiter limiter(100);
  const RateTier tier{10, 20};
  // 10,000 distinct clients, one request each, two milliseconds apart: each bucket refills to full 0.1 s
  // after its request, so the least recently used ones are evicted to make room.
  for (int i = 0; i < 10000; ++i) {
    const auto d = limiter.take("client-" + std::to_string(i), tier, 1, t0 + milliseconds(2 * i));
    ASSERT_TRUE(d.allowed) << i;
    ASSERT_LE(limiter.bucket_count(), 100u) << i;
  }
  EXPECT_EQ(limiter.bucket_count(), 100u);
}

TEST(RateLimiter, AFloodOfFreshAddressesDoesNotLockOutANewClient) {
  RateLimiter limiter(1000);
  const RateTier tier{1, 10};
  // A client being limited: it keeps sending, so it stays among the recently used.
  ASSERT_TRUE(limiter.take("limited", tier, 10, t0).allowed);
  // 50,000 spoofed addresses, each spending its whole burst (every bucket in debt or empty).
  for (int i = 0; i < 50000; ++i) {
    ASSERT_TRUE(limiter.take("spoof-" + std::to_string(i), tier, 10, t0).allowed) << i;
    if (i % 500 == 0) {
      EXPECT_FALSE(limiter.take("limited", tier, 1, t0).allowed) << i;
    }
    ASSERT_LE(limiter.bucket_count(), 1000u);
  }
  // A brand-new address gets a full bucket of its own, not a share of the flood's.
  const auto fresh = limiter.take("newcomer", tier, 1, t0);
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 9);
  // And the flood did not reset the client that kept sending.
  EXPECT_FALSE(limiter.take("limited", tier, 1, t0).allowed);
}

TEST(RateLimiter, ABatchCostingMoreThanTheBurstPassesOnAFullBucketAndItsRetryAfterIsHonest) {
  const RateTier tier{1000, 2000};
  {
    // Arrival charge 1, then 2,100 tokens of items with the arrival counted: passes on a full bucket.
    RateLimiter limiter(16);
    ASSERT_TRUE(limiter.take("c", tier, 1, t0).allowed);
    const auto big = limiter.take("c", tier, 2100, t0, 1);
    EXPECT_TRUE(big.allowed);
    EXPECT_EQ(big.remaining, 0);  // 101 in debt
  }
  // Refused for its items on a part-full bucket: Retry-After is when the retry (arrival again) passes.
  const auto refused_then_retried = [&](milliseconds delay) {
    RateLimiter limiter(16);
    EXPECT_TRUE(limiter.take("d", tier, 1, t0).allowed);     // 1999 left
    EXPECT_TRUE(limiter.take("d", tier, 1000, t0).allowed);  // 999 left
    const auto refused = limiter.take("d", tier, 2100, t0, 1);
    EXPECT_FALSE(refused.allowed);
    EXPECT_DOUBLE_EQ(refused.retry_after_seconds, 1.001);  // to 2000 before the arrival charge
    const auto retry = t0 + delay;
    return limiter.take("d", tier, 1, retry).allowed && limiter.take("d", tier, 2100, retry, 1).allowed;
  };
  EXPECT_TRUE(refused_then_retried(milliseconds(1001)));
  EXPECT_FALSE(refused_then_retried(milliseconds(991)));
}

TEST(RateLimiter, TiersParse) {
  const auto tiers = parse_rate_tiers(" bulk=20000/40000, trial = 0.5/2 ");
  ASSERT_TRUE(tiers.ok()) << tiers.error().message;
  ASSERT_EQ(tiers->size(), 2u);
  EXPECT_EQ((*tiers)[0].first, "bulk");
  EXPECT_EQ((*tiers)[0].second.rate, 20000);
  EXPECT_EQ((*tiers)[0].second.burst, 40000);
  EXPECT_EQ((*tiers)[1].first, "trial");
  EXPECT_EQ((*tiers)[1].second.rate, 0.5);
  const auto none = parse_rate_tiers("");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
  for (const char* bad : {"bulk", "bulk=1", "bulk=0/1", "bulk=1/-1", "=1/1", "a.b=1/1", "a=1/1,a=2/2", "a=x/1"}) {
    const auto r = parse_rate_tiers(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "rate_limit.tiers");
  }
}

}  // namespace
}  // namespace kzgd
