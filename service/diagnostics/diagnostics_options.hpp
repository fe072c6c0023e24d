// The diagnostics' options (diagnostics.*, GET /debug/*, docs/diagnostics.md): sampling, the profiler's window,
// the health checks' thresholds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "service/config/section.hpp"

namespace kzgd {

// The memory thresholds "auto" resolves to as shares of a cgroup limit.
inline constexpr double kMemoryWarnShareOfCgroup = 0.75;
inline constexpr double kMemoryLimitShareOfCgroup = 0.90;

struct DiagnosticsOptions {
  double sample_interval_seconds = 1;    // memory and CPU sampling period
  unsigned profile_window_seconds = 60;  // the profiler's sliding window
  // Resident set above memory_warn_bytes: one warning log line; above memory_limit_bytes: /debug/health fails.
  // "auto" (the default): loading derives them from the cgroup's memory limit when there is one, 75% and 90%
  // of it (so both fire before the kernel's OOM kill); else they stay at 2 GiB and 4 GiB.
  std::uint64_t memory_warn_bytes = 2ull << 30;
  std::uint64_t memory_limit_bytes = 4ull << 30;
  bool memory_warn_auto = true;  // not given explicitly
  bool memory_limit_auto = true;
  std::uint64_t cgroup_memory_max = 0;  // the cgroup limit found at load (0: none); not a key
  double cpu_max_percent = 95;          // process CPU (of all cores) above this: health fails
  std::string disk_path = ".";          // the file system checked for free space (where logs go)
  std::uint64_t disk_min_free_bytes = 100ull << 20;
  double fd_max_percent = 90;           // open descriptors above this share of RLIMIT_NOFILE: fails
  double health_interval_seconds = 30;  // the health checks (self-test included) run this often; 0: only
                                        // on GET /debug/health

  static void declare(config::Section<DiagnosticsOptions>& s);
  // The thresholds left at "auto" become shares of the cgroup's limit when there is one.
  void resolve_memory_thresholds(std::optional<std::uint64_t> cgroup_limit);
};

}  // namespace kzgd
