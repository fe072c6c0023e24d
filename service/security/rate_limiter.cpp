#include "service/security/rate_limiter.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "service/util/text.hpp"

namespace kzgd {
namespace {

bool positive_number(std::string_view s, double& out) {
  s = trim(s);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && out > 0 && std::isfinite(out);
}

}  // namespace

kzg::Result<std::vector<std::pair<std::string, RateTier>>> parse_rate_tiers(std::string_view text) {
  std::vector<std::pair<std::string, RateTier>> tiers;
  for (const std::string_view item : split_list(text)) {
    const auto eq = item.find('='), slash = item.find('/');
    const std::string bad = "expected NAME=RATE/BURST (e.g. bulk=20000/40000), got \"" + std::string(item) + "\"";
    if (eq == std::string_view::npos || slash == std::string_view::npos || slash < eq)
      return kzg::make_error(kzg::ErrorCode::invalid_config, bad, "rate_limit.tiers");
    const std::string name(trim(item.substr(0, eq)));
    RateTier tier;
    const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    if (!name_ok || !positive_number(item.substr(eq + 1, slash - eq - 1), tier.rate) ||
        !positive_number(item.substr(slash + 1), tier.burst))
      return kzg::make_error(kzg::ErrorCode::invalid_config, bad, "rate_limit.tiers");
    for (const auto& [n, t] : tiers)
      if (n == name)
        return kzg::make_error(kzg::ErrorCode::invalid_config, "tier \"" + name + "\" is named twice",
                               "rate_limit.tiers");
    tiers.emplace_back(name, tier);
  }
  return tiers;
}

void RateLimiter::refill(Bucket& b, const RateTier& tier, Clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) b.tokens = std::min(tier.burst, b.tokens + elapsed * tier.rate);
  b.tokens = std::min(b.tokens, tier.burst);  // the tier may have shrunk (a key moved to a smaller one)
  if (now > b.updated) b.updated = now;
}

RateDecision RateLimiter::spend(Bucket& b, const RateTier& tier, double cost, double already) {
  RateDecision d;
  d.limit = tier.burst;
  const double needed = std::max(0.0, std::min(already + cost, tier.burst) - already);
  if (b.tokens >= needed) {
    b.tokens -= cost;
  } else {
    d.allowed = false;
    // A retry pays `already` again before this check.
    d.retry_after_seconds = (needed + already - b.tokens) / tier.rate;
  }
  d.remaining = std::max(0.0, b.tokens);
  d.reset_seconds = (tier.burst - b.tokens) / tier.rate;
  return d;
}

RateLimiter::Bucket* RateLimiter::find_or_make(std::string_view client, const RateTier& tier, Clock::time_point now) {
  if (const auto it = index_.find(client); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);  // to the front; iterators stay valid
    return &*it->second;
  }
  if (lru_.size() >= max_buckets_ && !lru_.empty()) {
    index_.erase(lru_.back().client);
    lru_.pop_back();
  }
  lru_.push_front(Bucket{std::string(client), tier.burst, now});
  index_.emplace(lru_.front().client, lru_.begin());
  return &lru_.front();
}

RateDecision RateLimiter::take(std::string_view client, const RateTier& tier, double cost, Clock::time_point now,
                               double already) {
  std::lock_guard lock(mutex_);
  Bucket* b = find_or_make(client, tier, now);
  refill(*b, tier, now);
  return spend(*b, tier, cost, already);
}

std::size_t RateLimiter::bucket_count() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

}  // namespace kzgd
