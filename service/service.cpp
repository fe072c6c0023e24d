#include "service.hpp"

#include <thread>

namespace kzgd {

unsigned worker_threads(const ServiceConfig& config) {
  if (config.workers.threads != 0) return config.workers.threads;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

Service::Service(const ServiceConfig& config, const OperationBackend& backend, Logger& logger)
    : config_(config),
      logger_(logger),
      state_(backend),
      diagnostics_(config, backend, logger),
      instrumented_(backend, diagnostics_.profiler(), diagnostics_.tracer()),
      pool_(worker_threads(config), config.workers.queue_limit),
      admission_(pool_, metrics_, state_),
      ready_(state_),
      metrics_endpoint_(metrics_, [this] { return snapshot(); }),
      operation_(instrumented_, admission_),
      batch_(instrumented_, admission_, metrics_, config.limits.max_batch_items),
      debug_(diagnostics_),
      router_(RouteEndpoints{health_, ready_, metrics_endpoint_, batch_, operation_, debug_}, backend),
      api_(router_, metrics_, logger_, config.limits.max_body_bytes, &diagnostics_.tracer()) {
  metrics_.add_collector([this] { return diagnostics_.collect_metrics(); });
  HttpServerOptions options;
  options.listen = config.server.listen;
  options.io_threads = config.server.io_threads;
  options.max_body_bytes = config.limits.max_body_bytes;
  options.idle_timeout = std::chrono::milliseconds(static_cast<long long>(config.server.idle_timeout_seconds * 1000));
  options.request_timeout =
      std::chrono::milliseconds(static_cast<long long>(config.server.request_timeout_seconds * 1000));
  server_ = std::make_unique<HttpServer>(
      options, [this](HttpRequest&& request, RequestInfo info, Responder respond) {
        api_.handle(std::move(request), std::move(info), std::move(respond));
      });
}

Service::~Service() {
  pool_.stop();
  server_->stop();
}

kzg::Result<ListenAddress> Service::start() { return server_->start(); }

bool Service::shutdown(std::chrono::milliseconds grace) {
  state_.start_draining();
  if (config_.shutdown.drain_delay_seconds > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(config_.shutdown.drain_delay_seconds));
  server_->drain();
  const bool finished = server_->wait_until_idle(grace);
  pool_.stop();
  server_->stop();
  return finished;
}

RuntimeSnapshot Service::snapshot() const {
  RuntimeSnapshot s;
  s.work_in_flight = pool_.running();
  s.work_queued = pool_.queued();
  s.workers_threads = pool_.threads();
  s.workers_queue_limit = pool_.queue_limit();
  s.connections_open = server_ ? server_->connections_open() : 0;
  s.ready = state_.ready();
  return s;
}

}  // namespace kzgd
