#include "service/api/filters/security_filters.hpp"

#include "service/security/client_address.hpp"

namespace kzgd {
namespace {

std::vector<std::string> tier_names(const std::map<std::string, RateTier, std::less<>>& tiers) {
  std::vector<std::string> names;
  names.reserve(tiers.size());
  for (const auto& [name, tier] : tiers) names.push_back(name);
  return names;
}

}  // namespace

SecurityFilters::SecurityFilters(const ServiceConfig& config, ServiceMetrics& metrics, RedisClient* redis) {
  // Every list was parsed when the configuration loaded (service/security/security_options.hpp).
  AccessLists lists;
  lists.allow = config.access.allow.value;
  lists.deny = config.access.deny.value;
  lists.trusted_proxies = config.access.trusted_proxies.value;
  access_ = std::make_unique<AccessFilter>(std::move(lists), metrics);
  if (config.cors.policy.enabled()) cors_ = std::make_unique<CorsFilter>(config.cors.policy);

  RateLimitPolicy policy;
  policy.default_tier = RateTier{config.rate_limit.rate, config.rate_limit.burst};
  for (const auto& [name, tier] : config.rate_limit.tiers.value) policy.tiers.emplace(name, tier);
  policy.costs = config.rate_limit.costs.value;

  if (config.auth.enabled) {
    keys_ =
        std::make_unique<ApiKeyStore>(config.auth.keys_file, tier_names(policy.tiers), config.auth.allow_empty_keys);
    auth_ = std::make_unique<AuthFilter>(*keys_, config.auth.open_metrics, metrics);
  }
  if (config.rate_limit.enabled && redis != nullptr) {
    shared_limiter_ =
        std::make_unique<SharedRateLimiter>(*redis, config.redis.key_prefix, config.redis.fallback_share(),
                                            config.rate_limit.max_clients, metrics.registry());
    redis->on_change([limiter = shared_limiter_.get()](bool up) { limiter->mode_changed(up); });
    rate_limit_ = std::make_unique<RateLimitFilter>(*shared_limiter_, std::move(policy), metrics);
  } else if (config.rate_limit.enabled) {
    limiter_ = std::make_unique<RateLimiter>(config.rate_limit.max_clients);
    rate_limit_ = std::make_unique<RateLimitFilter>(*limiter_, std::move(policy), metrics);
  }
}

std::optional<kzg::Error> SecurityFilters::prepare() {
  if (keys_) {
    auto loaded = keys_->reload();
    if (!loaded) return kzg::make_error(kzg::ErrorCode::invalid_config, loaded.error().message, "auth.keys_file");
  }
  return std::nullopt;
}

kzg::Result<std::size_t> SecurityFilters::reload() {
  if (!keys_) return std::size_t{0};
  return keys_->reload();
}

ApiFilters SecurityFilters::filters() {
  ApiFilters f;
  f.before_routing.push_back(access_.get());
  if (cors_) f.before_routing.push_back(cors_.get());
  if (auth_) f.after_routing.push_back(auth_.get());
  if (rate_limit_) f.after_routing.push_back(rate_limit_.get());
  return f;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  const auto address = parse_ip_address(host);
  return address && is_loopback(*address);
}

}  // namespace kzgd
