// The debug endpoints, for operators (docs/diagnostics.md); admin only (api/debug_access.hpp), else 403.
//   GET /debug/memory   heap allocated now and at its peak, resident set and its peak, the thresholds
//   GET /debug/cpu      process and machine CPU use over the last sampling interval
//   GET /debug/profile  per operation: count, min/mean/max/p50/p95/p99 since start and over the window
//   GET /debug/health   every health check with its value and threshold; 200 when all pass, else 503
//   GET /debug/tracing  the span exporter: exported, dropped, failures, queue, circuit breaker
// Answered on the I/O thread; /debug/health runs the engine's self-test there (a few milliseconds).
#pragma once

#include "api/endpoint.hpp"
#include "diagnostics/diagnostics.hpp"

namespace kzgd {

class DebugEndpoint : public Endpoint {
 public:
  explicit DebugEndpoint(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}
  void handle(Exchange&& exchange) override;

  // The paths served, for the router and the 404 message.
  static bool serves(std::string_view path);

 private:
  Diagnostics& diagnostics_;
};

}  // namespace kzgd
