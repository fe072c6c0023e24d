// Profiler: per operation, how long the engine took: count, min, mean, max, p50, p95 and p99, since start
// (a LatencyHistogram: percentiles within 0.8%) and over a sliding window (the exact durations of the last
// `window`, at most max_window_samples of them per operation, the oldest leaving first).
//
// The clock is injected so that the tests control the window; record() is called from worker threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "service/diagnostics/latency_histogram.hpp"

namespace kzgd {

// Durations in seconds.
struct LatencySummary {
  std::uint64_t count = 0;
  double min = 0, mean = 0, max = 0, p50 = 0, p95 = 0, p99 = 0;
};

struct OperationProfile {
  std::string operation;
  LatencySummary since_start;
  LatencySummary window;
};

class Profiler {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  explicit Profiler(std::chrono::seconds window = std::chrono::seconds(60), Now now = Clock::now,
                    std::size_t max_window_samples = 100000);

  void record(std::string_view operation, std::chrono::nanoseconds duration);

  // Every operation recorded so far, by name.
  std::vector<OperationProfile> snapshot() const;
  std::chrono::seconds window() const { return window_; }

 private:
  struct Sample {
    Clock::time_point at;
    std::uint64_t nanos;
  };
  struct Entry {
    LatencyHistogram since_start;
    std::deque<Sample> recent;
  };
  void expire(Entry& e, Clock::time_point now) const;

  const std::chrono::seconds window_;
  const Now now_;
  const std::size_t max_window_samples_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Entry, std::less<>> entries_;
};

// {"window_seconds": 60, "operations": [{"operation", "since_start": {...}, "window": {...}}]}, durations in
// milliseconds (count, min_ms, mean_ms, max_ms, p50_ms, p95_ms, p99_ms).
nlohmann::json profile_json(const std::vector<OperationProfile>& profiles, std::chrono::seconds window);

}  // namespace kzgd
