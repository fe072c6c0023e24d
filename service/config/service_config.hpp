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

#include "engine/common/result.hpp"

namespace kzgd {

enum class LogLevel { debug, info, warn, error, off };
enum class LogFormat { json, text };
enum class TlsVersion { v1_2, v1_3 };

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
    // Slow and greedy clients (docs/security.md).
    std::size_t max_connections = 10000;   // beyond it, a new connection is closed at once
    std::size_t max_header_bytes = 16384;  // a larger request head is answered 431
    double header_timeout_seconds = 10;    // from a request's first byte (a new connection's accept) to its whole head
    std::size_t max_connections_per_client = 1024;   // per peer address (trusted proxies and probes exempt); 0: off
    std::string probe_sources = "127.0.0.0/8, ::1";  // CIDR ranges of health probes (kubelet, load balancer)
    std::size_t probe_reserve = 8;                   // of max_connections, kept for probe sources
  } server;
  struct Workers {
    unsigned threads = 0;           // 0: one per CPU core
    std::size_t queue_limit = 256;  // requests waiting for a worker; beyond it, 503
    // The overload manager (service/scheduling/worker_pool.hpp): estimated CPU-seconds that may wait (0: 10 per
    // worker); express workers for cheap requests (cost at most express_max_cost tokens, ~1 ms each).
    double queue_cpu_seconds = 0;
    unsigned express_threads = 1;
    double express_max_cost = 2;
    bool coalesce = true;  // concurrent verify_blob_kzg_proof requests run as one batch verification
    std::size_t coalesce_max_batch = 32;
  } workers;
  struct Limits {
    std::size_t max_body_bytes = 16u << 20;
    std::size_t max_batch_items = 64;
    std::size_t max_inflight_body_bytes = 256u << 20;  // request bodies being read or held, in all; 0: no budget
    std::string deadlines;  // "OPERATION=SECONDS, ..." over the defaults (security/operation_deadlines.hpp)
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
    std::string path;            // empty: the embedded mainnet setup
    bool cell_proofs = true;     // precompute the FK20 tables (cell proofs refused without them)
    bool fixed_base_msm = true;  // precompute fixed-base tables for commitments and blob proofs
  } setup;
  // Security controls (docs/security.md). Lists are comma-separated (a YAML list is accepted too) and are
  // checked at load; the service builds its filters from them (service/api/filters/security_filters.hpp).
  struct Auth {
    bool enabled = false;           // require API keys (everything but /health, /ready and, if open, /metrics)
    std::string keys_file;          // the YAML keys file (security/api_key_store.hpp); reloaded on SIGHUP
    bool open_metrics = true;       // /metrics without a key; false: it needs the admin permission
    bool allow_empty_keys = false;  // a keys file with no keys is accepted (else refused, keeping the old keys)
  } auth;
  struct RateLimit {
    bool enabled = false;
    double rate = 1000;                // tokens per second per client (1 token ~ one verify_kzg_proof)
    double burst = 2000;               // bucket size
    std::string tiers;                 // "NAME=RATE/BURST, ..." for API keys that name a tier
    std::string costs;                 // "OPERATION=COST, ..." over the measured defaults
    std::size_t max_clients = 100000;  // most buckets kept at once (memory bound)
  } rate_limit;
  struct Access {
    std::string allow;            // CIDR ranges; empty: every address not denied
    std::string deny;             // CIDR ranges, checked first
    std::string trusted_proxies;  // peers whose X-Forwarded-For is believed
  } access;
  struct Cors {
    std::string allowed_origins;  // empty: CORS off
    std::string allowed_methods = "GET, POST";
    std::string allowed_headers = "Authorization, Content-Type, Accept, X-API-Key, X-Request-Id, X-Request-Timeout";
    unsigned max_age_seconds = 600;
  } cors;
  // HTTPS (docs/security.md). Off by default: plain HTTP.
  struct Tls {
    bool enabled = false;
    std::string cert_file;  // PEM certificate chain, leaf first
    std::string key_file;   // PEM private key of the leaf
    TlsVersion min_version = TlsVersion::v1_2;
    // TLS 1.2 ciphers (OpenSSL cipher list): ECDHE key exchange with AEAD ciphers only.
    std::string ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    // TLS 1.3 cipher suites.
    std::string ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
    std::string client_ca_file;        // PEM CA certificates that client certificates are verified against
    bool require_client_cert = false;  // mutual TLS: a connection without a valid client certificate is refused
    double handshake_timeout_seconds = 10;
  } tls;
  // Diagnostics (GET /debug/*, docs/diagnostics.md): sampling, the profiler's window, health thresholds.
  struct Diagnostics {
    double sample_interval_seconds = 1;    // memory and CPU sampling period
    unsigned profile_window_seconds = 60;  // the profiler's sliding window
    // Resident set above memory_warn_bytes: one warning log line; above memory_limit_bytes: /debug/health fails.
    // "auto" (the default): loading derives them from the cgroup's memory limit when there is one, 75% and 90%
    // of it (so both fire before the kernel's OOM kill); else they stay at 2 GiB and 4 GiB.
    std::uint64_t memory_warn_bytes = 2ull << 30;
    std::uint64_t memory_limit_bytes = 4ull << 30;
    bool memory_warn_auto = true;  // not given explicitly
    bool memory_limit_auto = true;
    std::uint64_t cgroup_memory_max = 0;  // the cgroup limit found at load (0: none); not a key
    double cpu_max_percent = 95;          // process CPU (of all cores) above this: health fails
    std::string disk_path = ".";          // the file system checked for free space (where logs go)
    std::uint64_t disk_min_free_bytes = 100ull << 20;
    double fd_max_percent = 90;           // open descriptors above this share of RLIMIT_NOFILE: fails
    double health_interval_seconds = 30;  // the health checks (self-test included) run this often; 0: only
                                          // on GET /debug/health
  } diagnostics;
  // Tracing: spans exported with OTLP/HTTP JSON (tracing/span_exporter.hpp).
  struct Tracing {
    std::string endpoint;                // http(s)://HOST:PORT/v1/traces; empty: no export
    std::string ca_file;                 // PEM CAs an https:// collector is verified against; empty: the system's
    double sample_ratio = 1;             // of new traces (a client's traceparent decides for its own)
    std::size_t queue_size = 2048;       // spans waiting for export; beyond it, dropped and counted
    std::size_t batch_size = 256;        // spans per export request
    double batch_delay_seconds = 1;      // longest wait for a batch to fill
    double timeout_seconds = 2;          // one export request, connect to answer
    unsigned max_retries = 3;            // retries of a failed export request
    double retry_backoff_seconds = 0.1;  // first retry delay, doubled each retry, with jitter
    unsigned breaker_failures = 5;       // failed exports in a row that open the circuit breaker
    double breaker_reset_seconds = 30;   // how long the breaker stays open before a trial export
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
  // The memory limit of the process's cgroup (diagnostics/cgroup_memory.hpp), for the memory thresholds left at
  // "auto"; null or nullopt: no limit known.
  std::function<std::optional<std::uint64_t>()> memory_max;
};

// The memory thresholds "auto" resolves to as shares of a cgroup limit.
inline constexpr double kMemoryWarnShareOfCgroup = 0.75;
inline constexpr double kMemoryLimitShareOfCgroup = 0.90;

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
std::string to_string(TlsVersion version);            // "1.2", "1.3"
std::string to_string(const ListenAddress& address);  // "host:port", IPv6 hosts in brackets

}  // namespace kzgd
