// The health report of GET /debug/health: real checks, each with the value measured and the threshold it is
// held to, so that an operator sees how close to a limit kzgd is, not only whether it passed.
//
//   memory      resident bytes          <= diagnostics.memory_limit_bytes
//   cpu         process CPU, all cores  <= diagnostics.cpu_max_percent (over the last sampling interval)
//   disk        free bytes at diagnostics.disk_path >= diagnostics.disk_min_free_bytes
//   fds         open descriptors        <= diagnostics.fd_max_percent of RLIMIT_NOFILE
//   self_test   the engine's known-answer test (a commitment computed and a proof verified) passes
//
// build_health_report is a pure function of what was measured, so the tests give it any values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "service/diagnostics/process_usage.hpp"
#include "service/diagnostics/resource_sampler.hpp"

namespace kzgd {

struct HealthThresholds {
  std::uint64_t memory_limit_bytes = 0;
  double cpu_max_percent = 95;
  std::string disk_path = ".";
  std::uint64_t disk_min_free_bytes = 0;
  double fd_max_percent = 90;
};

struct HealthCheck {
  std::string name;
  bool ok = false;
  double value = 0;
  double threshold = 0;
  std::string unit;     // bytes, percent, ...
  std::string message;  // what was measured, or what failed, in words
};

struct HealthReport {
  bool healthy = false;
  std::vector<HealthCheck> checks;
  nlohmann::json dependencies = nullptr;  // {"redis": {...}} when configured (Diagnostics::set_dependencies)
};

struct HealthMeasurements {
  ResourceSample resources;
  FdUsage fds;
  std::optional<DiskSpace> disk;        // nullopt: disk_path could not be read
  std::optional<kzg::Error> self_test;  // the self-test's failure, nullopt when it passed
  double self_test_seconds = 0;
};

HealthReport build_health_report(const HealthThresholds& thresholds, const HealthMeasurements& measured);

// {"status": "healthy" | "unhealthy", "checks": [{"name", "ok", "value", "threshold", "unit", "message"}]}, and
// "dependencies" when there are any.
nlohmann::json health_json(const HealthReport& report);

}  // namespace kzgd
