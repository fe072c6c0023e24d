#include "service/diagnostics/profiler.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct FakeClock {
  Profiler::Clock::time_point now{std::chrono::hours(1)};
  Profiler::Now fn() {
    return [this] { return now; };
  }
};

const OperationProfile* find(const std::vector<OperationProfile>& ps, const std::string& op) {
  for (const auto& p : ps)
    if (p.operation == op) return &p;
  return nullptr;
}

TEST(Profiler, WindowStatisticsAreExactForKnownDurations) {
  FakeClock clock;
  Profiler profiler(60s, clock.fn());
  // 1 ms, 2 ms, ..., 100 ms, recorded in a scrambled order.
  for (int i = 0; i < 100; ++i)
    profiler.record("blob_to_kzg_commitment", std::chrono::milliseconds((i * 37) % 100 + 1));
  const auto ps = profiler.snapshot();
  ASSERT_EQ(ps.size(), 1u);
  const auto& w = ps[0].window;
  EXPECT_EQ(w.count, 100u);
  EXPECT_DOUBLE_EQ(w.min, 0.001);
  EXPECT_DOUBLE_EQ(w.max, 0.100);
  EXPECT_NEAR(w.mean, 0.0505, 1e-12);
  EXPECT_DOUBLE_EQ(w.p50, 0.050);  // nearest rank: the 50th of 100
  EXPECT_DOUBLE_EQ(w.p95, 0.095);
  EXPECT_DOUBLE_EQ(w.p99, 0.099);
}

TEST(Profiler, SinceStartPercentilesAreWithinTheHistogramResolution) {
  FakeClock clock;
  Profiler profiler(60s, clock.fn());
  for (int i = 1; i <= 1000; ++i) profiler.record("verify_blob_kzg_proof", std::chrono::microseconds(i * 100));
  const LatencySummary s = profiler.snapshot()[0].since_start;
  EXPECT_EQ(s.count, 1000u);
  EXPECT_DOUBLE_EQ(s.min, 0.0001);  // exact
  EXPECT_DOUBLE_EQ(s.max, 0.1);     // exact
  EXPECT_NEAR(s.mean, 0.05005, 1e-12);
  EXPECT_NEAR(s.p50, 0.050, 0.050 * 0.008);
  EXPECT_NEAR(s.p95, 0.095, 0.095 * 0.008);
  EXPECT_NEAR(s.p99, 0.099, 0.099 * 0.008);
}

TEST(Profiler, TheWindowSlidesWithTheClockAndTheTotalsStay) {
  FakeClock clock;
  Profiler profiler(60s, clock.fn());
  for (int i = 0; i < 10; ++i) profiler.record("compute_blob_kzg_proof", 40ms);
  clock.now += 30s;
  for (int i = 0; i < 5; ++i) profiler.record("compute_blob_kzg_proof", 10ms);
  auto p = profiler.snapshot()[0];
  EXPECT_EQ(p.window.count, 15u);
  EXPECT_DOUBLE_EQ(p.window.max, 0.040);

  clock.now += 31s;  // the first ten are 61 s old, the five 31 s
  p = profiler.snapshot()[0];
  EXPECT_EQ(p.window.count, 5u);
  EXPECT_DOUBLE_EQ(p.window.min, 0.010);
  EXPECT_DOUBLE_EQ(p.window.max, 0.010);
  EXPECT_DOUBLE_EQ(p.window.p99, 0.010);
  EXPECT_EQ(p.since_start.count, 15u);
  EXPECT_DOUBLE_EQ(p.since_start.max, 0.040);
  EXPECT_NEAR(p.since_start.mean, (10 * 0.040 + 5 * 0.010) / 15, 1e-12);

  clock.now += 60s;
  p = profiler.snapshot()[0];
  EXPECT_EQ(p.window.count, 0u);
  EXPECT_EQ(p.window.p50, 0);
  EXPECT_EQ(p.since_start.count, 15u);
}

TEST(Profiler, OperationsAreKeptApartAndTheWindowIsBounded) {
  FakeClock clock;
  Profiler profiler(60s, clock.fn(), 4);
  for (int i = 1; i <= 6; ++i) profiler.record("a", std::chrono::milliseconds(i));
  profiler.record("b", 7ms);
  const auto ps = profiler.snapshot();
  ASSERT_EQ(ps.size(), 2u);
  const auto* a = find(ps, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->window.count, 4u);  // only the 4 most recent
  EXPECT_DOUBLE_EQ(a->window.min, 0.003);
  EXPECT_EQ(a->since_start.count, 6u);
  EXPECT_DOUBLE_EQ(find(ps, "b")->window.p50, 0.007);
}

TEST(Profiler, JsonReportsMilliseconds) {
  FakeClock clock;
  Profiler profiler(60s, clock.fn());
  profiler.record("x", 1500us);
  profiler.record("x", 2500us);
  const auto j = profile_json(profiler.snapshot(), profiler.window());
  EXPECT_EQ(j["window_seconds"], 60);
  const auto& w = j["operations"][0]["window"];
  EXPECT_EQ(j["operations"][0]["operation"], "x");
  EXPECT_EQ(w["count"], 2);
  EXPECT_DOUBLE_EQ(w["min_ms"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(w["mean_ms"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(w["p99_ms"].get<double>(), 2.5);
}

}  // namespace
}  // namespace kzgd
