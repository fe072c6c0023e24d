// Prometheus metrics of kzgd, rendered in the text exposition format (version 0.0.4).
// Label values are bounded: operations come from the engine's fixed list (plus "batch" and "other").
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kzgd {

class Metrics {
 public:
  explicit Metrics(const std::vector<std::string>& operations);

  // One finished HTTP request; `operation` outside the known set is counted as "other".
  void observe_request(const std::string& operation, int status, double seconds);
  void count_shed() { shed_.fetch_add(1, std::memory_order_relaxed); }
  void count_rejected(const std::string& reason);

  struct Gauges {
    std::size_t in_flight = 0;   // requests being handled (parsed, not yet answered)
    std::size_t queued = 0;      // tasks waiting for a worker
    std::size_t busy_workers = 0;
    std::size_t workers = 0;
    bool ready = false;
  };
  std::string render(const Gauges& g) const;

 private:
  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  std::string label_for(const std::string& operation) const;

  std::vector<std::string> operations_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, std::uint64_t> rejected_;
  std::atomic<std::uint64_t> shed_{0};
  double start_time_;
};

}  // namespace kzgd
