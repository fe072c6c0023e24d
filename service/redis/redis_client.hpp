// RedisClient: the service's one way to Redis (hiredis, Debian's libhiredis-dev; docs/operations.md says why).
// A request never waits on Redis longer than redis.command_timeout_ms, connection included:
//   - a fixed pool of connections, opened and refilled by a background thread, so the request path never
//     connects (it waits for a free connection within the same budget, then gives up: "busy");
//   - each command's socket timeout is what is left of the budget; a connection that timed out or failed is
//     closed, never reused with a reply still pending;
//   - a circuit breaker: redis.breaker_failures consecutive failures open it, and then no request calls Redis
//     at all ("unavailable") until the background thread's probe (every redis.breaker_retry_seconds) gets an
//     answer. The background thread also pings an idle Redis, so a dead Redis is noticed without traffic.
// Callers fall back (local rate buckets, computing instead of reading the cache) whenever command() gives
// nothing. Each change of state logs one line and is counted.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "service/logging/logger.hpp"
#include "service/redis/redis_options.hpp"

struct redisContext;

namespace kzgd {

struct RedisValue {
  enum class Type { nil, integer, string, status, error, array };
  Type type = Type::nil;
  long long integer = 0;
  std::string text;  // string, status and error replies
  std::vector<RedisValue> elements;

  bool is_error() const { return type == Type::error; }
};

class RedisClient {
 public:
  using Duration = std::chrono::milliseconds;

  struct Options {
    RedisEndpoint endpoint;
    Duration command_timeout{5};
    Duration connect_timeout{100};
    unsigned pool_size = 8;
    unsigned breaker_failures = 3;
    Duration breaker_retry{2000};
    Duration probe_interval{1000};  // pings while the breaker is closed
  };

  // From redis.* (the password file read here); an error names the key at fault.
  static kzg::Result<Options> options_from(const RedisOptions& config);

  RedisClient(Options options, prometheus::Registry& registry, Logger& logger);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Connects once (within connect_timeout: a reachable Redis is up before the first request) and starts the
  // background thread. Without an answer kzgd starts anyway, with the breaker open.
  void start();
  void stop();

  // Runs one command (argv[0] is its name). `label` is the metrics' "command" label (a small fixed set:
  // rate_limit, cache_get, cache_set, ping). `timeout` zero: redis.command_timeout_ms. Nothing when Redis did
  // not answer in time; a Redis error reply is a value of Type::error, and counts as an answer.
  std::optional<RedisValue> command(std::string_view label, std::span<const std::string_view> argv,
                                    Duration timeout = Duration::zero());

  // The breaker is closed: commands are tried.
  bool up() const { return up_.load(std::memory_order_acquire); }
  // Why it is down, for /debug/health (empty when up).
  std::string last_error() const;
  std::string address() const;

  // Called on each change of up(), from the thread that made it (set before start()).
  void on_change(std::function<void(bool up)> callback) { on_change_ = std::move(callback); }

 private:
  struct Free {
    void operator()(redisContext* c) const;
  };
  using Connection = std::unique_ptr<redisContext, Free>;

  std::optional<Connection> connect(Duration timeout, std::string& error) const;
  void give_back(Connection c);
  void failed(std::string error);
  void set_up(bool up, const std::string& why);
  void run_background();
  void count(std::string_view label, std::string_view result, double seconds);

  const Options options_;
  Logger& logger_;
  std::atomic<bool> up_{false};
  std::atomic<unsigned> consecutive_failures_{0};

  std::mutex transition_mutex_;  // serialises set_up: a state change and its callback
  mutable std::mutex mutex_;     // the pool, last_error_, stopping_
  std::condition_variable pool_changed_;
  std::condition_variable wake_background_;
  std::vector<Connection> idle_;
  unsigned open_ = 0;  // connections existing: idle and in use
  std::string last_error_ = "not connected yet";
  bool stopping_ = false;
  std::thread background_;
  std::function<void(bool)> on_change_;

  prometheus::Gauge& up_gauge_;
  prometheus::Family<prometheus::Counter>& transitions_;
  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Histogram>& durations_;
};

}  // namespace kzgd
