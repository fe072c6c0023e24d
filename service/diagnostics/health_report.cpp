#include "service/diagnostics/health_report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace kzgd {
namespace {

std::string mib(double bytes) {
  std::ostringstream o;
  o.precision(1);
  o << std::fixed << bytes / (1024.0 * 1024.0) << " MiB";
  return o.str();
}

std::string percent(double p) {
  std::ostringstream o;
  o.precision(1);
  o << std::fixed << p << "%";
  return o.str();
}

HealthCheck memory_check(const HealthThresholds& t, const HealthMeasurements& m) {
  const auto rss = static_cast<double>(m.resources.memory.resident_bytes);
  const auto limit = static_cast<double>(t.memory_limit_bytes);
  HealthCheck c{"memory", rss <= limit, rss, limit, "bytes", ""};
  c.message = "resident " + mib(rss) + (c.ok ? " within " : " over ") + "diagnostics.memory_limit_bytes " + mib(limit);
  return c;
}

HealthCheck cpu_check(const HealthThresholds& t, const HealthMeasurements& m) {
  const double used = m.resources.cpu.process_ratio * 100;
  HealthCheck c{"cpu", used <= t.cpu_max_percent, used, t.cpu_max_percent, "percent", ""};
  c.message = "process " + percent(used) + " of " + std::to_string(m.resources.cores) + " cores" +
              (c.ok ? " within " : " over ") + "diagnostics.cpu_max_percent " + percent(t.cpu_max_percent);
  return c;
}

HealthCheck disk_check(const HealthThresholds& t, const HealthMeasurements& m) {
  const auto min_free = static_cast<double>(t.disk_min_free_bytes);
  if (!m.disk)
    return {"disk", false, 0, min_free, "bytes", "cannot read the file system of diagnostics.disk_path " + t.disk_path};
  const auto free = static_cast<double>(m.disk->free_bytes);
  HealthCheck c{"disk", free >= min_free, free, min_free, "bytes", ""};
  c.message = mib(free) + " free at " + t.disk_path + (c.ok ? ", at least " : ", under ") +
              "diagnostics.disk_min_free_bytes " + mib(min_free);
  return c;
}

HealthCheck fd_check(const HealthThresholds& t, const HealthMeasurements& m) {
  const double limit = static_cast<double>(m.fds.limit);
  const double allowed = std::floor(limit * t.fd_max_percent / 100);
  const auto open = static_cast<double>(m.fds.open);
  HealthCheck c{"fds", open <= allowed, open, allowed, "descriptors", ""};
  c.message = std::to_string(m.fds.open) + " open of a limit of " + std::to_string(m.fds.limit) +
              (c.ok ? "; at most " : "; over ") + "diagnostics.fd_max_percent " + percent(t.fd_max_percent);
  return c;
}

HealthCheck self_test_check(const HealthMeasurements& m) {
  HealthCheck c{"self_test", !m.self_test.has_value(), m.self_test_seconds, 0, "seconds", ""};
  c.message = m.self_test ? "engine known-answer test failed: " + m.self_test->message
                          : "engine known-answer test passed (commitment and proof checked)";
  return c;
}

}  // namespace

HealthReport build_health_report(const HealthThresholds& t, const HealthMeasurements& m) {
  HealthReport r;
  r.checks = {memory_check(t, m), cpu_check(t, m), disk_check(t, m), fd_check(t, m), self_test_check(m)};
  r.healthy = std::all_of(r.checks.begin(), r.checks.end(), [](const HealthCheck& c) { return c.ok; });
  return r;
}

nlohmann::json health_json(const HealthReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : report.checks)
    checks.push_back({{"name", c.name},
                      {"ok", c.ok},
                      {"value", c.value},
                      {"threshold", c.threshold},
                      {"unit", c.unit},
                      {"message", c.message}});
  nlohmann::json out = {{"status", report.healthy ? "healthy" : "unhealthy"}, {"checks", std::move(checks)}};
  if (!report.dependencies.is_null()) out["dependencies"] = report.dependencies;
  return out;
}

}  // namespace kzgd
