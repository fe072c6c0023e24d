#include "service/redis/redis_options.hpp"

#include <charconv>

#include "engine/common/hex.hpp"

namespace kzgd {
namespace {

kzg::Error bad_url(const std::string& why) {
  return kzg::make_error(kzg::ErrorCode::invalid_config, "expected redis://[user:password@]host:port/db, " + why,
                         "redis.url");
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = kzg::hex_digit_value(s[i + 1]), lo = kzg::hex_digit_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

kzg::Result<RedisEndpoint> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) {
    if (url.starts_with("rediss://")) return bad_url("and TLS to Redis (rediss://) is not supported");
    return bad_url("the scheme must be redis://");
  }
  std::string_view rest = url.substr(scheme.size());
  RedisEndpoint e;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    auto password = percent_decode(colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1));
    if (!user || !password) return bad_url("and the user or password has a malformed %-escape");
    e.user = std::move(*user);
    e.password = std::move(*password);
  }
  std::string_view hostport = rest, db;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    db = rest.substr(slash + 1);
  }
  std::string_view port;
  if (hostport.starts_with('[')) {  // [v6]:port
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return bad_url("and the IPv6 address has no closing ]");
    e.host = std::string(hostport.substr(1, close - 1));
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') return bad_url("and ] must be followed by :port");
      port = hostport.substr(close + 2);
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    e.host = std::string(hostport.substr(0, colon));
    port = hostport.substr(colon + 1);
  } else {
    e.host = std::string(hostport);
  }
  if (e.host.empty()) return bad_url("and the host is missing");
  if (!port.empty() || hostport.ends_with(':')) {
    unsigned p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535)
      return bad_url("and the port must be 1-65535");
    e.port = static_cast<std::uint16_t>(p);
  }
  if (!db.empty()) {
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(db.data(), db.data() + db.size(), n);
    if (ec != std::errc() || end != db.data() + db.size() || n > 15)
      return bad_url("and the database must be a number 0-15");
    e.db = n;
  }
  return e;
}

std::string redacted_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) return std::string(url);
  const std::string_view rest = url.substr(scheme.size());
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const std::string_view userinfo = rest.substr(0, at);
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(scheme) + std::string(userinfo.substr(0, colon)) + ":***" + std::string(rest.substr(at));
}

void RedisOptions::declare(config::Section<RedisOptions>& s) {
  s.custom(
      "url",
      [](RedisOptions& o, std::string_view t) -> std::optional<std::string> {
        const std::string url(trim(t));
        if (!url.empty())
          if (auto e = parse_redis_url(url); !e) return e.error().message;
        o.url = url;
        return std::nullopt;
      },
      [](const RedisOptions& o) { return redacted_redis_url(o.url); });
  s.file("password_file", &RedisOptions::password_file);
  s.integer("command_timeout_ms", &RedisOptions::command_timeout_ms, 1, 10000);
  s.integer("connect_timeout_ms", &RedisOptions::connect_timeout_ms, 1, 60000);
  s.integer("pool_size", &RedisOptions::pool_size, 1, 256);
  s.integer("breaker_failures", &RedisOptions::breaker_failures, 1, 1000);
  s.seconds("breaker_retry_seconds", &RedisOptions::breaker_retry_seconds, 0.05, 3600);
  s.checked_text("key_prefix", &RedisOptions::key_prefix, [](const std::string& p) -> std::optional<std::string> {
    if (p.size() > 64) return "is longer than 64 characters";
    for (const char c : p)
      if (c <= ' ' || c > '~') return "must be printable ASCII without spaces";
    return std::nullopt;
  });
  s.integer("expected_replicas", &RedisOptions::expected_replicas, 1, 10000);
  s.number("fallback_rate_share", &RedisOptions::fallback_rate_share, 0, 1,
           "a share of each rate in [0, 1] (0: 1 / redis.expected_replicas)");
}

}  // namespace kzgd
