#include "service/diagnostics/diagnostics.hpp"

#include <chrono>

namespace kzgd {
namespace {

using prometheus::MetricFamily;
using prometheus::MetricType;

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

MetricFamily gauge(const char* name, const char* help, double value) {
  MetricFamily f{name, help, MetricType::Gauge, {}};
  prometheus::ClientMetric m;
  m.gauge.value = value;
  f.metric.push_back(m);
  return f;
}

MetricFamily counter(const char* name, const char* help, double value) {
  MetricFamily f{name, help, MetricType::Counter, {}};
  prometheus::ClientMetric m;
  m.counter.value = value;
  f.metric.push_back(m);
  return f;
}

void add_summary(MetricFamily& f, const std::string& operation, const std::string& window, const LatencySummary& s) {
  prometheus::ClientMetric m;
  m.label = {{"operation", operation}, {"window", window}};
  m.summary.sample_count = s.count;
  m.summary.sample_sum = s.mean * static_cast<double>(s.count);
  m.summary.quantile = {{0.5, s.p50}, {0.95, s.p95}, {0.99, s.p99}};
  f.metric.push_back(m);
}

}  // namespace

std::unique_ptr<SpanExporter> make_span_exporter(const ServiceConfig::Tracing& t) {
  if (t.endpoint.empty()) return nullptr;
  const auto url = parse_collector_url(t.endpoint);
  if (!url) return nullptr;  // validated at load; unreachable
  SpanExporterOptions o;
  o.collector = *url;
  o.ca_file = t.ca_file;
  o.service_version = KZGD_VERSION;
  o.queue_size = t.queue_size;
  o.batch_size = t.batch_size;
  o.batch_delay = millis(t.batch_delay_seconds);
  o.timeout = millis(t.timeout_seconds);
  o.max_retries = t.max_retries;
  o.retry_base = millis(t.retry_backoff_seconds);
  o.retry_cap = std::max(o.retry_base, millis(t.batch_delay_seconds * 10));
  o.breaker_failures = t.breaker_failures;
  o.breaker_open_for = millis(t.breaker_reset_seconds);
  return std::make_unique<SpanExporter>(o);
}

Diagnostics::Diagnostics(const ServiceConfig& config, const OperationBackend& backend, Logger& logger)
    : config_(config.diagnostics),
      backend_(backend),
      profiler_(std::chrono::seconds(config.diagnostics.profile_window_seconds)),
      resources_(millis(config.diagnostics.sample_interval_seconds), config.diagnostics.memory_warn_bytes, &logger),
      tracer_(make_span_exporter(config.tracing), config.tracing.sample_ratio) {}

HealthReport Diagnostics::health() {
  HealthThresholds t;
  t.memory_limit_bytes = config_.memory_limit_bytes;
  t.cpu_max_percent = config_.cpu_max_percent;
  t.disk_path = config_.disk_path;
  t.disk_min_free_bytes = config_.disk_min_free_bytes;
  t.fd_max_percent = config_.fd_max_percent;
  resources_.sample();
  HealthMeasurements m;
  m.resources = resources_.latest();
  m.fds = read_fd_usage();
  m.disk = read_disk_space(config_.disk_path);
  const auto start = std::chrono::steady_clock::now();
  m.self_test = backend_.self_test();
  m.self_test_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  HealthReport report = build_health_report(t, m);
  if (dependencies_) report.dependencies = dependencies_();
  std::lock_guard lock(health_mutex_);
  last_health_ = report;
  return report;
}

std::vector<MetricFamily> Diagnostics::collect_metrics() const {
  std::vector<MetricFamily> out;
  const ResourceSample r = resources_.latest();
  out.push_back(gauge("kzgd_memory_allocated_bytes", "Heap bytes in use (glibc mallinfo2), at the last sample.",
                      static_cast<double>(r.memory.allocated_bytes)));
  out.push_back(gauge("kzgd_memory_allocated_peak_bytes", "Highest heap bytes in use seen by the sampler.",
                      static_cast<double>(r.allocated_peak_bytes)));
  out.push_back(gauge("kzgd_memory_resident_peak_bytes", "Peak resident set size (VmHWM).",
                      static_cast<double>(r.memory.resident_peak_bytes)));
  out.push_back(gauge("kzgd_cpu_process_ratio", "CPU used by kzgd over the last sample, as a share of all cores.",
                      r.cpu.process_ratio));
  out.push_back(gauge("kzgd_cpu_system_ratio", "CPU used by the whole machine over the last sample (0 to 1).",
                      r.cpu.system_ratio));

  MetricFamily latency{"kzgd_operation_latency_seconds",
                       "Engine call latency by operation, since start and over the profiler's window.",
                       MetricType::Summary,
                       {}};
  const std::string window = std::to_string(profiler_.window().count()) + "s";
  for (const auto& p : profiler_.snapshot()) {
    add_summary(latency, p.operation, "start", p.since_start);
    add_summary(latency, p.operation, window, p.window);
  }
  if (!latency.metric.empty()) out.push_back(std::move(latency));

  const SpanExporter* e = tracer_.exporter();
  out.push_back(counter("kzgd_tracing_spans_exported_total", "Spans the collector accepted.",
                        e ? static_cast<double>(e->exported()) : 0));
  out.push_back(counter("kzgd_tracing_spans_dropped_total",
                        "Spans dropped: queue full, collector failing or circuit breaker open.",
                        e ? static_cast<double>(e->dropped()) : 0));
  out.push_back(counter("kzgd_tracing_export_failures_total", "Export batches that failed after their retries.",
                        e ? static_cast<double>(e->failed_exports()) : 0));
  out.push_back(counter("kzgd_tracing_export_retries_total", "Export requests retried.",
                        e ? static_cast<double>(e->retries()) : 0));
  out.push_back(
      gauge("kzgd_tracing_queue_spans", "Spans waiting for export.", e ? static_cast<double>(e->queued()) : 0));
  out.push_back(gauge("kzgd_tracing_breaker_open", "1 while the exporter's circuit breaker is open.",
                      e && e->breaker().state() == CircuitBreaker::State::open ? 1 : 0));

  std::lock_guard lock(health_mutex_);
  if (!last_health_.checks.empty()) {
    MetricFamily health{
        "kzgd_health_check_ok", "1 when the check passed at the last GET /debug/health.", MetricType::Gauge, {}};
    for (const auto& c : last_health_.checks) {
      prometheus::ClientMetric m;
      m.label = {{"check", c.name}};
      m.gauge.value = c.ok ? 1 : 0;
      health.metric.push_back(m);
    }
    out.push_back(std::move(health));
  }
  return out;
}

}  // namespace kzgd
