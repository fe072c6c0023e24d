#include "service/redis/shared_rate_limiter.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <charconv>

#include "engine/common/hex.hpp"

namespace kzgd {
namespace {

// KEYS[1]: the bucket. ARGV: rate, burst, cost, already. Returns {allowed, tokens, retry_after_seconds}, the
// numbers as strings (Lua numbers returned to Redis are truncated to integers). The rules are RateLimiter's.
constexpr std::string_view kScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local cost, already = tonumber(ARGV[3]), tonumber(ARGV[4])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens, updated = tonumber(held[1]), tonumber(held[2])
if tokens == nil or updated == nil then
  tokens, updated = burst, now
end
if now > updated then
  tokens = math.min(burst, tokens + (now - updated) * rate)
  updated = now
end
tokens = math.min(tokens, burst)
local needed = math.max(0, math.min(already + cost, burst) - already)
local allowed, retry = 0, 0
if tokens >= needed then
  tokens = tokens - cost
  allowed = 1
else
  retry = (needed + already - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updated', string.format('%.17g', updated))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return {allowed, string.format('%.17g', tokens), string.format('%.17g', retry)}
)lua";

std::string sha1_hex(std::string_view text) {
  std::uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return kzg::to_hex(digest);
}

std::string number(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

std::optional<double> parse_number(const RedisValue& v) {
  if (v.type == RedisValue::Type::integer) return static_cast<double>(v.integer);
  if (v.type != RedisValue::Type::string) return std::nullopt;
  double out = 0;
  const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  if (ec != std::errc() || end != v.text.data() + v.text.size()) return std::nullopt;
  return out;
}

}  // namespace

const std::string& SharedRateLimiter::script() {
  static const std::string s(kScript);
  return s;
}

SharedRateLimiter::SharedRateLimiter(RedisClient& redis, std::string key_prefix, double fallback_share,
                                     std::size_t max_local_buckets, prometheus::Registry& registry)
    : redis_(redis),
      prefix_(std::move(key_prefix)),
      fallback_share_(fallback_share),
      script_sha1_(sha1_hex(kScript)),
      local_(max_local_buckets),
      shared_gauge_(prometheus::BuildGauge()
                        .Name("kzgd_rate_limit_shared")
                        .Help("1 when rate-limit buckets live in Redis (shared by the fleet), 0 while this replica "
                              "enforces its fallback share locally")
                        .Register(registry)
                        .Add({})),
      mode_changes_(prometheus::BuildCounter()
                        .Name("kzgd_rate_limit_mode_changes_total")
                        .Help("Changes of the rate-limit mode, by the mode entered (shared, fallback)")
                        .Register(registry)),
      decisions_(prometheus::BuildCounter()
                     .Name("kzgd_rate_limit_decisions_total")
                     .Help("Rate-limit decisions by where they were taken (shared: Redis, local: the fallback "
                           "share)")
                     .Register(registry)) {
  for (const char* mode : {"shared", "fallback"}) mode_changes_.Add({{"mode", mode}});
  for (const char* where : {"shared", "local"}) decisions_.Add({{"where", where}});
  shared_gauge_.Set(redis_.up() ? 1 : 0);
}

void SharedRateLimiter::mode_changed(bool shared) {
  shared_gauge_.Set(shared ? 1 : 0);
  // The first report (at start) sets the mode; later ones change it.
  if (reported_.exchange(true)) mode_changes_.Add({{"mode", shared ? "shared" : "fallback"}}).Increment();
}

std::optional<RateDecision> SharedRateLimiter::take_shared(std::string_view client, const RateTier& tier, double cost,
                                                           double already) {
  const std::string key = prefix_ + "rl:" + std::string(client);
  const std::string rate = number(tier.rate), burst = number(tier.burst), c = number(cost), a = number(already);
  const std::string_view by_sha[] = {"EVALSHA", script_sha1_, "1", key, rate, burst, c, a};
  auto reply = redis_.command("rate_limit", by_sha);
  if (reply && reply->is_error() && reply->text.starts_with("NOSCRIPT")) {
    // The first call on this Redis (or after a restart or SCRIPT FLUSH): EVAL loads it.
    const std::string_view by_text[] = {"EVAL", kScript, "1", key, rate, burst, c, a};
    reply = redis_.command("rate_limit", by_text);
  }
  if (!reply || reply->type != RedisValue::Type::array || reply->elements.size() != 3) return std::nullopt;
  const auto allowed = parse_number(reply->elements[0]);
  const auto tokens = parse_number(reply->elements[1]);
  const auto retry = parse_number(reply->elements[2]);
  if (!allowed || !tokens || !retry) return std::nullopt;
  RateDecision d;
  d.allowed = *allowed == 1;
  d.limit = tier.burst;
  d.remaining = std::max(0.0, *tokens);
  d.reset_seconds = std::max(0.0, (tier.burst - *tokens) / tier.rate);
  d.retry_after_seconds = *retry;
  return d;
}

RateDecision SharedRateLimiter::take(std::string_view client, const RateTier& tier, double cost, Clock::time_point now,
                                     double already) {
  if (redis_.up()) {
    if (auto d = take_shared(client, tier, cost, already)) {
      decisions_.Add({{"where", "shared"}}).Increment();
      return *d;
    }
  }
  decisions_.Add({{"where", "local"}}).Increment();
  const RateTier share{tier.rate * fallback_share_, tier.burst * fallback_share_};
  return local_.take(client, share, cost, now, already);
}

}  // namespace kzgd
