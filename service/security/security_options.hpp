// The security controls' options (docs/security.md): access lists (access.*), CORS (cors.*), API keys (auth.*)
// and rate limits (rate_limit.*). Each list is parsed once, when the configuration loads, into the object its
// filter uses (service/api/filters/security_filters.hpp builds the filters from these).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "service/config/section.hpp"
#include "service/security/cors_policy.hpp"
#include "service/security/ip_range.hpp"
#include "service/security/operation_costs.hpp"
#include "service/security/rate_limiter.hpp"

namespace kzgd {

struct AccessOptions {
  config::Parsed<IpRangeList> allow;            // CIDR ranges; empty: every address not denied
  config::Parsed<IpRangeList> deny;             // CIDR ranges, checked first
  config::Parsed<IpRangeList> trusted_proxies;  // peers whose X-Forwarded-For is believed

  static void declare(config::Section<AccessOptions>& s);
};

struct CorsOptions {
  std::string allowed_origins;  // empty: CORS off
  std::string allowed_methods = "GET, POST";
  std::string allowed_headers = "Authorization, Content-Type, Accept, X-API-Key, X-Request-Id, X-Request-Timeout";
  unsigned max_age_seconds = 600;
  CorsPolicy policy = default_policy();  // built from the four when loading; not a key

  static void declare(config::Section<CorsOptions>& s);
  static CorsPolicy default_policy();
};

struct AuthOptions {
  bool enabled = false;           // require API keys (everything but /health, /ready, /openapi.json and open /metrics)
  std::string keys_file;          // the YAML keys file (security/api_key_store.hpp); reloaded on SIGHUP
  bool open_metrics = true;       // /metrics without a key; false: it needs the admin permission
  bool allow_empty_keys = false;  // a keys file with no keys is accepted (else refused, keeping the old keys)

  static void declare(config::Section<AuthOptions>& s);
};

using RateTiers = std::vector<std::pair<std::string, RateTier>>;

struct RateLimitOptions {
  bool enabled = false;
  double rate = 1000;               // tokens per second per client (1 token ~ one verify_kzg_proof)
  double burst = 2000;              // bucket size
  config::Parsed<RateTiers> tiers;  // "NAME=RATE/BURST, ..." for API keys that name a tier
  config::Parsed<OperationCosts> costs =
      config::parsed_default<OperationCosts>("", OperationCosts::with_overrides);  // "OPERATION=COST, ..."
  std::size_t max_clients = 100000;  // most buckets kept at once (memory bound)

  static void declare(config::Section<RateLimitOptions>& s);
};

}  // namespace kzgd
