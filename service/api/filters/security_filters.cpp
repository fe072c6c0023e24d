#include "service/api/filters/security_filters.hpp"

#include "service/security/client_address.hpp"

namespace kzgd {
namespace {

template <class T>
T value_or_note(kzg::Result<T> result, std::optional<kzg::Error>& error) {
  if (result) return std::move(result).value();
  if (!error) error = result.error();
  return T{};
}

std::vector<std::string> tier_names(const std::map<std::string, RateTier, std::less<>>& tiers) {
  std::vector<std::string> names;
  for (const auto& [name, tier] : tiers) names.push_back(name);
  return names;
}

}  // namespace

SecurityFilters::SecurityFilters(const ServiceConfig& config, ServiceMetrics& metrics) {
  AccessLists lists;
  lists.allow = value_or_note(IpRangeList::parse(config.access.allow, "access.allow"), error_);
  lists.deny = value_or_note(IpRangeList::parse(config.access.deny, "access.deny"), error_);
  lists.trusted_proxies =
      value_or_note(IpRangeList::parse(config.access.trusted_proxies, "access.trusted_proxies"), error_);
  access_ = std::make_unique<AccessFilter>(std::move(lists), metrics);

  const auto& c = config.cors;
  CorsPolicy cors = value_or_note(
      CorsPolicy::make(c.allowed_origins, c.allowed_methods, c.allowed_headers, c.max_age_seconds), error_);
  if (cors.enabled()) cors_ = std::make_unique<CorsFilter>(std::move(cors));

  RateLimitPolicy policy;
  policy.default_tier = RateTier{config.rate_limit.rate, config.rate_limit.burst};
  for (auto& [name, tier] : value_or_note(parse_rate_tiers(config.rate_limit.tiers), error_))
    policy.tiers.emplace(name, tier);
  policy.costs = value_or_note(OperationCosts::with_overrides(config.rate_limit.costs), error_);

  if (config.auth.enabled) {
    if (config.auth.keys_file.empty() && !error_)
      error_ = kzg::make_error(kzg::ErrorCode::invalid_config,
                               "auth.keys_file: auth.enabled is true but no keys file is named (create one with "
                               "`kzg keys new`)",
                               "auth.keys_file");
    keys_ =
        std::make_unique<ApiKeyStore>(config.auth.keys_file, tier_names(policy.tiers), config.auth.allow_empty_keys);
    auth_ = std::make_unique<AuthFilter>(*keys_, config.auth.open_metrics, metrics);
  }
  if (config.rate_limit.enabled) {
    limiter_ = std::make_unique<RateLimiter>(config.rate_limit.max_clients);
    rate_limit_ = std::make_unique<RateLimitFilter>(*limiter_, std::move(policy), metrics);
  }
}

std::optional<kzg::Error> SecurityFilters::prepare() {
  if (error_) return error_;
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
