// Diagnostics: what kzgd knows about itself, owned by the Service: the resource sampler (memory, CPU), the
// profiler (engine call latencies), the tracer (spans to an OTLP collector) and the health report, plus their
// metrics for GET /metrics.
//
//   kzgd_memory_allocated_bytes, kzgd_memory_allocated_peak_bytes   heap in use (glibc mallinfo2) and its peak
//   kzgd_memory_resident_peak_bytes                                 peak resident set (VmHWM)
//   kzgd_cpu_process_ratio, kzgd_cpu_system_ratio                   CPU use over the last sample, 0..1 of all cores
//   kzgd_operation_latency_seconds{operation,window,quantile}       the profiler (summary: window "60s" or "start")
//   kzgd_tracing_spans_exported_total, kzgd_tracing_spans_dropped_total, kzgd_tracing_export_failures_total,
//   kzgd_tracing_export_retries_total, kzgd_tracing_queue_spans, kzgd_tracing_breaker_open
//   kzgd_health_check_ok{check}                                     1 when the check passed at the last report
#pragma once

#include <prometheus/metric_family.h>

#include <memory>
#include <mutex>
#include <vector>

#include "service/api/operation_backend.hpp"
#include "service/diagnostics/health_report.hpp"
#include "service/diagnostics/profiler.hpp"
#include "service/diagnostics/resource_sampler.hpp"
#include "service/logging/logger.hpp"
#include "service/service_config.hpp"
#include "service/tracing/tracer.hpp"

namespace kzgd {

class Diagnostics {
 public:
  // The backend and the logger must outlive this.
  Diagnostics(const ServiceConfig& config, const OperationBackend& backend, Logger& logger);

  Profiler& profiler() { return profiler_; }
  const Profiler& profiler() const { return profiler_; }
  ResourceSampler& resources() { return resources_; }
  Tracer& tracer() { return tracer_; }
  const ServiceConfig::Diagnostics& config() const { return config_; }

  // Measures and runs every check now (the self-test included).
  HealthReport health();
  // The state of the optional dependencies (Redis), shown beside the checks; a degraded dependency is reported,
  // not failed: kzgd keeps serving without it. Set before serving.
  void set_dependencies(std::function<nlohmann::json()> report) { dependencies_ = std::move(report); }
  std::vector<prometheus::MetricFamily> collect_metrics() const;

 private:
  const ServiceConfig::Diagnostics config_;
  const OperationBackend& backend_;
  Profiler profiler_;
  ResourceSampler resources_;
  Tracer tracer_;
  mutable std::mutex health_mutex_;
  HealthReport last_health_;
  std::function<nlohmann::json()> dependencies_;
};

// The exporter tracing.* describes, or null when tracing.endpoint is empty.
std::unique_ptr<SpanExporter> make_span_exporter(const ServiceConfig::Tracing& tracing);

}  // namespace kzgd
