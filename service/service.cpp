#include "service/service.hpp"

#include <thread>

#include "service/security/ip_range.hpp"

namespace kzgd {

namespace {

// One coalescer per operation the backend runs together, when workers.coalesce is on.
std::vector<std::unique_ptr<RequestCoalescer>> make_coalescers(const ServiceConfig& config,
                                                               const OperationBackend& backend, WorkerPool& pool,
                                                               ServiceMetrics& metrics) {
  std::vector<std::unique_ptr<RequestCoalescer>> coalescers;
  if (!config.workers.coalesce) return coalescers;
  for (const std::string& op : backend.operations())
    if (backend.runs_together(op))
      coalescers.push_back(
          std::make_unique<RequestCoalescer>(op, backend, pool, metrics, config.workers.coalesce_max_batch));
  return coalescers;
}

std::vector<RequestCoalescer*> pointers(const std::vector<std::unique_ptr<RequestCoalescer>>& owned) {
  std::vector<RequestCoalescer*> out;
  out.reserve(owned.size());
  for (const auto& c : owned) out.push_back(c.get());
  return out;
}

std::unique_ptr<RedisClient> make_redis(const ServiceConfig& config, ServiceMetrics& metrics, Logger& logger,
                                        std::optional<kzg::Error>& error) {
  if (!config.redis.enabled()) return nullptr;
  auto options = RedisClient::options_from(config.redis);
  if (!options) {
    error = options.error();
    return nullptr;
  }
  return std::make_unique<RedisClient>(std::move(options).value(), metrics.registry(), logger);
}

std::unique_ptr<ResultCache> make_cache(const ServiceConfig& config, RedisClient* redis, ServiceMetrics& metrics,
                                        Logger& logger, std::optional<kzg::Error>& error) {
  if (!config.cache.enabled || config.cache.operations.value.empty()) return nullptr;
  ResultCache::Options options;
  options.config = config.cache;
  options.redis_prefix = config.redis.key_prefix;
  options.write_timeout =
      std::max(RedisClient::Duration(20), RedisClient::Duration(4 * config.redis.command_timeout_ms));
  const bool shared = redis != nullptr && config.cache.shared;
  if (shared) {
    if (config.cache.mac_key_file.empty()) {
      if (!error)
        error = kzg::make_error(kzg::ErrorCode::invalid_config,
                                "the shared cache (redis.url set, cache.shared true) needs a secret the replicas share "
                                "to authenticate its entries: set cache.mac_key_file (or cache.shared: false)",
                                "cache.mac_key_file");
      return nullptr;
    }
    auto key = ResultCache::read_mac_key(config.cache.mac_key_file);
    if (!key) {
      if (!error) error = key.error();
      return nullptr;
    }
    options.mac_key = std::move(key).value();
  }
  return std::make_unique<ResultCache>(std::move(options), shared ? redis : nullptr, metrics.registry(), logger);
}

}  // namespace

unsigned worker_threads(const ServiceConfig& config) {
  if (config.workers.threads != 0) return config.workers.threads;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

WorkerPool::Options pool_options(const ServiceConfig& config) {
  WorkerPool::Options options;
  options.queue_seconds =
      config.workers.queue_cpu_seconds > 0 ? config.workers.queue_cpu_seconds : 10.0 * worker_threads(config);
  options.express_threads = config.workers.express_threads;
  options.express_max_cost = Admission::seconds_of(config.workers.express_max_cost);
  options.worker_nice = 5;  // a worker's CPU share when it competes with an express thread: about a third
  return options;
}

Service::Service(const ServiceConfig& config, const OperationBackend& backend, Logger& logger)
    : config_(config),
      logger_(logger),
      redis_(make_redis(config, metrics_, logger, config_error_)),
      cache_(make_cache(config, redis_.get(), metrics_, logger, config_error_)),
      state_(backend),
      diagnostics_(config, backend, logger),
      instrumented_(backend, diagnostics_.profiler(), diagnostics_.tracer()),
      pool_(worker_threads(config), config.workers.queue_limit, pool_options(config)),
      admission_(pool_, metrics_, state_, config.rate_limit.costs.value, config.limits.deadlines.value),
      coalescers_(make_coalescers(config, instrumented_, pool_, metrics_)),
      ready_(state_),
      metrics_endpoint_(metrics_, [this] { return snapshot(); }),
      operation_(instrumented_, admission_, pointers(coalescers_), cache_.get()),
      batch_(instrumented_, admission_, metrics_, config.limits.max_batch_items),
      debug_(diagnostics_, pool_),
      router_(RouteEndpoints{health_, ready_, metrics_endpoint_, openapi_, batch_, operation_, debug_}, backend),
      security_(config, metrics_, redis_.get()),
      api_(router_, metrics_, logger_, config.limits.max_body_bytes, security_.filters(), &diagnostics_.tracer()) {
  metrics_.add_collector([this] { return diagnostics_.collect_metrics(); });
  if (redis_)
    diagnostics_.set_dependencies([this] {
      nlohmann::json redis = {{"address", redis_->address()},
                              {"state", redis_->up() ? "up" : "down"},
                              {"shared_cache", cache_ && cache_->shared()}};
      if (!redis_->up()) redis["error"] = redis_->last_error();
      if (const SharedRateLimiter* limiter = security_.shared_rate_limiter()) {
        redis["rate_limit_mode"] = limiter->shared() ? "shared" : "fallback";
        redis["fallback_rate_share"] = limiter->fallback_share();
      }
      return nlohmann::json{{"redis", std::move(redis)}};
    });
  if (config.diagnostics.health_interval_seconds > 0)
    debug_.refresh_every(
        std::chrono::milliseconds(static_cast<long long>(config.diagnostics.health_interval_seconds * 1000)));
}

HttpServerOptions Service::server_options() {
  const auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<long long>(seconds * 1000)); };
  HttpServerOptions options;
  options.listen = config_.server.listen;
  options.io_threads = config_.server.io_threads;
  options.max_body_bytes = config_.limits.max_body_bytes;
  options.idle_timeout = ms(config_.server.idle_timeout_seconds);
  options.request_timeout = ms(config_.server.request_timeout_seconds);
  options.max_connections = config_.server.max_connections;
  options.max_connections_per_client = config_.server.max_connections_per_client;
  options.probe_reserve = config_.server.probe_reserve;
  // A budget below one body of the largest size would refuse such a body for ever: it is raised to that size.
  options.max_inflight_body_bytes =
      config_.limits.max_inflight_body_bytes == 0
          ? 0
          : std::max(config_.limits.max_inflight_body_bytes, config_.limits.max_body_bytes);
  // Probe sources get the reserved connections; they and the trusted proxies (which carry many clients on their
  // connections) are exempt from the per-client cap. Both lists were checked when the configuration loaded.
  options.probe_source = [list = config_.server.probe_sources.value](const IpAddress& peer) {
    return list.contains(peer);
  };
  options.per_client_exempt = [list = config_.access.trusted_proxies.value](const IpAddress& peer) {
    return list.contains(peer);
  };
  options.max_header_bytes = config_.server.max_header_bytes;
  options.header_timeout = ms(config_.server.header_timeout_seconds);
  options.handshake_timeout = ms(config_.tls.handshake_timeout_seconds);
  options.tls = tls_;
  options.on_close = [this](CloseReason reason) { metrics_.record_connection_closed(reason); };
  return options;
}

