// RateLimitFilter: a token bucket per client for the operations (POST /v1/...; rate_limit.* keys;
// security/rate_limiter.hpp). The client is the API key's name when the request authenticated, else its
// address; the key's tier sets the bucket's rate and burst. A request takes its cost in tokens
// (security/operation_costs.hpp); a batch takes one token at once and its items' costs when its body is parsed.
//
// Every limited answer carries RateLimit-Limit (the burst), RateLimit-Remaining, RateLimit-Reset (seconds until
// the bucket is full) and RateLimit-Policy ("BURST;w=SECONDS", the time to refill it), after the IETF httpapi
// draft; a refusal is 429 rate_limited with Retry-After (seconds until the request would pass).
#pragma once

#include <functional>
#include <map>

#include "service/api/filters/request_filter.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/security/operation_costs.hpp"
#include "service/security/rate_limiter.hpp"

namespace kzgd {

struct RateLimitPolicy {
  RateTier default_tier;  // clients without a key, keys without a tier
  std::map<std::string, RateTier, std::less<>> tiers;
  OperationCosts costs;
};

class RateLimitFilter : public RequestFilter {
 public:
  using Clock = std::function<RateBuckets::Clock::time_point()>;

  RateLimitFilter(
      RateBuckets& limiter, RateLimitPolicy policy, ServiceMetrics& metrics,
      Clock clock = [] { return RateBuckets::Clock::now(); })
      : limiter_(limiter), policy_(std::move(policy)), metrics_(metrics), clock_(std::move(clock)) {}

  bool pass(Exchange& exchange) override;

 private:
  const RateTier& tier_for(const Exchange& exchange) const;

  RateBuckets& limiter_;
  const RateLimitPolicy policy_;
  ServiceMetrics& metrics_;
  const Clock clock_;
};

// Sets the RateLimit-* headers of a decision on a response.
void set_rate_limit_headers(HttpResponse& response, const RateDecision& decision, const RateTier& tier);

}  // namespace kzgd
