// Service: kzgd assembled from its parts (worker pool, API chain, HTTP server, metrics) for a configuration
// and a backend. main.cpp runs it on the KZG engine; the tests run it on test backends.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "service/api/api_handler.hpp"
#include "service/api/endpoints/batch_endpoint.hpp"
#include "service/api/endpoints/debug_endpoints.hpp"
#include "service/api/endpoints/operation_endpoint.hpp"
#include "service/api/endpoints/ops_endpoints.hpp"
#include "service/api/filters/security_filters.hpp"
#include "service/api/instrumented_backend.hpp"
#include "service/api/operation_backend.hpp"
#include "service/api/router.hpp"
#include "service/api/service_state.hpp"
#include "service/cache/result_cache.hpp"
#include "service/diagnostics/diagnostics.hpp"
#include "service/grpc/grpc_server.hpp"
#include "service/http/http_server.hpp"
#include "service/logging/logger.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/redis/redis_client.hpp"
#include "service/scheduling/admission.hpp"
#include "service/scheduling/request_coalescer.hpp"
#include "service/scheduling/worker_pool.hpp"
#include "service/service_config.hpp"

namespace kzgd {

class Service {
 public:
  // The backend and the logger must outlive the service.
  Service(const ServiceConfig& config, const OperationBackend& backend, Logger& logger);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Loads the TLS certificate and key when tls.enabled (an error names the tls.* key at fault), listens and
  // serves; the address bound (the port resolved when server.listen asks for port 0).
  kzg::Result<ListenAddress> start();

  // Re-reads what can change without a restart (main.cpp calls it on SIGHUP): the API keys file and the TLS
  // certificate and key. Connections stay open. True when both reloads succeeded (see below).
  bool reload();
  // The API keys file: on failure the old keys stay in force. Logs the outcome; the number of keys (0 with auth
  // off).
  kzg::Result<std::size_t> reload_api_keys();
  // The TLS certificate and key, so that new connections get the new certificate while established ones
  // continue. Logs the outcome; an error (naming the key) leaves the previous certificate in place. Without TLS
  // there is nothing to reload: true.
  bool reload_tls();

  // Graceful shutdown: /ready turns 503; after shutdown.drain_delay_seconds the listener and idle connections
  // close; requests in progress get up to `grace` to finish (their connections close after the answer); then
  // everything stops. True when every request finished in time.
  bool shutdown(std::chrono::milliseconds grace);

  // The gRPC listener's address once start() has bound it (nullopt with grpc.enabled false).
  std::optional<ListenAddress> grpc_address() const { return grpc_address_; }

  ServiceMetrics& metrics() { return metrics_; }
  const SecurityFilters& security() const { return security_; }
  const ServiceState& state() const { return state_; }
  Diagnostics& diagnostics() { return diagnostics_; }
  RedisClient* redis() { return redis_.get(); }
  ResultCache* cache() { return cache_.get(); }

 private:
  RuntimeSnapshot snapshot() const;

  HttpServerOptions server_options();

  const ServiceConfig config_;
  Logger& logger_;
  std::shared_ptr<TlsContext> tls_;  // when tls.enabled, from start()
  ServiceMetrics metrics_;
  // What the configuration asks for but cannot be had (an unreadable secret): start() answers it.
  std::optional<kzg::Error> config_error_;
  // Redis (redis.url) and the result cache (cache.*), before everything that uses them; the Redis client's
  // background thread is stopped first in ~Service.
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<ResultCache> cache_;
  bool redis_started_ = false;
  ServiceState state_;
  // Diagnostics before the pool and the server: the workers' engine calls report to them.
  Diagnostics diagnostics_;
  InstrumentedBackend instrumented_;
  // The server is declared before the pool so that the pool is destroyed first: its tasks hold responders
  // that post into the server's I/O context.
  std::unique_ptr<HttpServer> server_;
  WorkerPool pool_;
  Admission admission_;
  std::vector<std::unique_ptr<RequestCoalescer>> coalescers_;
  HealthEndpoint health_;
  ReadyEndpoint ready_;
  MetricsEndpoint metrics_endpoint_;
  OpenApiEndpoint openapi_;
  OperationEndpoint operation_;
  BatchEndpoint batch_;
  DebugEndpoint debug_;
  Router router_;
  SecurityFilters security_;
  ApiHandler api_;
  // Last, so it goes first: its calls run through everything above.
  std::unique_ptr<GrpcServer> grpc_;
  std::optional<ListenAddress> grpc_address_;
};

// workers.threads resolved: 0 means one per CPU core.
unsigned worker_threads(const ServiceConfig& config);
// The overload manager's settings (workers.*) for the pool.
WorkerPool::Options pool_options(const ServiceConfig& config);

}  // namespace kzgd