Service::~Service() {
  // gRPC first: its calls still waiting are cancelled (answered) before the work they wait for is dropped.
  if (grpc_) grpc_->shutdown(std::chrono::system_clock::now());
  pool_.stop();
  if (server_) server_->stop();
  // Its background thread reports to the rate limiter, which goes before it.
  if (redis_) redis_->stop();
}

kzg::Result<ListenAddress> Service::start() {
  if (config_error_) return *config_error_;
  if (auto error = security_.prepare()) return *error;
  if (redis_ && !redis_started_) {
    redis_->start();
    redis_started_ = true;
  }
  if (!security_.auth_enabled() && !is_loopback_host(config_.server.listen.host))
    logger_.warn(
        "authentication is off on a non-loopback address: anyone who can reach it may use every "
        "operation (set auth.enabled and auth.keys_file; see docs/security.md)",
        {{"address", to_string(config_.server.listen)}});
  if (config_.tls.enabled && !tls_) {
    auto tls = TlsContext::create(config_.tls);
    if (!tls) return tls.error();
    tls_ = std::move(tls.value());
    const auto certificate = tls_->certificate();
    metrics_.set_tls_certificate_expiry(static_cast<double>(certificate.not_after_unix));
    logger_.info("tls certificate loaded", {{"subject", certificate.subject},
                                            {"not_after", certificate.not_after},
                                            {"sha256", certificate.sha256_fingerprint}});
  }
  // Both transports hand their requests to the one API chain.
  const RequestHandler chain = [this](HttpRequest&& request, RequestInfo info, Responder respond) {
    api_.handle(std::move(request), std::move(info), std::move(respond));
  };
  if (!server_) server_ = std::make_unique<HttpServer>(server_options(), chain);
  auto address = server_->start();
  if (!address) return address;
  if (config_.grpc.enabled && !grpc_) {
    GrpcServer::Options options;
    options.grpc = config_.grpc;
    options.max_message_bytes = config_.limits.max_body_bytes;
    if (config_.tls.enabled) options.tls = config_.tls;
    options.serving = [this] { return state_.ready(); };
    grpc_ = std::make_unique<GrpcServer>(std::move(options), chain, metrics_);
    auto bound = grpc_->start();
    if (!bound) return bound.error();
    grpc_address_ = *bound;
  }
  return address;
}

