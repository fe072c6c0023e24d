#include "service/security/security_options.hpp"

namespace kzgd {
namespace {

void range_list(config::Section<AccessOptions>& s, const char* name,
                config::Parsed<IpRangeList> AccessOptions::*field) {
  const std::string key = s.key(name);
  s.parsed<IpRangeList>(name, field, [key](std::string_view t) { return IpRangeList::parse(t, key); });
}

// One CORS list checked alone, the others at harmless values: the error names that list.
std::optional<std::string> check_cors(std::string_view origins, std::string_view methods, std::string_view headers) {
  auto policy = CorsPolicy::make(origins, methods, headers, 0);
  if (!policy) return policy.error().message;
  return std::nullopt;
}

}  // namespace

void AccessOptions::declare(config::Section<AccessOptions>& s) {
  range_list(s, "allow", &AccessOptions::allow);
  range_list(s, "deny", &AccessOptions::deny);
  range_list(s, "trusted_proxies", &AccessOptions::trusted_proxies);
}

CorsPolicy CorsOptions::default_policy() {
  const CorsOptions o{.allowed_origins = {}, .policy = {}};
  auto p = CorsPolicy::make(o.allowed_origins, o.allowed_methods, o.allowed_headers, o.max_age_seconds);
  return p ? std::move(p).value() : CorsPolicy{};
}

void CorsOptions::declare(config::Section<CorsOptions>& s) {
  s.checked_text(
      "allowed_origins", &CorsOptions::allowed_origins, [](const std::string& t) { return check_cors(t, "GET", ""); },
      true);
  s.checked_text(
      "allowed_methods", &CorsOptions::allowed_methods, [](const std::string& t) { return check_cors("", t, ""); },
      true);
  s.checked_text(
      "allowed_headers", &CorsOptions::allowed_headers, [](const std::string& t) { return check_cors("", "GET", t); },
      true);
  s.integer("max_age_seconds", &CorsOptions::max_age_seconds, 0, 86400);
  s.rule([](CorsOptions& o) -> std::optional<kzg::Error> {
    auto policy = CorsPolicy::make(o.allowed_origins, o.allowed_methods, o.allowed_headers, o.max_age_seconds);
    if (!policy) return policy.error();
    o.policy = std::move(policy).value();
    return std::nullopt;
  });
}

void AuthOptions::declare(config::Section<AuthOptions>& s) {
  s.boolean("enabled", &AuthOptions::enabled);
  s.file("keys_file", &AuthOptions::keys_file, "create it with `kzg keys new`");
  s.boolean("open_metrics", &AuthOptions::open_metrics);
  s.boolean("allow_empty_keys", &AuthOptions::allow_empty_keys);
  s.rule([](AuthOptions& o) -> std::optional<kzg::Error> {
    if (o.enabled && o.keys_file.empty())
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "auth.keys_file: auth.enabled is true but no keys file is named (create one with "
                             "`kzg keys new`)",
                             "auth.keys_file");
    return std::nullopt;
  });
}

void RateLimitOptions::declare(config::Section<RateLimitOptions>& s) {
  s.boolean("enabled", &RateLimitOptions::enabled);
  s.positive("rate", &RateLimitOptions::rate, 1e9);
  s.positive("burst", &RateLimitOptions::burst, 1e9);
  s.parsed<RateTiers>("tiers", &RateLimitOptions::tiers, parse_rate_tiers);
  s.parsed<OperationCosts>("costs", &RateLimitOptions::costs, OperationCosts::with_overrides);
  s.integer("max_clients", &RateLimitOptions::max_clients, 1, 10000000);
}

}  // namespace kzgd
