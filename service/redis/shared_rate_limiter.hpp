// SharedRateLimiter: the rate-limit buckets of a fleet, in Redis (redis.url with rate_limit.enabled), so that N
// replicas enforce each client's configured rate in total rather than N times it. A bucket is a Redis hash
// updated by one server-side script (a token bucket with the same rules as RateLimiter: cost weights, tiers,
// debts of requests larger than the burst), on Redis's clock, so replicas' clocks do not matter. It expires
// once it would be full again, so idle clients cost Redis nothing.
//
// Whenever Redis does not answer within the budget (RedisClient), the request is decided by this replica's own
// buckets, each tier scaled to redis.fallback_rate_share: never unlimited, never refusing everyone. The mode
// (shared or fallback) follows the Redis circuit breaker; kzgd_rate_limit_shared shows it, and
// kzgd_rate_limit_mode_changes_total counts its changes.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <string>

#include "service/redis/redis_client.hpp"
#include "service/security/rate_limiter.hpp"

namespace kzgd {

class SharedRateLimiter : public RateBuckets {
 public:
  SharedRateLimiter(RedisClient& redis, std::string key_prefix, double fallback_share, std::size_t max_local_buckets,
                    prometheus::Registry& registry);

  RateDecision take(std::string_view client, const RateTier& tier, double cost, Clock::time_point now,
                    double already = 0) override;

  // Redis's breaker changed (RedisClient::on_change).
  void mode_changed(bool shared);
  bool shared() const { return redis_.up(); }
  double fallback_share() const { return fallback_share_; }

  // The script, for the tests.
  static const std::string& script();

 private:
  std::optional<RateDecision> take_shared(std::string_view client, const RateTier& tier, double cost, double already);

  RedisClient& redis_;
  const std::string prefix_;
  const double fallback_share_;
  const std::string script_sha1_;
  RateLimiter local_;
  std::atomic<bool> reported_{false};
  prometheus::Gauge& shared_gauge_;
  prometheus::Family<prometheus::Counter>& mode_changes_;
  prometheus::Family<prometheus::Counter>& decisions_;
};

}  // namespace kzgd