bool Service::reload() {
  const bool keys = reload_api_keys().ok();
  const bool tls = reload_tls();
  return keys && tls;
}

kzg::Result<std::size_t> Service::reload_api_keys() {
  auto keys = security_.reload();
  if (keys)
    logger_.info("reloaded", {{"api_keys", *keys}});
  else
    logger_.error("reload failed; the previous API keys stay in force",
                  {{"error", keys.error().message}, {"key", "auth.keys_file"}});
  return keys;
}

bool Service::reload_tls() {
  if (!tls_) return true;
  const auto certificate = tls_->reload();
  metrics_.record_tls_reload(certificate.ok());
  if (!certificate) {
    logger_.error("tls reload failed; the previous certificate stays in use",
                  {{"key", certificate.error().field}, {"error", certificate.error().message}});
    return false;
  }
  metrics_.set_tls_certificate_expiry(static_cast<double>(certificate->not_after_unix));
  logger_.info("tls certificate reloaded", {{"subject", certificate->subject},
                                            {"not_after", certificate->not_after},
                                            {"sha256", certificate->sha256_fingerprint}});
  return true;
}

bool Service::shutdown(std::chrono::milliseconds grace) {
  state_.start_draining();
  if (config_.shutdown.drain_delay_seconds > 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(config_.shutdown.drain_delay_seconds));
  if (!server_) {
    pool_.stop();
    return true;
  }
  server_->drain();
  const auto until = std::chrono::steady_clock::now() + grace;
  // gRPC's calls in progress get the grace period; those left at its end are cancelled.
  if (grpc_) grpc_->shutdown(std::chrono::system_clock::now() + grace);
  const bool finished = server_->wait_until_idle(std::chrono::duration_cast<std::chrono::milliseconds>(
      std::max(until - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero())));
  pool_.stop();
  server_->stop();
  return finished;
}

RuntimeSnapshot Service::snapshot() const {
  RuntimeSnapshot s;
  s.work_in_flight = pool_.running();
  s.work_queued = pool_.queued();
  s.work_queued_seconds = pool_.queued_seconds();
  s.work_waiting_clients = pool_.waiting_clients();
  s.work_cost_scale = pool_.cost_scale();
  s.workers_threads = pool_.threads();
  s.workers_queue_limit = pool_.queue_limit();
  s.connections_open = server_ ? server_->connections_open() : 0;
  s.ready = state_.ready();
  return s;
}

}  // namespace kzgd
