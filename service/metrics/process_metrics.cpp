#include "service/metrics/process_metrics.hpp"

#include <unistd.h>

#include <vector>

#include "service/diagnostics/process_usage.hpp"

namespace kzgd {
namespace {

prometheus::MetricFamily single(const char* name, const char* help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  family.metric.push_back(metric);
  return family;
}

}  // namespace

std::vector<prometheus::MetricFamily> collect_process_metrics() {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  if (const auto stat = read_process_stat()) {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    out.push_back(single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                         MetricType::Counter, static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks));
    out.push_back(single("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
                         static_cast<double>(stat->resident_pages) * static_cast<double>(sysconf(_SC_PAGESIZE))));
    out.push_back(single("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
                         static_cast<double>(stat->virtual_bytes)));
    if (const auto boot = boot_time_seconds())
      out.push_back(single("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                           MetricType::Gauge, *boot + static_cast<double>(stat->start_ticks) / ticks));
  }
  const FdUsage fds = read_fd_usage();
  out.push_back(
      single("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, static_cast<double>(fds.open)));
  if (fds.limit != 0)
    out.push_back(single("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
                         static_cast<double>(fds.limit)));
  return out;
}

}  // namespace kzgd
