// RateLimiter: a token bucket per client (an API key's name, else the client address). A bucket holds up to
// `burst` tokens and refills at `rate` tokens per second; a request takes tokens in proportion to its work
// (operation_costs.hpp). A request that costs more than the whole burst passes only when the bucket is full
// and leaves it in debt, so large requests are slowed, never refused for ever.
//
// Memory stays bounded however many clients appear: at most max_buckets buckets exist. When the table is full,
// a new client evicts the least recently used bucket, full or in debt. So a flood of fresh (spoofed) addresses
// only evicts its own buckets and those of clients idle for longer than the flood took to fill the table; a
// new legitimate client always gets a bucket of its own and is never charged for the flood, and a client that
// keeps sending stays at the recent end and keeps its debt. (A shared overflow bucket, the earlier design, let
// such a flood drain the one bucket every newcomer had to use.)
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

#include "engine/common/result.hpp"

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
  double limit = 0;                // the bucket size (burst)
  double remaining = 0;            // tokens left after this request (0 when in debt)
  double reset_seconds = 0;        // until the bucket is full again
  double retry_after_seconds = 0;  // when refused: until this request would pass
};

// Where the buckets live: in this process (RateLimiter) or shared by a fleet (redis/shared_rate_limiter.hpp).
class RateBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~RateBuckets() = default;
  // See RateLimiter::take.
  virtual RateDecision take(std::string_view client, const RateTier& tier, double cost, Clock::time_point now,
                            double already = 0) = 0;
};

class RateLimiter : public RateBuckets {
 public:
  explicit RateLimiter(std::size_t max_buckets) : max_buckets_(max_buckets == 0 ? 1 : max_buckets) {}

  // Takes cost tokens from client's bucket if it has them: min(already + cost, burst) - already must be there,
  // where `already` is what this request paid before (a batch's arrival charge, which each retry pays again),
  // so a request costing more than the burst passes on a full bucket. When refused, retry_after_seconds is
  // when the same request, paying `already` again, will pass.
  RateDecision take(std::string_view client, const RateTier& tier, double cost, Clock::time_point now,
                    double already = 0) override;

  std::size_t bucket_count() const;
  std::size_t max_buckets() const { return max_buckets_; }

 private:
  struct Bucket {
    std::string client;
    double tokens = 0;
    Clock::time_point updated;
  };
  using BucketList = std::list<Bucket>;

  static void refill(Bucket& b, const RateTier& tier, Clock::time_point now);
  static RateDecision spend(Bucket& b, const RateTier& tier, double cost, double already);
  Bucket* find_or_make(std::string_view client, const RateTier& tier, Clock::time_point now);

  const std::size_t max_buckets_;
  mutable std::mutex mutex_;
  BucketList lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, BucketList::iterator> index_;  // views into Bucket::client
};

}  // namespace kzgd
