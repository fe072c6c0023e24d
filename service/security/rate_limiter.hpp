// RateLimiter: a token bucket per client (an API key's name, else the client address). A bucket holds up to
// `burst` tokens and refills at `rate` tokens per second; a request takes tokens in proportion to its work
// (operation_costs.hpp). A request that costs more than the whole burst passes only when the bucket is full
// and leaves it in debt, so large requests are slowed, never refused for ever.
//
// Memory stays bounded however many clients appear: at most max_buckets buckets exist. When the table is full,
// a new client first evicts the least recently used bucket if it has refilled to full (dropping a full bucket
// loses nothing: a new one starts full); when even that bucket is not full, the new client shares one
// overflow bucket with every other such client until room appears. So a flood of fresh addresses can only
// slow itself down, and cannot reset the buckets of clients already being limited.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace kzgd {

struct RateTier {
  double rate = 1000;   // tokens per second
  double burst = 2000;  // bucket size
};

// rate_limit.tiers: "name=RATE/BURST, ..." (e.g. "bulk=20000/40000, trial=100/200"). Names are
// [A-Za-z0-9_-]; RATE and BURST are positive numbers.
kzg::Result<std::vector<std::pair<std::string, RateTier>>> parse_rate_tiers(std::string_view text);

struct RateDecision {
  bool allowed = true;
  double limit = 0;          // the bucket size (burst)
  double remaining = 0;      // tokens left after this request (0 when in debt)
  double reset_seconds = 0;  // until the bucket is full again
  double retry_after_seconds = 0;  // when refused: until this request would pass
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(std::size_t max_buckets) : max_buckets_(max_buckets == 0 ? 1 : max_buckets) {}

  // Takes cost tokens from client's bucket if it has them (min(cost, burst) must be there).
  RateDecision take(std::string_view client, const RateTier& tier, double cost, Clock::time_point now);

  std::size_t bucket_count() const;
  std::size_t max_buckets() const { return max_buckets_; }

  // The client name of the shared overflow bucket (also the name it has in logs).
  static constexpr std::string_view kOverflowClient = "(overflow)";

 private:
  struct Bucket {
    std::string client;
    double tokens = 0;
    Clock::time_point updated;
  };
  using BucketList = std::list<Bucket>;

  static void refill(Bucket& b, const RateTier& tier, Clock::time_point now);
  static RateDecision spend(Bucket& b, const RateTier& tier, double cost);
  Bucket* find_or_make(std::string_view client, const RateTier& tier, Clock::time_point now);

  const std::size_t max_buckets_;
  mutable std::mutex mutex_;
  BucketList lru_;  // most recently used first
  std::unordered_map<std::string_view, BucketList::iterator> index_;  // views into Bucket::client
  Bucket overflow_{std::string(kOverflowClient), 0, {}};
  bool overflow_used_ = false;  // the overflow bucket starts full when first needed
};

}  // namespace kzgd
