// The service's configuration: each component's options struct, in one place. Each component declares its own
// keys, defaults, ranges and rules (server_options.hpp, tls_options.hpp, security_options.hpp, ...); the generic
// loader (service/config/loader.hpp) fills them from defaults, then a YAML file, then environment variables, then
// command-line flags, each later source overriding the earlier, and every value is parsed once, into what the
// component uses. The keys and their meaning are documented in docs/configuration.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "service/cache/cache_options.hpp"
#include "service/config/loader.hpp"
#include "service/diagnostics/diagnostics_options.hpp"
#include "service/grpc/grpc_options.hpp"
#include "service/http/server_options.hpp"
#include "service/http/tls_options.hpp"
#include "service/logging/log_options.hpp"
#include "service/redis/redis_options.hpp"
#include "service/scheduling/worker_options.hpp"
#include "service/security/operation_deadlines.hpp"
#include "service/security/security_options.hpp"
#include "service/tracing/tracing_options.hpp"

namespace kzgd {

// The service's own options: request limits, shutdown, the trusted setup.
struct LimitsOptions {
  std::size_t max_body_bytes = 16u << 20;
  std::size_t max_batch_items = 64;
  std::size_t max_inflight_body_bytes = 256u << 20;  // request bodies being read or held, in all; 0: no budget
  // "OPERATION=SECONDS, ..." over the catalogue's deadlines (security/operation_deadlines.hpp).
  config::Parsed<OperationDeadlines> deadlines =
      config::parsed_default<OperationDeadlines>("", OperationDeadlines::with_overrides);

  static void declare(config::Section<LimitsOptions>& s);
};

struct ShutdownOptions {
  double drain_delay_seconds = 0;  // between /ready turning 503 and the listener closing
  double grace_seconds = 10;       // for the requests in progress to finish

  static void declare(config::Section<ShutdownOptions>& s);
};

struct SetupOptions {
  std::string path;            // empty: the embedded mainnet setup
  bool cell_proofs = true;     // precompute the FK20 tables (cell proofs refused without them)
  bool fixed_base_msm = true;  // precompute fixed-base tables for commitments and blob proofs
  std::string table_cache;     // a file keeping the precomputed tables between starts; empty: none

  static void declare(config::Section<SetupOptions>& s);
};

struct ServiceConfig {
  using Server = ServerOptions;
  using Workers = WorkerOptions;
  using Limits = LimitsOptions;
  using Shutdown = ShutdownOptions;
  using Log = LogOptions;
  using Setup = SetupOptions;
  using Auth = AuthOptions;
  using RateLimit = RateLimitOptions;
  using Access = AccessOptions;
  using Cors = CorsOptions;
  using Tls = TlsOptions;
  using Diagnostics = DiagnosticsOptions;
  using Tracing = TracingOptions;
  using Grpc = GrpcOptions;
  using Redis = RedisOptions;
  using Cache = CacheOptions;

  Server server;
  Workers workers;
  Limits limits;
  Shutdown shutdown;
  Log log;
  Setup setup;
  Auth auth;
  RateLimit rate_limit;
  Access access;
  Cors cors;
  Tls tls;
  Diagnostics diagnostics;
  Tracing tracing;
  Grpc grpc;
  Redis redis;
  Cache cache;
};

using ConfigOverride = config::Override;

// Where the values come from. Later sources win: file < environment < overrides.
struct ConfigSources {
  std::optional<std::string> file;                 // YAML file path (--config)
  std::function<const char*(const char*)> getenv;  // null: the environment is not read
  std::vector<ConfigOverride> overrides;
  // The memory limit of the process's cgroup (diagnostics/cgroup_memory.hpp), for the memory thresholds left at
  // "auto"; null or nullopt: no limit known.
  std::function<std::optional<std::uint64_t>()> memory_max;
};

// Every section, key and rule of the service.
const config::Schema<ServiceConfig>& service_config_schema();

// Loads and validates. On failure the error's field is the config key (or "config" for the file itself)
// and its message names the key, the source and what was wrong.
kzg::Result<ServiceConfig> load_service_config(const ConfigSources& sources);

// Sets one key as a flag would, then applies the rules again (tests and tools that build a configuration in
// code; a list must be set this way to be parsed).
std::optional<kzg::Error> set_config_value(ServiceConfig& config, const std::string& key, std::string_view text);

using config::environment_variable_for;

// Every key, in documentation order.
const std::vector<std::string>& config_keys();

// The effective configuration as YAML (for --check-config and the start-up log).
std::string to_yaml(const ServiceConfig& config);

}  // namespace kzgd
