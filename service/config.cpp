#include "config.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <functional>
#include <thread>

namespace kzgd {
namespace {

using Setter = std::function<std::optional<std::string>(Config&, const std::string&)>;  // error message

std::optional<std::string> parse_uint(const std::string& v, std::uint64_t max, std::uint64_t& out) {
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || p != v.data() + v.size() || v.empty()) return "expected a non-negative integer";
  if (out > max) return "at most " + std::to_string(max);
  return std::nullopt;
}

std::optional<std::string> parse_seconds(const std::string& v, double& out) {
  try {
    std::size_t used = 0;
    out = std::stod(v, &used);
    if (used != v.size() || !(out > 0) || out > 86400) return "expected seconds in (0, 86400]";
  } catch (...) {
    return "expected a number of seconds";
  }
  return std::nullopt;
}

std::optional<std::string> parse_bool(const std::string& v, bool& out) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") return out = true, std::nullopt;
  if (v == "false" || v == "0" || v == "no" || v == "off") return out = false, std::nullopt;
  return "expected true or false";
}

template <class T>
Setter uint_setter(T Config::*field, std::uint64_t max) {
  return [field, max](Config& c, const std::string& v) -> std::optional<std::string> {
    std::uint64_t x = 0;
    if (auto e = parse_uint(v, max, x)) return e;
    c.*field = static_cast<T>(x);
    return std::nullopt;
  };
}

Setter seconds_setter(double Config::*field) {
  return [field](Config& c, const std::string& v) { return parse_seconds(v, c.*field); };
}

Setter bool_setter(bool Config::*field) {
  return [field](Config& c, const std::string& v) { return parse_bool(v, c.*field); };
}

Setter choice_setter(std::string Config::*field, std::vector<std::string> choices) {
  return [field, choices](Config& c, const std::string& v) -> std::optional<std::string> {
    for (const auto& ch : choices)
      if (v == ch) return c.*field = v, std::nullopt;
    std::string all;
    for (const auto& ch : choices) all += (all.empty() ? "" : ", ") + ch;
    return "expected one of: " + all;
  };
}

struct Key {
  std::string name, help;
  Setter set;
};

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"server.listen", "address to listen on, HOST:PORT",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.listen = v;
         return std::nullopt;
       }},
      {"server.io_threads", "threads running the network I/O", uint_setter(&Config::io_threads, 64)},
      {"server.request_timeout_seconds", "time allowed to read one request (headers and body)",
       seconds_setter(&Config::request_timeout_seconds)},
      {"server.idle_timeout_seconds", "how long an idle keep-alive connection stays open",
       seconds_setter(&Config::idle_timeout_seconds)},
      {"workers.threads", "threads for the crypto work (0: one per CPU)", uint_setter(&Config::worker_threads, 1024)},
      {"workers.queue_limit", "tasks waiting for a worker before requests are shed with 503",
       uint_setter(&Config::queue_limit, 1u << 20)},
      {"limits.max_body_bytes", "largest request body accepted (413 above)",
       uint_setter(&Config::max_body_bytes, std::uint64_t{1} << 32)},
      {"limits.max_batch_items", "most requests in one POST /v1/batch", uint_setter(&Config::max_batch_items, 1u << 16)},
      {"shutdown.grace_seconds", "time in-flight requests get to finish after SIGTERM/SIGINT",
       seconds_setter(&Config::grace_seconds)},
      {"log.level", "trace, debug, info, warn or error",
       choice_setter(&Config::log_level, {"trace", "debug", "info", "warn", "error"})},
      {"log.format", "json (one object per line) or text", choice_setter(&Config::log_format, {"json", "text"})},
      {"setup.path", "trusted setup file (c-kzg text or ceremony JSON); empty: the embedded mainnet setup",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.setup_path = v;
         return std::nullopt;
       }},
      {"setup.cell_proofs", "precompute the FK20 tables for cell proofs (0.8 MiB, about 1 s at start-up)",
       bool_setter(&Config::cell_proofs)},
      {"setup.fixed_base_msm", "precompute fixed-base tables for commitments and blob proofs (8.5 MiB)",
       bool_setter(&Config::fixed_base_msm)},
  };
  return k;
}

}  // namespace

std::string Config::host() const {
  const auto colon = listen.rfind(':');
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

unsigned short Config::port() const {
  const auto colon = listen.rfind(':');
  return static_cast<unsigned short>(std::stoul(listen.substr(colon + 1)));
}

const std::vector<std::pair<std::string, std::string>>& config_keys() {
  static const std::vector<std::pair<std::string, std::string>> out = [] {
    std::vector<std::pair<std::string, std::string>> v;
    for (const auto& k : keys()) v.emplace_back(k.name, k.help);
    return v;
  }();
  return out;
}

std::optional<ConfigError> set_config_value(Config& c, const std::string& key, const std::string& value) {
  for (const auto& k : keys())
    if (k.name == key) {
      if (auto e = k.set(c, value)) return ConfigError{key, *e + " (got \"" + value + "\")"};
      return std::nullopt;
    }
  return ConfigError{key, "unknown configuration key"};
}

std::optional<ConfigError> apply_yaml(Config& c, const std::string& yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return ConfigError{"(file)", std::string("not valid YAML: ") + e.what()};
  }
  if (root.IsNull()) return std::nullopt;
  if (!root.IsMap()) return ConfigError{"(file)", "expected a mapping of sections"};
  for (const auto& section : root) {
    const std::string s = section.first.as<std::string>();
    if (!section.second.IsMap()) return ConfigError{s, "expected a mapping of keys"};
    for (const auto& kv : section.second) {
      const std::string key = s + "." + kv.first.as<std::string>();
      if (!kv.second.IsScalar() && !kv.second.IsNull()) return ConfigError{key, "expected a single value"};
      if (auto e = set_config_value(c, key, kv.second.IsNull() ? "" : kv.second.Scalar())) return e;
    }
  }
  return std::nullopt;
}

std::string env_name(const std::string& key) {
  std::string e = "KZGD_";
  for (char ch : key) e += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return e;
}

std::optional<ConfigError> apply_env(Config& c, const std::map<std::string, std::string>& env) {
  for (const auto& k : keys()) {
    const auto it = env.find(env_name(k.name));
    if (it == env.end()) continue;
    if (auto e = set_config_value(c, k.name, it->second)) {
      e->key = it->first + " (" + k.name + ")";
      return e;
    }
  }
  return std::nullopt;
}

std::optional<ConfigError> validate(const Config& c) {
  const auto colon = c.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return ConfigError{"server.listen", "expected HOST:PORT"};
  std::uint64_t port = 0;
  if (parse_uint(c.listen.substr(colon + 1), 65535, port)) return ConfigError{"server.listen", "bad port"};
  if (c.io_threads == 0) return ConfigError{"server.io_threads", "must be at least 1"};
  if (c.queue_limit == 0) return ConfigError{"workers.queue_limit", "must be at least 1"};
  if (c.max_body_bytes < 1024) return ConfigError{"limits.max_body_bytes", "must be at least 1024"};
  if (c.max_batch_items == 0) return ConfigError{"limits.max_batch_items", "must be at least 1"};
  return std::nullopt;
}

}  // namespace kzgd
