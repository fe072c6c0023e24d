#include "service/api/endpoints/debug_endpoints.hpp"

#include <array>

#include "service/api/codecs/responses.hpp"
#include "service/api/endpoints/debug_access.hpp"

namespace kzgd {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> kPaths = {"/debug/memory", "/debug/cpu", "/debug/profile", "/debug/health",
                                                    "/debug/tracing"};

std::string iso_time(std::chrono::system_clock::time_point t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json memory_json(const ResourceSample& r, const ServiceConfig::Diagnostics& c) {
  return {{"allocated_bytes", r.memory.allocated_bytes},
          {"allocated_peak_bytes", r.allocated_peak_bytes},
          {"resident_bytes", r.memory.resident_bytes},
          {"resident_peak_bytes", r.memory.resident_peak_bytes},
          {"warn_bytes", c.memory_warn_bytes},
          {"limit_bytes", c.memory_limit_bytes},
          {"sampled_at", iso_time(r.taken)}};
}

json cpu_json(const ResourceSample& r) {
  return {{"process_cores", r.cpu.process_cores},       {"process_percent", r.cpu.process_ratio * 100},
          {"system_percent", r.cpu.system_ratio * 100}, {"cores", r.cores},
          {"interval_seconds", r.cpu_interval_seconds}, {"sampled_at", iso_time(r.taken)}};
}

json tracing_json(const Tracer& tracer) {
  const SpanExporter* e = tracer.exporter();
  if (e == nullptr) return {{"enabled", false}};
  const auto& o = e->options();
  return {{"enabled", true},
          {"collector", "http://" + o.collector.host + ":" + std::to_string(o.collector.port) + o.collector.target},
          {"exported_spans", e->exported()},
          {"dropped_spans", e->dropped()},
          {"failed_exports", e->failed_exports()},
          {"retries", e->retries()},
          {"queued_spans", e->queued()},
          {"queue_size", o.queue_size},
          {"breaker", std::string(to_string(e->breaker().state()))},
          {"breaker_opened", e->breaker().times_opened()}};
}

}  // namespace

void DebugEndpoint::health(Exchange&& ex) {
  const unsigned version = ex.version();
  const auto answer = [version](Exchange& e, const HealthReport& report) {
    e.respond(
        json_response(report.healthy ? HttpStatus::ok : HttpStatus::service_unavailable, health_json(report), version));
  };
  {
    std::lock_guard lock(mutex_);
    if (latest_ && std::chrono::steady_clock::now() - latest_at_ < kHealthInterval) {
      const auto recent = latest_;
      return answer(ex, *recent);
    }
  }
  auto shared = std::make_shared<Exchange>(std::move(ex));
  switch (start_run([shared, answer](const HealthReport& report) { answer(*shared, report); })) {
    case Run::queued:
      return;
    case Run::already_running: {
      std::shared_ptr<const HealthReport> recent;
      {
        std::lock_guard lock(mutex_);
        recent = latest_;
      }
      if (recent) return answer(*shared, *recent);
      // The first run is still going: nothing to show yet.
      return shared->respond(error_response(
          kzg::make_error(kzg::ErrorCode::health_check_running, "a health check is running; retry in a second"),
          version));
    }
    case Run::queue_full:
      return shared->respond(error_response(
          kzg::make_error(kzg::ErrorCode::overloaded, "the work queue is full; the health check could not run"),
          version));
  }
}

DebugEndpoint::Run DebugEndpoint::start_run(std::function<void(const HealthReport&)> then) {
  {
    std::lock_guard lock(mutex_);
    if (running_) return Run::already_running;
    running_ = true;
  }
  const bool queued = pool_.try_submit([this, then = std::move(then)] {
    auto report = std::make_shared<const HealthReport>(diagnostics_.health());
    {
      std::lock_guard lock(mutex_);
      latest_ = report;
      latest_at_ = std::chrono::steady_clock::now();
      running_ = false;
    }
    then(*report);
  });
  if (queued) return Run::queued;
  std::lock_guard lock(mutex_);
  running_ = false;
  return Run::queue_full;
}

void DebugEndpoint::refresh_every(std::chrono::milliseconds interval) {
  refresher_ = std::jthread([this, interval](const std::stop_token& stop) {
    std::mutex m;
    std::condition_variable_any wake;
    std::unique_lock lock(m);
    for (;;) {
      wake.wait_for(lock, stop, interval, [] { return false; });
      if (stop.stop_requested()) return;
      start_run([](const HealthReport&) {});  // skipped while a run is going or the queue is full
    }
  });
}

bool DebugEndpoint::serves(std::string_view path) {
  for (auto p : kPaths)
    if (p == path) return true;
  return false;
}

void DebugEndpoint::handle(Exchange&& ex) {
  const unsigned version = ex.version();
  if (auto denied = debug_access_denied(ex.request, ex.info, ex.api_key != nullptr))
    return ex.respond(error_response(*denied, version));
  const std::string_view target(ex.request.target().data(), ex.request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/debug/memory") {
    diagnostics_.resources().sample();
    return ex.respond(
        json_response(HttpStatus::ok, memory_json(diagnostics_.resources().latest(), diagnostics_.config()), version));
  }
  if (path == "/debug/cpu")
    return ex.respond(json_response(HttpStatus::ok, cpu_json(diagnostics_.resources().latest()), version));
  if (path == "/debug/profile")
    return ex.respond(json_response(
        HttpStatus::ok, profile_json(diagnostics_.profiler().snapshot(), diagnostics_.profiler().window()), version));
  if (path == "/debug/health") return health(std::move(ex));
  if (path == "/debug/tracing")
    return ex.respond(json_response(HttpStatus::ok, tracing_json(diagnostics_.tracer()), version));
  std::string list;
  for (auto p : kPaths) list += (list.empty() ? "" : ", ") + std::string(p);
  ex.respond(error_response(kzg::make_error(kzg::ErrorCode::not_found,
                                            "no such debug path: " + std::string(path) + " (see " + list + ")", "path"),
                            version));
}

}  // namespace kzgd
