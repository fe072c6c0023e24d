// The service's configuration: one typed struct, filled from defaults, then a YAML file, then environment
// variables, then command-line flags, each later source overriding the earlier. Every value is validated as it
// is read; the first bad one stops loading with an error naming its key (Error::field) and where it came from.
// The keys and their meaning are documented in docs/configuration.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace kzgd {

enum class LogLevel { debug, info, warn, error, off };
enum class LogFormat { json, text };

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 literal, or "localhost"
  std::uint16_t port = 0;
};

struct ServiceConfig {
  struct Server {
    ListenAddress listen{"127.0.0.1", 8080};
    unsigned io_threads = 1;
    double idle_timeout_seconds = 60;     // a keep-alive connection with no request for this long is closed
    double request_timeout_seconds = 30;  // reading one request's body (or writing its answer) may take this long
  } server;
  struct Workers {
    unsigned threads = 0;            // 0: one per CPU core
    std::size_t queue_limit = 256;   // requests waiting for a worker; beyond it, 503
  } workers;
  struct Limits {
    std::size_t max_body_bytes = 16u << 20;
    std::size_t max_batch_items = 64;
  } limits;
  struct Shutdown {
    double drain_delay_seconds = 0;  // between /ready turning 503 and the listener closing
    double grace_seconds = 10;       // for the requests in progress to finish
  } shutdown;
  struct Log {
    LogLevel level = LogLevel::info;
    LogFormat format = LogFormat::json;
  } log;
  struct Setup {
    std::string path;             // empty: the embedded mainnet setup
    bool cell_proofs = true;      // precompute the FK20 tables (cell proofs refused without them)
    bool fixed_base_msm = true;   // precompute fixed-base tables for commitments and blob proofs
  } setup;
  // Diagnostics (GET /debug/*, docs/diagnostics.md): sampling, the profiler's window, health thresholds.
  struct Diagnostics {
    double sample_interval_seconds = 1;            // memory and CPU sampling period
    unsigned profile_window_seconds = 60;          // the profiler's sliding window
    std::uint64_t memory_warn_bytes = 2ull << 30;  // resident set above this: one warning log line
    std::uint64_t memory_limit_bytes = 4ull << 30; // resident set above this: /debug/health fails
    double cpu_max_percent = 95;                   // process CPU (of all cores) above this: health fails
    std::string disk_path = ".";                   // the file system checked for free space (where logs go)
    std::uint64_t disk_min_free_bytes = 100ull << 20;
    double fd_max_percent = 90;                    // open descriptors above this share of RLIMIT_NOFILE: fails
  } diagnostics;
  // Tracing: spans exported with OTLP/HTTP JSON (tracing/span_exporter.hpp).
  struct Tracing {
    std::string endpoint;                 // http://HOST:PORT/v1/traces; empty: no export
    double sample_ratio = 1;              // of new traces (a client's traceparent decides for its own)
    std::size_t queue_size = 2048;        // spans waiting for export; beyond it, dropped and counted
    std::size_t batch_size = 256;         // spans per export request
    double batch_delay_seconds = 1;       // longest wait for a batch to fill
    double timeout_seconds = 2;           // one export request, connect to answer
    unsigned max_retries = 3;             // retries of a failed export request
    double retry_backoff_seconds = 0.1;   // first retry delay, doubled each retry, with jitter
    unsigned breaker_failures = 5;        // failed exports in a row that open the circuit breaker
    double breaker_reset_seconds = 30;    // how long the breaker stays open before a trial export
  } tracing;
};

// One value given outside the file and the environment (a command-line flag).
struct ConfigOverride {
  std::string key;     // "server.listen"
  std::string text;    // the value, parsed as the file's would be
  std::string origin;  // how errors name it: "flag --listen"
};

// Where the values come from. Later sources win: file < environment < overrides.
struct ConfigSources {
  std::optional<std::string> file;                 // YAML file path (--config)
  std::function<const char*(const char*)> getenv;  // null: the environment is not read
  std::vector<ConfigOverride> overrides;
};

// Loads and validates. On failure the error's field is the config key (or "config" for the file itself)
// and its message names the key, the source and what was wrong.
kzg::Result<ServiceConfig> load_service_config(const ConfigSources& sources);

// The environment variable that overrides a key: "server.listen" -> "KZGD_SERVER_LISTEN".
std::string environment_variable_for(const std::string& key);

// Every key, in documentation order.
const std::vector<std::string>& config_keys();

// The effective configuration as YAML (for --check-config and the start-up log).
std::string to_yaml(const ServiceConfig& config);

std::string to_string(LogLevel level);
std::string to_string(LogFormat format);
std::string to_string(const ListenAddress& address);  // "host:port", IPv6 hosts in brackets

}  // namespace kzgd
