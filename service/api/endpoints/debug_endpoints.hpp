// The debug endpoints, for operators (docs/diagnostics.md); admin only (service/api/endpoints/debug_access.hpp), else
// 403.
//   GET /debug/memory   heap allocated now and at its peak, resident set and its peak, the thresholds
//   GET /debug/cpu      process and machine CPU use over the last sampling interval
//   GET /debug/profile  per operation: count, min/mean/max/p50/p95/p99 since start and over the window
//   GET /debug/health   every health check with its value and threshold; 200 when all pass, else 503
//   GET /debug/tracing  the span exporter: exported, dropped, failures, queue, circuit breaker
// Answered on the I/O thread, but /debug/health: it runs the engine's self-test (milliseconds of CPU) on a worker,
// one run at a time and at most one a second; requests meanwhile get the latest report.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "service/api/endpoints/endpoint.hpp"
#include "service/diagnostics/diagnostics.hpp"
#include "service/scheduling/worker_pool.hpp"

namespace kzgd {

class DebugEndpoint : public Endpoint {
 public:
  // The least time between two health runs; a request within it gets the latest report.
  static constexpr std::chrono::milliseconds kHealthInterval{1000};

  DebugEndpoint(Diagnostics& diagnostics, WorkerPool& pool) : diagnostics_(diagnostics), pool_(pool) {}
  void handle(Exchange&& exchange) override;

  // Runs the health checks every `interval` on a worker (skipped while one runs or the queue is full), so their
  // metrics stay current. The pool must outlive this object's thread: the Service stops the pool first.
  void refresh_every(std::chrono::milliseconds interval);

  // The paths served, for the router and the 404 message.
  static bool serves(std::string_view path);

 private:
  void health(Exchange&& exchange);
  enum class Run { queued, already_running, queue_full };
  // Queues one run unless one is running; `then` receives its report.
  Run start_run(std::function<void(const HealthReport&)> then);

  Diagnostics& diagnostics_;
  WorkerPool& pool_;
  mutable std::mutex mutex_;
  std::shared_ptr<const HealthReport> latest_;  // the last report, shared with answers in flight
  std::chrono::steady_clock::time_point latest_at_{};
  bool running_ = false;
  std::jthread refresher_;  // last: its destructor stops and joins it before the members it uses go
};

}  // namespace kzgd
