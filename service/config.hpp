// kzgd configuration: one YAML file, every key overridable by an environment variable
// (server.listen -> KZGD_SERVER_LISTEN) and by `--set key=value`, the important ones by their own flags.
// Everything is validated at start-up; an error names the key.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kzgd {

struct Config {
  std::string listen = "127.0.0.1:8080";  // server.listen: HOST:PORT (IPv6 as [::1]:8080)
  unsigned io_threads = 1;                // server.io_threads
  double request_timeout_seconds = 30;    // server.request_timeout_seconds: to read one request
  double idle_timeout_seconds = 60;       // server.idle_timeout_seconds: keep-alive idle limit
  unsigned worker_threads = 0;            // workers.threads (0: one per CPU)
  std::size_t queue_limit = 256;          // workers.queue_limit: queued tasks before shedding (503)
  std::size_t max_body_bytes = 32u << 20; // limits.max_body_bytes (413 above)
  std::size_t max_batch_items = 256;      // limits.max_batch_items for POST /v1/batch
  double grace_seconds = 20;              // shutdown.grace_seconds: in-flight work allowed to finish
  std::string log_level = "info";         // log.level: trace, debug, info, warn, error
  std::string log_format = "json";        // log.format: json or text
  std::string setup_path;                 // setup.path: trusted setup file; empty = embedded mainnet
  bool cell_proofs = true;                // setup.cell_proofs: FK20 tables for cell proofs
  bool fixed_base_msm = true;             // setup.fixed_base_msm: fixed-base tables for commitments

  std::string host() const;
  unsigned short port() const;
};

struct ConfigError {
  std::string key;
  std::string message;
};

// Every key with its one-line description, in documentation order.
const std::vector<std::pair<std::string, std::string>>& config_keys();

// Sets one key from its textual value.
std::optional<ConfigError> set_config_value(Config& c, const std::string& key, const std::string& value);
// Applies a YAML document (sections of keys) to c.
std::optional<ConfigError> apply_yaml(Config& c, const std::string& yaml_text);
// Applies KZGD_* variables from `env` (name -> value).
std::optional<ConfigError> apply_env(Config& c, const std::map<std::string, std::string>& env);
// Checks ranges and the listen address.
std::optional<ConfigError> validate(const Config& c);

// The environment variable for a key: "server.listen" -> "KZGD_SERVER_LISTEN".
std::string env_name(const std::string& key);

}  // namespace kzgd
