#include "service/config/service_config.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include "service/security/cors_policy.hpp"
#include "service/security/ip_range.hpp"
#include "service/security/operation_costs.hpp"
#include "service/security/operation_deadlines.hpp"
#include "service/security/rate_limiter.hpp"
#include "service/tracing/collector_url.hpp"
#include "service/util/text.hpp"

namespace kzgd {
namespace {

// A parser sets one key from its text form; it returns what is wrong, or nothing.
using Setter = std::function<std::optional<std::string>(ServiceConfig&, std::string_view)>;
using Getter = std::function<std::string(const ServiceConfig&)>;

struct KeySpec {
  std::string name;  // "section.key"
  Setter set;
  Getter get;
  bool list = false;  // a comma-separated list: a YAML list of scalars is accepted and joined with ", "
};

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::optional<std::uint64_t> parse_digits(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// A decimal number filling the whole text (whitespace around it allowed), or nullopt.
std::optional<double> parse_number(std::string_view text) {
  const std::string_view s = trim(text);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// A number in [min, max]; `what` names it in the error ("a percentage").
Setter number_setter(std::function<void(ServiceConfig&, double)> store, double min, double max,
                     const std::string& what) {
  return [store = std::move(store), min, max, what](ServiceConfig& c,
                                                    std::string_view text) -> std::optional<std::string> {
    const auto v = parse_number(text);
    if (!v || !(*v >= min && *v <= max)) {
      std::ostringstream range;
      range << min << " to " << max;
      return "expected " + what + " from " + range.str() + ", got " + quoted(text);
    }
    store(c, *v);
    return std::nullopt;
  };
}

// An integer in [min, max].
Setter integer_setter(std::function<void(ServiceConfig&, std::uint64_t)> store, std::uint64_t min, std::uint64_t max) {
  return [store = std::move(store), min, max](ServiceConfig& c, std::string_view text) -> std::optional<std::string> {
    const auto v = parse_digits(trim(text));
    if (!v || *v < min || *v > max)
      return "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got " + quoted(text);
    store(c, *v);
    return std::nullopt;
  };
}

// A byte count: digits with an optional binary suffix (KiB, MiB, GiB), in [min, max].
Setter size_setter(std::function<void(ServiceConfig&, std::size_t)> store, std::uint64_t min, std::uint64_t max) {
  return [store = std::move(store), min, max](ServiceConfig& c, std::string_view text) -> std::optional<std::string> {
    std::string_view s = trim(text);
    std::uint64_t unit = 1;
    for (const auto& [suffix, factor] :
         {std::pair<std::string_view, std::uint64_t>{"KiB", 1u << 10}, {"MiB", 1u << 20}, {"GiB", 1u << 30}}) {
      if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
        unit = factor;
        s = trim(s.substr(0, s.size() - suffix.size()));
        break;
      }
    }
    const auto v = parse_digits(s);
    if (!v || *v > max / unit || *v * unit < min)
      return "expected a byte count from " + std::to_string(min) + " to " + std::to_string(max) +
             " (digits, optionally followed by KiB, MiB or GiB), got " + quoted(text);
    store(c, static_cast<std::size_t>(*v * unit));
    return std::nullopt;
  };
}

// A duration in seconds (decimals allowed), in [min, max].
Setter seconds_setter(std::function<void(ServiceConfig&, double)> store, double min, double max) {
  return number_setter(std::move(store), min, max, "a number of seconds");
}

std::optional<std::string> parse_listen(std::string_view text, ListenAddress& out) {
  const std::string_view s = trim(text);
  const std::string expected = "expected HOST:PORT (e.g. 0.0.0.0:8080 or [::1]:8080), got " + quoted(text);
  std::string_view host, port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') return expected;
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || s.find(':') != colon) return expected;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  const auto p = parse_digits(port);
  if (!p || *p > 65535) return "port must be an integer from 0 to 65535 (0: any free port), got " + quoted(text);
  if (host.empty()) return expected;
  if (host != "localhost") {
    boost::system::error_code ec;
    boost::asio::ip::make_address(std::string(host), ec);
    if (ec) return "host must be an IP address or \"localhost\", got " + quoted(host);
  }
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(*p);
  return std::nullopt;
}

template <class Enum>
Setter enum_setter(std::function<void(ServiceConfig&, Enum)> store,
                   std::vector<std::pair<std::string_view, Enum>> names) {
  return [store = std::move(store), names = std::move(names)](ServiceConfig& c,
                                                              std::string_view text) -> std::optional<std::string> {
    const std::string_view s = trim(text);
    std::string choices;
    for (const auto& [name, value] : names) {
      if (name == s) {
        store(c, value);
        return std::nullopt;
      }
      choices += (choices.empty() ? "" : ", ") + std::string(name);
    }
    return "expected one of " + choices + ", got " + quoted(text);
  };
}

// true or false (YAML's spellings: also yes/no, on/off).
Setter bool_setter(std::function<void(ServiceConfig&, bool)> store) {
  return [store = std::move(store)](ServiceConfig& c, std::string_view text) -> std::optional<std::string> {
    const std::string_view s = trim(text);
    const bool yes = s == "true" || s == "yes" || s == "on";
    const bool no = s == "false" || s == "no" || s == "off";
    if (!yes && !no) return "expected true or false, got " + quoted(text);
    store(c, yes);
    return std::nullopt;
  };
}

std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

// A positive number in (0, max].
Setter positive_setter(std::function<void(ServiceConfig&, double)> store, double max) {
  return [store = std::move(store), max](ServiceConfig& c, std::string_view text) -> std::optional<std::string> {
    const auto v = parse_number(text);
    if (!v || !(*v > 0 && *v <= max))
      return "expected a positive number up to " + number_text(max) + ", got " + quoted(text);
    store(c, *v);
    return std::nullopt;
  };
}

// A file path: empty, or a file that can be opened now (its contents are checked when the service starts).
Setter file_setter(std::function<void(ServiceConfig&, std::string)> store) {
  return [store = std::move(store)](ServiceConfig& c, std::string_view t) -> std::optional<std::string> {
    const std::string path(trim(t));
    if (!path.empty() && !std::ifstream(path).good()) return "cannot read the file " + quoted(path);
    store(c, path);
    return std::nullopt;
  };
}

// Text checked by a parser from the security layer (which returns an error to relay).
template <class Parsed>
Setter checked_text_setter(std::function<std::string&(ServiceConfig&)> field,
                           std::function<kzg::Result<Parsed>(std::string_view)> check) {
  return [field = std::move(field), check = std::move(check)](ServiceConfig& c,
                                                              std::string_view text) -> std::optional<std::string> {
    const std::string value(trim(text));
    if (auto parsed = check(value); !parsed) return parsed.error().message;
    field(c) = value;
    return std::nullopt;
  };
}

// An OpenSSL cipher list (TLS 1.2) or cipher-suite list (TLS 1.3), checked by OpenSSL itself: it must select at
// least one cipher this OpenSSL supports.
Setter cipher_setter(std::function<void(ServiceConfig&, std::string)> store, bool tls13) {
  return [store = std::move(store), tls13](ServiceConfig& c, std::string_view t) -> std::optional<std::string> {
    const std::string text(trim(t));
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    const bool ok =
        ctx != nullptr && !text.empty() &&
        (tls13 ? SSL_CTX_set_ciphersuites(ctx, text.c_str()) : SSL_CTX_set_cipher_list(ctx, text.c_str())) == 1;
    SSL_CTX_free(ctx);
    ERR_clear_error();
    if (!ok)
      return std::string(tls13 ? "expected TLS 1.3 cipher suites (e.g. TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384)"
                               : "expected an OpenSSL cipher list for TLS 1.2 (e.g. ECDHE-ECDSA-AES128-GCM-SHA256)") +
             " naming at least one cipher this OpenSSL supports, got " + quoted(text);
    store(c, text);
    return std::nullopt;
  };
}

void add_security_keys(std::vector<KeySpec>& k) {
  k.push_back({"auth.enabled", bool_setter([](ServiceConfig& c, bool v) { c.auth.enabled = v; }),
               [](const ServiceConfig& c) { return std::string(c.auth.enabled ? "true" : "false"); }});
  k.push_back({"auth.keys_file",
               [](ServiceConfig& c, std::string_view t) -> std::optional<std::string> {
                 const std::string path(trim(t));
                 if (!path.empty() && !std::ifstream(path).good())
                   return "cannot read the keys file " + quoted(path) + " (create it with `kzg keys new`)";
                 c.auth.keys_file = path;
                 return std::nullopt;
               },
               [](const ServiceConfig& c) { return c.auth.keys_file; }});
  k.push_back({"auth.open_metrics", bool_setter([](ServiceConfig& c, bool v) { c.auth.open_metrics = v; }),
               [](const ServiceConfig& c) { return std::string(c.auth.open_metrics ? "true" : "false"); }});
  k.push_back({"auth.allow_empty_keys", bool_setter([](ServiceConfig& c, bool v) { c.auth.allow_empty_keys = v; }),
               [](const ServiceConfig& c) { return std::string(c.auth.allow_empty_keys ? "true" : "false"); }});
  k.push_back({"rate_limit.enabled", bool_setter([](ServiceConfig& c, bool v) { c.rate_limit.enabled = v; }),
               [](const ServiceConfig& c) { return std::string(c.rate_limit.enabled ? "true" : "false"); }});
  k.push_back({"rate_limit.rate", positive_setter([](ServiceConfig& c, double v) { c.rate_limit.rate = v; }, 1e9),
               [](const ServiceConfig& c) { return number_text(c.rate_limit.rate); }});
  k.push_back({"rate_limit.burst", positive_setter([](ServiceConfig& c, double v) { c.rate_limit.burst = v; }, 1e9),
               [](const ServiceConfig& c) { return number_text(c.rate_limit.burst); }});
  k.push_back({"rate_limit.tiers",
               checked_text_setter<std::vector<std::pair<std::string, RateTier>>>(
                   [](ServiceConfig& c) -> std::string& { return c.rate_limit.tiers; }, parse_rate_tiers),
               [](const ServiceConfig& c) { return c.rate_limit.tiers; }, true});
  k.push_back({"rate_limit.costs",
               checked_text_setter<OperationCosts>([](ServiceConfig& c) -> std::string& { return c.rate_limit.costs; },
                                                   OperationCosts::with_overrides),
               [](const ServiceConfig& c) { return c.rate_limit.costs; }, true});
  k.push_back({"rate_limit.max_clients",
               integer_setter([](ServiceConfig& c, std::uint64_t v) { c.rate_limit.max_clients = v; }, 1, 10000000),
               [](const ServiceConfig& c) { return std::to_string(c.rate_limit.max_clients); }});
  const auto range_key = [&](const char* name, std::string ServiceConfig::Access::*member) {
    k.push_back(
        {name,
         checked_text_setter<IpRangeList>([member](ServiceConfig& c) -> std::string& { return c.access.*member; },
                                          [name](std::string_view t) { return IpRangeList::parse(t, name); }),
         [member](const ServiceConfig& c) { return c.access.*member; }, true});
  };
  range_key("access.allow", &ServiceConfig::Access::allow);
  range_key("access.deny", &ServiceConfig::Access::deny);
  range_key("access.trusted_proxies", &ServiceConfig::Access::trusted_proxies);
  k.push_back({"cors.allowed_origins",
               checked_text_setter<CorsPolicy>([](ServiceConfig& c) -> std::string& { return c.cors.allowed_origins; },
                                               [](std::string_view t) { return CorsPolicy::make(t, "GET", "", 0); }),
               [](const ServiceConfig& c) { return c.cors.allowed_origins; }, true});
  k.push_back({"cors.allowed_methods",
               checked_text_setter<CorsPolicy>([](ServiceConfig& c) -> std::string& { return c.cors.allowed_methods; },
                                               [](std::string_view t) { return CorsPolicy::make("", t, "", 0); }),
               [](const ServiceConfig& c) { return c.cors.allowed_methods; }, true});
  k.push_back({"cors.allowed_headers",
               checked_text_setter<CorsPolicy>([](ServiceConfig& c) -> std::string& { return c.cors.allowed_headers; },
                                               [](std::string_view t) { return CorsPolicy::make("", "GET", t, 0); }),
               [](const ServiceConfig& c) { return c.cors.allowed_headers; }, true});
  k.push_back(
      {"cors.max_age_seconds",
       integer_setter([](ServiceConfig& c, std::uint64_t v) { c.cors.max_age_seconds = unsigned(v); }, 0, 86400),
       [](const ServiceConfig& c) { return std::to_string(c.cors.max_age_seconds); }});
}

std::string bool_text(bool v) { return v ? "true" : "false"; }

// Limits on slow and greedy clients (docs/security.md).
void add_connection_limit_keys(std::vector<KeySpec>& k) {
  k.push_back({"server.max_connections",
               integer_setter([](ServiceConfig& c, std::uint64_t v) { c.server.max_connections = v; }, 1, 1000000),
               [](const ServiceConfig& c) { return std::to_string(c.server.max_connections); }});
  k.push_back({"server.max_header_bytes",
               size_setter([](ServiceConfig& c, std::size_t v) { c.server.max_header_bytes = v; }, 1024, 1u << 20),
               [](const ServiceConfig& c) { return std::to_string(c.server.max_header_bytes); }});
  k.push_back(
      {"server.max_connections_per_client",
       integer_setter([](ServiceConfig& c, std::uint64_t v) { c.server.max_connections_per_client = v; }, 0, 1000000),
       [](const ServiceConfig& c) { return std::to_string(c.server.max_connections_per_client); }});
  k.push_back({"server.probe_sources",
               checked_text_setter<IpRangeList>(
                   [](ServiceConfig& c) -> std::string& { return c.server.probe_sources; },
                   [](std::string_view t) { return IpRangeList::parse(t, "server.probe_sources"); }),
               [](const ServiceConfig& c) { return c.server.probe_sources; }, true});
  k.push_back({"server.probe_reserve",
               integer_setter([](ServiceConfig& c, std::uint64_t v) { c.server.probe_reserve = v; }, 0, 1000),
               [](const ServiceConfig& c) { return std::to_string(c.server.probe_reserve); }});
  k.push_back({"server.header_timeout_seconds",
               seconds_setter([](ServiceConfig& c, double v) { c.server.header_timeout_seconds = v; }, 0.1, 3600),
               [](const ServiceConfig& c) { return number_text(c.server.header_timeout_seconds); }});
}

// HTTPS (docs/security.md).
void add_tls_keys(std::vector<KeySpec>& k) {
  k.push_back({"tls.enabled", bool_setter([](ServiceConfig& c, bool v) { c.tls.enabled = v; }),
               [](const ServiceConfig& c) { return bool_text(c.tls.enabled); }});
  k.push_back({"tls.cert_file", file_setter([](ServiceConfig& c, std::string v) { c.tls.cert_file = std::move(v); }),
               [](const ServiceConfig& c) { return c.tls.cert_file; }});
  k.push_back({"tls.key_file", file_setter([](ServiceConfig& c, std::string v) { c.tls.key_file = std::move(v); }),
               [](const ServiceConfig& c) { return c.tls.key_file; }});
  k.push_back({"tls.min_version",
               enum_setter<TlsVersion>([](ServiceConfig& c, TlsVersion v) { c.tls.min_version = v; },
                                       {{"1.2", TlsVersion::v1_2}, {"1.3", TlsVersion::v1_3}}),
               [](const ServiceConfig& c) { return to_string(c.tls.min_version); }});
  k.push_back({"tls.ciphers",
               cipher_setter([](ServiceConfig& c, std::string v) { c.tls.ciphers = std::move(v); }, false),
               [](const ServiceConfig& c) { return c.tls.ciphers; }});
  k.push_back({"tls.ciphersuites",
               cipher_setter([](ServiceConfig& c, std::string v) { c.tls.ciphersuites = std::move(v); }, true),
               [](const ServiceConfig& c) { return c.tls.ciphersuites; }});
  k.push_back({"tls.client_ca_file",
               file_setter([](ServiceConfig& c, std::string v) { c.tls.client_ca_file = std::move(v); }),
               [](const ServiceConfig& c) { return c.tls.client_ca_file; }});
  k.push_back({"tls.require_client_cert", bool_setter([](ServiceConfig& c, bool v) { c.tls.require_client_cert = v; }),
               [](const ServiceConfig& c) { return bool_text(c.tls.require_client_cert); }});
  k.push_back({"tls.handshake_timeout_seconds",
               seconds_setter([](ServiceConfig& c, double v) { c.tls.handshake_timeout_seconds = v; }, 0.1, 3600),
               [](const ServiceConfig& c) { return number_text(c.tls.handshake_timeout_seconds); }});
}

// Rules that tie keys together, checked once every source is applied.
std::optional<kzg::Error> check_transport_keys(const ServiceConfig& c) {
  const auto missing = [](const std::string& key, const std::string& because) {
    return kzg::make_error(kzg::ErrorCode::invalid_config, key + ": required when " + because, key);
  };
  if (c.tls.enabled && c.tls.cert_file.empty()) return missing("tls.cert_file", "tls.enabled is true");
  if (c.tls.enabled && c.tls.key_file.empty()) return missing("tls.key_file", "tls.enabled is true");
  if (c.tls.require_client_cert && c.tls.client_ca_file.empty())
    return missing("tls.client_ca_file", "tls.require_client_cert is true");
  if (c.server.probe_reserve >= c.server.max_connections)
    return kzg::make_error(
        kzg::ErrorCode::invalid_config,
        "server.probe_reserve: must be below server.max_connections (" + std::to_string(c.server.max_connections) + ")",
        "server.probe_reserve");
  return std::nullopt;
}

std::optional<std::string> parse_disk_path(std::string_view text, std::string& out) {
  const std::string path(trim(text));
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return "expected an existing directory (where the logs go), got " + quoted(text);
  out = path;
  return std::nullopt;
}

std::optional<std::string> parse_tracing_endpoint(std::string_view text, std::string& out) {
  const std::string url(trim(text));
  std::string why;
  if (!url.empty() && !parse_collector_url(url, &why)) return why + ", got " + quoted(text);
  out = url;
  return std::nullopt;
}

// A memory threshold: "auto" (the default value, derived from the cgroup after loading) or a byte count from 1 MiB.
Setter auto_size_setter(std::uint64_t ServiceConfig::Diagnostics::*value, bool ServiceConfig::Diagnostics::*automatic,
                        std::uint64_t fallback) {
  auto sized =
      size_setter([value](ServiceConfig& c, std::size_t v) { c.diagnostics.*value = v; }, 1u << 20, 1ull << 50);
  return [=](ServiceConfig& c, std::string_view text) -> std::optional<std::string> {
    if (trim(text) == "auto") {
      c.diagnostics.*value = fallback;
      c.diagnostics.*automatic = true;
      return std::nullopt;
    }
    if (auto why = sized(c, text)) return *why + " or auto (derived from the cgroup's memory limit)";
    c.diagnostics.*automatic = false;
    return std::nullopt;
  };
}

// The thresholds left at "auto" become shares of the cgroup's limit when there is one.
void resolve_memory_thresholds(ServiceConfig::Diagnostics& d, std::optional<std::uint64_t> box) {
  d.cgroup_memory_max = box.value_or(0);
  if (!box) return;
  const auto share = [&](double s) { return static_cast<std::uint64_t>(static_cast<double>(*box) * s); };
  if (d.memory_warn_auto) d.memory_warn_bytes = share(kMemoryWarnShareOfCgroup);
  if (d.memory_limit_auto) d.memory_limit_bytes = share(kMemoryLimitShareOfCgroup);
}

void add_diagnostics_keys(std::vector<KeySpec>& k) {
  using C = ServiceConfig;
  k.push_back({"diagnostics.sample_interval_seconds",
               seconds_setter([](C& c, double v) { c.diagnostics.sample_interval_seconds = v; }, 0.05, 60),
               [](const C& c) { return number_text(c.diagnostics.sample_interval_seconds); }});
  k.push_back(
      {"diagnostics.profile_window_seconds",
       integer_setter([](C& c, std::uint64_t v) { c.diagnostics.profile_window_seconds = unsigned(v); }, 1, 86400),
       [](const C& c) { return std::to_string(c.diagnostics.profile_window_seconds); }});
  k.push_back(
      {"diagnostics.memory_warn_bytes",
       auto_size_setter(&ServiceConfig::Diagnostics::memory_warn_bytes, &ServiceConfig::Diagnostics::memory_warn_auto,
                        ServiceConfig::Diagnostics{}.memory_warn_bytes),
       [](const C& c) { return std::to_string(c.diagnostics.memory_warn_bytes); }});
  k.push_back(
      {"diagnostics.memory_limit_bytes",
       auto_size_setter(&ServiceConfig::Diagnostics::memory_limit_bytes, &ServiceConfig::Diagnostics::memory_limit_auto,
                        ServiceConfig::Diagnostics{}.memory_limit_bytes),
       [](const C& c) { return std::to_string(c.diagnostics.memory_limit_bytes); }});
  k.push_back({"diagnostics.cpu_max_percent",
               number_setter([](C& c, double v) { c.diagnostics.cpu_max_percent = v; }, 0, 100, "a percentage"),
               [](const C& c) { return number_text(c.diagnostics.cpu_max_percent); }});
  k.push_back({"diagnostics.disk_path",
               [](C& c, std::string_view t) { return parse_disk_path(t, c.diagnostics.disk_path); },
               [](const C& c) { return c.diagnostics.disk_path; }});
  k.push_back({"diagnostics.disk_min_free_bytes",
               size_setter([](C& c, std::size_t v) { c.diagnostics.disk_min_free_bytes = v; }, 0, 1ull << 50),
               [](const C& c) { return std::to_string(c.diagnostics.disk_min_free_bytes); }});
  k.push_back({"diagnostics.fd_max_percent",
               number_setter([](C& c, double v) { c.diagnostics.fd_max_percent = v; }, 0, 100, "a percentage"),
               [](const C& c) { return number_text(c.diagnostics.fd_max_percent); }});
  k.push_back({"diagnostics.health_interval_seconds",
               number_setter([](C& c, double v) { c.diagnostics.health_interval_seconds = v; }, 0, 86400,
                             "a number of seconds (0: off)"),
               [](const C& c) { return number_text(c.diagnostics.health_interval_seconds); }});
  k.push_back({"tracing.endpoint",
               [](C& c, std::string_view t) { return parse_tracing_endpoint(t, c.tracing.endpoint); },
               [](const C& c) { return c.tracing.endpoint; }});
  k.push_back({"tracing.ca_file", file_setter([](C& c, std::string v) { c.tracing.ca_file = std::move(v); }),
               [](const C& c) { return c.tracing.ca_file; }});
  k.push_back({"tracing.sample_ratio",
               number_setter([](C& c, double v) { c.tracing.sample_ratio = v; }, 0, 1, "a ratio"),
               [](const C& c) { return number_text(c.tracing.sample_ratio); }});
  k.push_back({"tracing.queue_size",
               integer_setter([](C& c, std::uint64_t v) { c.tracing.queue_size = v; }, 1, 1000000),
               [](const C& c) { return std::to_string(c.tracing.queue_size); }});
  k.push_back({"tracing.batch_size", integer_setter([](C& c, std::uint64_t v) { c.tracing.batch_size = v; }, 1, 100000),
               [](const C& c) { return std::to_string(c.tracing.batch_size); }});
  k.push_back({"tracing.batch_delay_seconds",
               seconds_setter([](C& c, double v) { c.tracing.batch_delay_seconds = v; }, 0.001, 60),
               [](const C& c) { return number_text(c.tracing.batch_delay_seconds); }});
  k.push_back({"tracing.timeout_seconds",
               seconds_setter([](C& c, double v) { c.tracing.timeout_seconds = v; }, 0.01, 60),
               [](const C& c) { return number_text(c.tracing.timeout_seconds); }});
  k.push_back({"tracing.max_retries",
               integer_setter([](C& c, std::uint64_t v) { c.tracing.max_retries = unsigned(v); }, 0, 10),
               [](const C& c) { return std::to_string(c.tracing.max_retries); }});
  k.push_back({"tracing.retry_backoff_seconds",
               seconds_setter([](C& c, double v) { c.tracing.retry_backoff_seconds = v; }, 0.001, 60),
               [](const C& c) { return number_text(c.tracing.retry_backoff_seconds); }});
  k.push_back({"tracing.breaker_failures",
               integer_setter([](C& c, std::uint64_t v) { c.tracing.breaker_failures = unsigned(v); }, 1, 1000),
               [](const C& c) { return std::to_string(c.tracing.breaker_failures); }});
  k.push_back({"tracing.breaker_reset_seconds",
               seconds_setter([](C& c, double v) { c.tracing.breaker_reset_seconds = v; }, 0.01, 3600),
               [](const C& c) { return number_text(c.tracing.breaker_reset_seconds); }});
}

const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> specs = [] {
    std::vector<KeySpec> k;
    k.push_back({"server.listen", [](ServiceConfig& c, std::string_view t) { return parse_listen(t, c.server.listen); },
                 [](const ServiceConfig& c) { return to_string(c.server.listen); }});
    k.push_back({"server.io_threads",
                 integer_setter([](ServiceConfig& c, std::uint64_t v) { c.server.io_threads = unsigned(v); }, 1, 64),
                 [](const ServiceConfig& c) { return std::to_string(c.server.io_threads); }});
    k.push_back({"server.idle_timeout_seconds",
                 seconds_setter([](ServiceConfig& c, double v) { c.server.idle_timeout_seconds = v; }, 0.1, 3600),
                 [](const ServiceConfig& c) { return number_text(c.server.idle_timeout_seconds); }});
    k.push_back({"server.request_timeout_seconds",
                 seconds_setter([](ServiceConfig& c, double v) { c.server.request_timeout_seconds = v; }, 0.1, 3600),
                 [](const ServiceConfig& c) { return number_text(c.server.request_timeout_seconds); }});
    add_connection_limit_keys(k);
    k.push_back({"workers.threads",
                 integer_setter([](ServiceConfig& c, std::uint64_t v) { c.workers.threads = unsigned(v); }, 0, 1024),
                 [](const ServiceConfig& c) { return std::to_string(c.workers.threads); }});
    k.push_back({"workers.queue_limit",
                 integer_setter([](ServiceConfig& c, std::uint64_t v) { c.workers.queue_limit = v; }, 0, 1000000),
                 [](const ServiceConfig& c) { return std::to_string(c.workers.queue_limit); }});
    k.push_back({"workers.queue_cpu_seconds",
                 number_setter([](ServiceConfig& c, double v) { c.workers.queue_cpu_seconds = v; }, 0, 1e6,
                               "a number of CPU-seconds (0: 10 per worker)"),
                 [](const ServiceConfig& c) { return number_text(c.workers.queue_cpu_seconds); }});
    k.push_back(
        {"workers.express_threads",
         integer_setter([](ServiceConfig& c, std::uint64_t v) { c.workers.express_threads = unsigned(v); }, 0, 64),
         [](const ServiceConfig& c) { return std::to_string(c.workers.express_threads); }});
    k.push_back({"workers.express_max_cost",
                 number_setter([](ServiceConfig& c, double v) { c.workers.express_max_cost = v; }, 0, 1e6,
                               "a cost in rate-limit tokens"),
                 [](const ServiceConfig& c) { return number_text(c.workers.express_max_cost); }});
    k.push_back({"workers.coalesce", bool_setter([](ServiceConfig& c, bool v) { c.workers.coalesce = v; }),
                 [](const ServiceConfig& c) { return std::string(c.workers.coalesce ? "true" : "false"); }});
    k.push_back({"workers.coalesce_max_batch",
                 integer_setter([](ServiceConfig& c, std::uint64_t v) { c.workers.coalesce_max_batch = v; }, 1, 4096),
                 [](const ServiceConfig& c) { return std::to_string(c.workers.coalesce_max_batch); }});
    k.push_back({"limits.max_body_bytes",
                 size_setter([](ServiceConfig& c, std::size_t v) { c.limits.max_body_bytes = v; }, 1024, 1ull << 30),
                 [](const ServiceConfig& c) { return std::to_string(c.limits.max_body_bytes); }});
    k.push_back(
        {"limits.max_inflight_body_bytes",
         size_setter([](ServiceConfig& c, std::size_t v) { c.limits.max_inflight_body_bytes = v; }, 0, 1ull << 40),
         [](const ServiceConfig& c) { return std::to_string(c.limits.max_inflight_body_bytes); }});
    k.push_back({"limits.max_batch_items",
                 integer_setter([](ServiceConfig& c, std::uint64_t v) { c.limits.max_batch_items = v; }, 1, 100000),
                 [](const ServiceConfig& c) { return std::to_string(c.limits.max_batch_items); }});
    k.push_back(
        {"limits.deadlines",
         checked_text_setter<OperationDeadlines>([](ServiceConfig& c) -> std::string& { return c.limits.deadlines; },
                                                 OperationDeadlines::with_overrides),
         [](const ServiceConfig& c) { return c.limits.deadlines; }, true});
    k.push_back({"shutdown.drain_delay_seconds",
                 seconds_setter([](ServiceConfig& c, double v) { c.shutdown.drain_delay_seconds = v; }, 0, 3600),
                 [](const ServiceConfig& c) { return number_text(c.shutdown.drain_delay_seconds); }});
    k.push_back({"shutdown.grace_seconds",
                 seconds_setter([](ServiceConfig& c, double v) { c.shutdown.grace_seconds = v; }, 0, 3600),
                 [](const ServiceConfig& c) { return number_text(c.shutdown.grace_seconds); }});
    k.push_back(
        {"log.level",
         enum_setter<LogLevel>([](ServiceConfig& c, LogLevel v) { c.log.level = v; }, {{"debug", LogLevel::debug},
                                                                                       {"info", LogLevel::info},
                                                                                       {"warn", LogLevel::warn},
                                                                                       {"error", LogLevel::error},
                                                                                       {"off", LogLevel::off}}),
         [](const ServiceConfig& c) { return to_string(c.log.level); }});
    k.push_back({"log.format",
                 enum_setter<LogFormat>([](ServiceConfig& c, LogFormat v) { c.log.format = v; },
                                        {{"json", LogFormat::json}, {"text", LogFormat::text}}),
                 [](const ServiceConfig& c) { return to_string(c.log.format); }});
    k.push_back({"setup.path",
                 [](ServiceConfig& c, std::string_view t) -> std::optional<std::string> {
                   const std::string path(trim(t));
                   if (!path.empty() && !std::ifstream(path).good())
                     return "cannot read the trusted setup file " + quoted(path) +
                            " (leave setup.path empty for the embedded mainnet setup)";
                   c.setup.path = path;
                   return std::nullopt;
                 },
                 [](const ServiceConfig& c) { return c.setup.path; }});
    k.push_back({"setup.cell_proofs", bool_setter([](ServiceConfig& c, bool v) { c.setup.cell_proofs = v; }),
                 [](const ServiceConfig& c) { return std::string(c.setup.cell_proofs ? "true" : "false"); }});
    k.push_back({"setup.fixed_base_msm", bool_setter([](ServiceConfig& c, bool v) { c.setup.fixed_base_msm = v; }),
                 [](const ServiceConfig& c) { return std::string(c.setup.fixed_base_msm ? "true" : "false"); }});
    add_security_keys(k);
    add_tls_keys(k);
    add_diagnostics_keys(k);
    return k;
  }();
  return specs;
}

const KeySpec* find_key(std::string_view name) {
  for (const auto& k : key_specs())
    if (k.name == name) return &k;
  return nullptr;
}

kzg::Error config_error(const std::string& key, const std::string& message, const std::string& origin) {
  // An empty name ("--set =x", a YAML section "": ...) still gets an error naming where to look.
  if (key.empty())
    return kzg::make_error(kzg::ErrorCode::invalid_config,
                           "config: an empty key name: " + message + " (from " + origin + ")", "config");
  return kzg::make_error(kzg::ErrorCode::invalid_config, key + ": " + message + " (from " + origin + ")", key);
}

std::optional<kzg::Error> apply(ServiceConfig& c, const std::string& key, std::string_view text,
                                const std::string& origin) {
  const KeySpec* spec = find_key(key);
  if (spec == nullptr) {
    std::string known;
    for (const auto& k : key_specs()) known += (known.empty() ? "" : ", ") + k.name;
    return config_error(key, "unknown key; the keys are " + known, origin);
  }
  if (auto why = spec->set(c, text)) return config_error(key, *why, origin);
  return std::nullopt;
}

std::optional<kzg::Error> apply_yaml(ServiceConfig& c, const std::string& path) {
  const std::string origin = "file " + path;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return kzg::make_error(kzg::ErrorCode::invalid_config, "config: cannot read " + quoted(path), "config");
  } catch (const YAML::Exception& e) {
    return kzg::make_error(kzg::ErrorCode::invalid_config, "config: " + path + " is not valid YAML: " + e.what(),
                           "config");
  }
  if (root.IsNull()) return std::nullopt;  // an empty file: all defaults
  if (!root.IsMap())
    return kzg::make_error(kzg::ErrorCode::invalid_config, "config: " + path + " must be a mapping of sections",
                           "config");
  for (const auto& section : root) {
    // A key may be any YAML node ("[a, b]: 1" is a valid mapping); only plain scalars name sections and keys.
    if (!section.first.IsScalar())
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "config: " + path + ": a section name must be a plain word, not a list or mapping",
                             "config");
    const std::string name = section.first.Scalar();
    if (!section.second.IsMap() && !section.second.IsNull())
      return config_error(name, "must be a mapping of keys", origin);
    for (const auto& entry : section.second) {
      if (!entry.first.IsScalar())
        return config_error(name, "a key must be a plain word, not a list or mapping", origin);
      const std::string key = name + "." + entry.first.Scalar();
      std::string text;
      const KeySpec* spec = find_key(key);
      if (entry.second.IsSequence() && spec != nullptr && spec->list) {
        for (const auto& item : entry.second) {
          if (!item.IsScalar()) return config_error(key, "must be a list of single values", origin);
          text += (text.empty() ? "" : ", ") + item.Scalar();
        }
      } else if (!entry.second.IsScalar() && !entry.second.IsNull()) {
        return config_error(key, "must be a single value, not a list or mapping", origin);
      } else {
        text = entry.second.IsNull() ? std::string() : entry.second.Scalar();
      }
      if (auto e = apply(c, key, text, origin)) return e;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string environment_variable_for(const std::string& key) {
  std::string v = "KZGD_";
  for (char ch : key) v += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return v;
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> v;
    for (const auto& k : key_specs()) v.push_back(k.name);
    return v;
  }();
  return keys;
}

kzg::Result<ServiceConfig> load_service_config(const ConfigSources& sources) {
  ServiceConfig c;
  if (sources.file)
    if (auto e = apply_yaml(c, *sources.file)) return *e;
  if (sources.getenv) {
    for (const auto& k : key_specs()) {
      const std::string var = environment_variable_for(k.name);
      if (const char* value = sources.getenv(var.c_str()))
        if (auto e = apply(c, k.name, value, "environment variable " + var)) return *e;
    }
  }
  for (const auto& o : sources.overrides)
    if (auto e = apply(c, o.key, o.text, o.origin)) return *e;
  if (auto e = check_transport_keys(c)) return *e;
  resolve_memory_thresholds(c.diagnostics, sources.memory_max ? sources.memory_max() : std::nullopt);
  return c;
}

std::string to_yaml(const ServiceConfig& config) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  std::string section;
  for (const auto& k : key_specs()) {
    const auto dot = k.name.find('.');
    const std::string s = k.name.substr(0, dot);
    if (s != section) {
      if (!section.empty()) out << YAML::EndMap;
      out << YAML::Key << s << YAML::Value << YAML::BeginMap;
      section = s;
    }
    const std::string value = k.get(config);
    out << YAML::Key << k.name.substr(dot + 1) << YAML::Value;
    if (value.empty() || value.find_first_of(":*&!|>'\"%@`#,[]{}") != std::string::npos)
      out << YAML::DoubleQuoted << value;
    else
      out << value;
  }
  if (!section.empty()) out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::off:
      return "off";
  }
  return "info";
}

std::string to_string(TlsVersion version) { return version == TlsVersion::v1_3 ? "1.3" : "1.2"; }

std::string to_string(LogFormat format) { return format == LogFormat::json ? "json" : "text"; }

std::string to_string(const ListenAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

}  // namespace kzgd
