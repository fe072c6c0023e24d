#include "service/service_config.hpp"

#include <filesystem>

namespace kzgd {

void LimitsOptions::declare(config::Section<LimitsOptions>& s) {
  s.bytes("max_body_bytes", &LimitsOptions::max_body_bytes, 1024, 1ull << 30);
  s.bytes("max_inflight_body_bytes", &LimitsOptions::max_inflight_body_bytes, 0, 1ull << 40);
  s.integer("max_batch_items", &LimitsOptions::max_batch_items, 1, 100000);
  s.parsed<OperationDeadlines>("deadlines", &LimitsOptions::deadlines, OperationDeadlines::with_overrides);
}

void ShutdownOptions::declare(config::Section<ShutdownOptions>& s) {
  s.seconds("drain_delay_seconds", &ShutdownOptions::drain_delay_seconds, 0, 3600);
  s.seconds("grace_seconds", &ShutdownOptions::grace_seconds, 0, 3600);
}

void SetupOptions::declare(config::Section<SetupOptions>& s) {
  s.file("path", &SetupOptions::path, "leave setup.path empty for the embedded mainnet setup");
  s.boolean("cell_proofs", &SetupOptions::cell_proofs);
  s.boolean("fixed_base_msm", &SetupOptions::fixed_base_msm);
  s.checked_text("table_cache", &SetupOptions::table_cache, [](const std::string& path) -> std::optional<std::string> {
    std::error_code ec;
    if (!path.empty() && std::filesystem::is_directory(path, ec))
      return "names a directory; give the cache file's path (e.g. " + path + "/tables.cache)";
    return std::nullopt;
  });
}

const config::Schema<ServiceConfig>& service_config_schema() {
  static const config::Schema<ServiceConfig> schema = [] {
    config::Schema<ServiceConfig> s;
    // Documentation order (docs/configuration.md).
    s.section("server", &ServiceConfig::server, ServerOptions::declare);
    s.section("workers", &ServiceConfig::workers, WorkerOptions::declare);
    s.section("limits", &ServiceConfig::limits, LimitsOptions::declare);
    s.section("shutdown", &ServiceConfig::shutdown, ShutdownOptions::declare);
    s.section("log", &ServiceConfig::log, LogOptions::declare);
    s.section("setup", &ServiceConfig::setup, SetupOptions::declare);
    s.section("auth", &ServiceConfig::auth, AuthOptions::declare);
    s.section("rate_limit", &ServiceConfig::rate_limit, RateLimitOptions::declare);
    s.section("access", &ServiceConfig::access, AccessOptions::declare);
    s.section("cors", &ServiceConfig::cors, CorsOptions::declare);
    s.section("tls", &ServiceConfig::tls, TlsOptions::declare);
    s.section("diagnostics", &ServiceConfig::diagnostics, DiagnosticsOptions::declare);
    s.section("tracing", &ServiceConfig::tracing, TracingOptions::declare);
    s.section("grpc", &ServiceConfig::grpc, GrpcOptions::declare);
    s.section("redis", &ServiceConfig::redis, RedisOptions::declare);
    s.section("cache", &ServiceConfig::cache, CacheOptions::declare);
    return s;
  }();
  return schema;
}

kzg::Result<ServiceConfig> load_service_config(const ConfigSources& sources) {
  ServiceConfig c;
  if (auto e = service_config_schema().load({sources.file, sources.getenv, sources.overrides}, c)) return *e;
  c.diagnostics.resolve_memory_thresholds(sources.memory_max ? sources.memory_max() : std::nullopt);
  return c;
}

std::optional<kzg::Error> set_config_value(ServiceConfig& config, const std::string& key, std::string_view text) {
  const auto& schema = service_config_schema();
  if (auto e = schema.apply(config, key, text, "code")) return e;
  return schema.finish(config);
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> v;
    for (const auto& k : service_config_schema().keys()) v.push_back(k.name);
    return v;
  }();
  return keys;
}

std::string to_yaml(const ServiceConfig& config) { return service_config_schema().to_yaml(config); }

}  // namespace kzgd
