// The operations endpoints, answered on the I/O thread (no crypto):
//   GET /health   200 {"status": "ok"} while the process serves HTTP (liveness)
//   GET /ready    200 {"status": "ready"}, or 503 {"status": "not_ready", "reason": "setup_loading" | "draining"}
//   GET /metrics  the Prometheus text exposition (service/metrics/service_metrics.hpp)
//   GET /openapi.json  the OpenAPI 3.1 document of the API
#pragma once

#include <functional>
#include <string>

#include "service/api/endpoints/endpoint.hpp"
#include "service/api/service_state.hpp"
#include "service/metrics/service_metrics.hpp"

namespace kzgd {

class HealthEndpoint : public Endpoint {
 public:
  void handle(Exchange&& exchange) override;
};

class ReadyEndpoint : public Endpoint {
 public:
  explicit ReadyEndpoint(const ServiceState& state) : state_(state) {}
  void handle(Exchange&& exchange) override;

 private:
  const ServiceState& state_;
};

// GET /openapi.json: the OpenAPI document (service/api/openapi.hpp), generated once.
class OpenApiEndpoint : public Endpoint {
 public:
  OpenApiEndpoint();
  void handle(Exchange&& exchange) override;

 private:
  std::string document_;
};

class MetricsEndpoint : public Endpoint {
 public:
  // snapshot: the values read at scrape time (work queue, connections, readiness).
  MetricsEndpoint(ServiceMetrics& metrics, std::function<RuntimeSnapshot()> snapshot)
      : metrics_(metrics), snapshot_(std::move(snapshot)) {}
  void handle(Exchange&& exchange) override;

 private:
  ServiceMetrics& metrics_;
  std::function<RuntimeSnapshot()> snapshot_;
};

}  // namespace kzgd
