// SecurityFilters: the security controls built from the configuration, in their places in the API's chain:
//
//   before routing   AccessFilter (access.*: allow and deny lists, trusted proxies), then CorsFilter (cors.*)
//   after routing    AuthFilter (auth.*: API keys and permissions), then RateLimitFilter (rate_limit.*)
//
// The access filter always runs (it resolves the client's address); the others only when configured on.
// docs/security.md describes what each defends and how to set it up.
#pragma once

#include <memory>
#include <optional>

#include "service/api/filters/access_filter.hpp"
#include "service/api/filters/auth_filter.hpp"
#include "service/api/filters/cors_filter.hpp"
#include "service/api/filters/rate_limit_filter.hpp"
#include "service/redis/shared_rate_limiter.hpp"
#include "service/service_config.hpp"

namespace kzgd {

class SecurityFilters {
 public:
  // From the configuration's parsed values (a configuration built in code sets them with set_config_value).
  // With a Redis client (redis.url set), the rate-limit buckets are the fleet's, in Redis
  // (redis/shared_rate_limiter.hpp); the client must outlive the filters and not be started yet.
  SecurityFilters(const ServiceConfig& config, ServiceMetrics& metrics, RedisClient* redis = nullptr);

  // Before serving: loads the keys file (auth on). The error names the config key at fault.
  std::optional<kzg::Error> prepare();
  // Reads the keys file again (SIGHUP); the old keys stay when the new file is bad. The key count; 0 without auth.
  kzg::Result<std::size_t> reload();

  ApiFilters filters();
  bool auth_enabled() const { return keys_ != nullptr; }
  const RateLimiter* rate_limiter() const { return limiter_.get(); }
  const SharedRateLimiter* shared_rate_limiter() const { return shared_limiter_.get(); }

 private:
  std::unique_ptr<AccessFilter> access_;
  std::unique_ptr<CorsFilter> cors_;
  std::unique_ptr<ApiKeyStore> keys_;
  std::unique_ptr<AuthFilter> auth_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<SharedRateLimiter> shared_limiter_;
  std::unique_ptr<RateLimitFilter> rate_limit_;
};

// Whether a listen host reaches only this machine (127.0.0.0/8, ::1, localhost).
bool is_loopback_host(const std::string& host);

}  // namespace kzgd
