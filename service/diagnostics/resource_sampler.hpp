// ResourceSampler: a background thread that samples memory and CPU every diagnostics.sample_interval_seconds,
// keeps the peak of the allocated bytes (glibc has none), and logs one warning when the resident set goes over
// diagnostics.memory_warn_bytes (again only after it has come back under).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "service/diagnostics/process_usage.hpp"
#include "service/logging/logger.hpp"

namespace kzgd {

struct ResourceSample {
  MemoryUsage memory;
  std::uint64_t allocated_peak_bytes = 0;
  CpuUsage cpu;  // over the last interval (zeros until two samples exist)
  double cpu_interval_seconds = 0;
  unsigned cores = 1;
  std::chrono::system_clock::time_point taken{};
};

class ResourceSampler {
 public:
  // logger may be null (no warnings). The first sample is taken at once.
  ResourceSampler(std::chrono::milliseconds interval, std::uint64_t memory_warn_bytes, Logger* logger);
  ~ResourceSampler();
  ResourceSampler(const ResourceSampler&) = delete;
  ResourceSampler& operator=(const ResourceSampler&) = delete;

  ResourceSample latest() const;
  // Samples now (the thread does it every interval).
  void sample();

 private:
  void run();

  const std::chrono::milliseconds interval_;
  const std::uint64_t memory_warn_bytes_;
  Logger* logger_;
  const double ticks_per_second_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool over_warning_ = false;
  ResourceSample latest_;
  std::optional<CpuTicks> last_ticks_;
  std::chrono::steady_clock::time_point last_ticks_at_{};
  std::thread thread_;
};

}  // namespace kzgd
