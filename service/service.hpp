// Service: kzgd assembled from its parts (worker pool, API chain, HTTP server, metrics) for a configuration
// and a backend. main.cpp runs it on the KZG engine; the tests run it on test backends.
#pragma once

#include <chrono>
#include <memory>

#include "api/admission.hpp"
#include "api/api_handler.hpp"
#include "api/batch_endpoint.hpp"
#include "api/debug_endpoints.hpp"
#include "api/instrumented_backend.hpp"
#include "api/operation_backend.hpp"
#include "api/operation_endpoint.hpp"
#include "api/ops_endpoints.hpp"
#include "api/router.hpp"
#include "api/service_state.hpp"
#include "config/service_config.hpp"
#include "diagnostics/diagnostics.hpp"
#include "http/http_server.hpp"
#include "observability/logger.hpp"
#include "observability/service_metrics.hpp"
#include "work/worker_pool.hpp"

namespace kzgd {

class Service {
 public:
  // The backend and the logger must outlive the service.
  Service(const ServiceConfig& config, const OperationBackend& backend, Logger& logger);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Listens and serves; the address bound (the port resolved when server.listen asks for port 0).
  kzg::Result<ListenAddress> start();

  // Graceful shutdown: /ready turns 503; after shutdown.drain_delay_seconds the listener and idle connections
  // close; requests in progress get up to `grace` to finish (their connections close after the answer); then
  // everything stops. True when every request finished in time.
  bool shutdown(std::chrono::milliseconds grace);

  ServiceMetrics& metrics() { return metrics_; }
  const ServiceState& state() const { return state_; }
  Diagnostics& diagnostics() { return diagnostics_; }

 private:
  RuntimeSnapshot snapshot() const;

  const ServiceConfig config_;
  Logger& logger_;
  ServiceMetrics metrics_;
  ServiceState state_;
  // Diagnostics before the pool and the server: the workers' engine calls report to them.
  Diagnostics diagnostics_;
  InstrumentedBackend instrumented_;
  // The server is declared before the pool so that the pool is destroyed first: its tasks hold responders
  // that post into the server's I/O context.
  std::unique_ptr<HttpServer> server_;
  WorkerPool pool_;
  Admission admission_;
  HealthEndpoint health_;
  ReadyEndpoint ready_;
  MetricsEndpoint metrics_endpoint_;
  OperationEndpoint operation_;
  BatchEndpoint batch_;
  DebugEndpoint debug_;
  Router router_;
  ApiHandler api_;
};

// workers.threads resolved: 0 means one per CPU core.
unsigned worker_threads(const ServiceConfig& config);

}  // namespace kzgd
