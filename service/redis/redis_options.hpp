// Redis as an optional shared store for a fleet of replicas (redis.*): the shared rate-limit buckets
// (shared_rate_limiter.hpp) and the second tier of the result cache (service/cache/result_cache.hpp). Empty
// redis.url: no Redis, and kzgd runs as a single process needs to.
#pragma once

#include <cstdint>
#include <string>

#include "engine/common/result.hpp"
#include "service/config/section.hpp"

namespace kzgd {

// Where Redis is, from redis://[user:password@]host:port/db (user and password percent-decoded).
struct RedisEndpoint {
  std::string host;
  std::uint16_t port = 6379;
  std::string user;
  std::string password;
  unsigned db = 0;
};

// The URL's endpoint; an error says what is wrong (never repeating the password).
kzg::Result<RedisEndpoint> parse_redis_url(std::string_view url);
// The URL with its password replaced by "***", for logs and --check-config.
std::string redacted_redis_url(std::string_view url);

struct RedisOptions {
  std::string url;                    // empty: Redis off
  std::string password_file;          // a file holding the password (overrides the URL's); for mounted secrets
  unsigned command_timeout_ms = 5;    // the most a request waits on one Redis command, connection included
  unsigned connect_timeout_ms = 100;  // the background thread's connects and probes
  unsigned pool_size = 8;
  unsigned breaker_failures = 3;     // consecutive failures that open the circuit breaker
  double breaker_retry_seconds = 2;  // while open, how often a background probe tries Redis again
  std::string key_prefix = "kzgd:";  // of every key kzgd writes
  unsigned expected_replicas = 3;    // the fleet's usual size, for the default fallback share
  double fallback_rate_share = 0;    // 0: 1 / expected_replicas

  bool enabled() const { return !url.empty(); }
  // The share of each configured rate and burst one replica enforces while Redis is unreachable.
  double fallback_share() const {
    return fallback_rate_share > 0 ? fallback_rate_share : 1.0 / (expected_replicas == 0 ? 1 : expected_replicas);
  }

  static void declare(config::Section<RedisOptions>& s);
};

}  // namespace kzgd
