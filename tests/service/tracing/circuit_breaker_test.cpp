#include "service/tracing/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <set>

#include "service/tracing/retry_backoff.hpp"

namespace kzgd {
namespace {

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndRecoversAfterATrial) {
  CircuitBreaker b(3, 10s);
  CircuitBreaker::Clock::time_point t{std::chrono::hours(5)};
  EXPECT_TRUE(b.allow(t));
  b.record_failure(t);
  b.record_failure(t);
  b.record_success();  // resets the run of failures
  b.record_failure(t);
  b.record_failure(t);
  EXPECT_EQ(b.state(), State::closed);
  b.record_failure(t);
  EXPECT_EQ(b.state(), State::open);
  EXPECT_EQ(b.times_opened(), 1u);
  EXPECT_FALSE(b.allow(t));
  EXPECT_FALSE(b.allow(t + 9999ms));
  // After open_for: one trial call only.
  EXPECT_TRUE(b.allow(t + 10s));
  EXPECT_EQ(b.state(), State::half_open);
  EXPECT_FALSE(b.allow(t + 10s));
  b.record_success();
  EXPECT_EQ(b.state(), State::closed);
  EXPECT_TRUE(b.allow(t + 10s));
}

TEST(CircuitBreaker, AFailedTrialOpensItAgainForAFullPeriod) {
  CircuitBreaker b(1, 5s);
  CircuitBreaker::Clock::time_point t{std::chrono::hours(5)};
  b.record_failure(t);
  EXPECT_EQ(b.state(), State::open);
  ASSERT_TRUE(b.allow(t + 5s));
  b.record_failure(t + 6s);
  EXPECT_EQ(b.state(), State::open);
  EXPECT_EQ(b.times_opened(), 2u);
  EXPECT_FALSE(b.allow(t + 10s));  // 4 s after reopening
  EXPECT_TRUE(b.allow(t + 11s));
  b.record_success();
  EXPECT_EQ(b.state(), State::closed);
}

TEST(RetryBackoff, GrowsExponentiallyWithJitterUpToTheCap) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    for (unsigned attempt = 0; attempt < 8; ++attempt) {
      const auto d = retry_delay(attempt, 100ms, 2000ms, rng);
      const long long full = std::min(100ll << attempt, 2000ll);
      EXPECT_GE(d.count(), full / 2) << attempt;
      EXPECT_LE(d.count(), full) << attempt;
    }
  }
  // The jitter spreads the delays.
  std::set<long long> seen;
  for (int i = 0; i < 50; ++i) seen.insert(retry_delay(3, 100ms, 2000ms, rng).count());
  EXPECT_GT(seen.size(), 10u);
}

}  // namespace
}  // namespace kzgd
