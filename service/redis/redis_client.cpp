#include "service/redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cerrno>

#include "service/config/value_text.hpp"

namespace kzgd {
namespace {

using Clock = std::chrono::steady_clock;

timeval to_timeval(std::chrono::microseconds d) {
  if (d < std::chrono::microseconds(1000)) d = std::chrono::microseconds(1000);  // 0 would mean "no timeout"
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(d.count() % 1000000);
  return tv;
}

RedisValue convert(const redisReply& r) {
  RedisValue v;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      v.type = RedisValue::Type::integer;
      v.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      v.type = r.type == REDIS_REPLY_STRING   ? RedisValue::Type::string
               : r.type == REDIS_REPLY_STATUS ? RedisValue::Type::status
                                              : RedisValue::Type::error;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      v.type = RedisValue::Type::array;
      v.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) v.elements.push_back(convert(*r.element[i]));
      break;
    default:
      v.type = RedisValue::Type::nil;
  }
  return v;
}

// One command on a connection; nothing on an I/O or protocol failure (the connection is then unusable).
std::optional<RedisValue> run_on(redisContext* c, std::span<const std::string_view> argv) {
  std::vector<const char*> parts;
  std::vector<std::size_t> lengths;
  parts.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const std::string_view a : argv) {
    parts.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply =
      static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), parts.data(), lengths.data()));
  if (reply == nullptr) return std::nullopt;
  RedisValue v = convert(*reply);
  freeReplyObject(reply);
  return v;
}

std::string context_error(const redisContext* c, std::string_view what) {
  if (c == nullptr) return std::string(what) + ": out of memory";
  const bool timed_out = c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT);
  return std::string(what) + ": " + (timed_out ? std::string("timed out") : std::string(c->errstr));
}

}  // namespace

void RedisClient::Free::operator()(redisContext* c) const { redisFree(c); }

kzg::Result<RedisClient::Options> RedisClient::options_from(const RedisOptions& config) {
  auto endpoint = parse_redis_url(config.url);
  if (!endpoint) return endpoint.error();
  Options o;
  o.endpoint = std::move(endpoint).value();
  if (!config.password_file.empty()) {
    auto password = config::read_secret_file(config.password_file, "redis.password_file");
    if (!password) return password.error();
    o.endpoint.password = std::move(password).value();
    if (o.endpoint.password.empty())
      return kzg::make_error(kzg::ErrorCode::invalid_config, config.password_file + " is empty", "redis.password_file");
  }
  o.command_timeout = Duration(config.command_timeout_ms);
  o.connect_timeout = Duration(config.connect_timeout_ms);
  o.pool_size = config.pool_size;
  o.breaker_failures = config.breaker_failures;
  o.breaker_retry = Duration(static_cast<long long>(config.breaker_retry_seconds * 1000));
  o.probe_interval = std::min(o.breaker_retry, Duration(1000));
  return o;
}

RedisClient::RedisClient(Options options, prometheus::Registry& registry, Logger& logger)
    : options_(std::move(options)),
      logger_(logger),
      up_gauge_(prometheus::BuildGauge()
                    .Name("kzgd_redis_up")
                    .Help("1 when Redis answers and its circuit breaker is closed (redis.url set)")
                    .Register(registry)
                    .Add({})),
      transitions_(prometheus::BuildCounter()
                       .Name("kzgd_redis_breaker_transitions_total")
                       .Help("Changes of the Redis circuit breaker, by the state entered (open, closed)")
                       .Register(registry)),
      commands_(prometheus::BuildCounter()
                    .Name("kzgd_redis_commands_total")
                    .Help("Redis commands by use and result: ok, error (failed or refused), timeout, unavailable "
                          "(skipped: breaker open), busy (no pooled connection free within the budget)")
                    .Register(registry)),
      durations_(prometheus::BuildHistogram()
                     .Name("kzgd_redis_command_duration_seconds")
                     .Help("Time of Redis commands that got an answer, by use")
                     .Register(registry)) {
  for (const char* to : {"open", "closed"}) transitions_.Add({{"to", to}});
}

RedisClient::~RedisClient() { stop(); }

std::string RedisClient::address() const {
  const auto& e = options_.endpoint;
  return (e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port) + "/" +
         std::to_string(e.db);
}

std::string RedisClient::last_error() const {
  std::lock_guard lock(mutex_);
  return up() ? std::string() : last_error_;
}

std::optional<RedisClient::Connection> RedisClient::connect(Duration timeout, std::string& error) const {
  const auto& e = options_.endpoint;
  Connection c(redisConnectWithTimeout(e.host.c_str(), e.port, to_timeval(timeout)));
  if (!c || c->err) {
    error = context_error(c.get(), "connect to " + address());
    return std::nullopt;
  }
  if (redisSetTimeout(c.get(), to_timeval(timeout)) != REDIS_OK) {
    error = context_error(c.get(), "set the socket timeout");
    return std::nullopt;
  }
  const auto step = [&](std::span<const std::string_view> argv, const char* what) {
    auto reply = run_on(c.get(), argv);
    if (!reply) {
      error = context_error(c.get(), what);
      return false;
    }
    if (reply->is_error()) {
      error = std::string(what) + ": " + reply->text;
      return false;
    }
    return true;
  };
  if (!e.password.empty()) {
    const std::string_view with_user[] = {"AUTH", e.user, e.password};
    const std::string_view without[] = {"AUTH", e.password};
    if (!step(
            e.user.empty() ? std::span<const std::string_view>(without) : std::span<const std::string_view>(with_user),
            "authenticate"))
      return std::nullopt;
  }
  if (e.db != 0) {
    const std::string db = std::to_string(e.db);
    const std::string_view select[] = {"SELECT", db};
    if (!step(select, "select the database")) return std::nullopt;
  }
  const std::string_view ping[] = {"PING"};
  if (!step(ping, "ping")) return std::nullopt;
  return c;
}

void RedisClient::count(std::string_view label, std::string_view result, double seconds) {
  commands_.Add({{"command", std::string(label)}, {"result", std::string(result)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                                   0.005,  0.01,    0.025,  0.1,   1};
  if (seconds >= 0) durations_.Add({{"command", std::string(label)}}, kBuckets).Observe(seconds);
}

std::optional<RedisValue> RedisClient::command(std::string_view label, std::span<const std::string_view> argv,
                                               Duration timeout) {
  if (!up()) {
    count(label, "unavailable", -1);
    return std::nullopt;
  }
  const auto start = Clock::now();
  const auto deadline = start + (timeout == Duration::zero() ? options_.command_timeout : timeout);
  Connection c;
  {
    std::unique_lock lock(mutex_);
    if (!pool_changed_.wait_until(lock, deadline, [&] { return !idle_.empty() || !up(); }) || idle_.empty()) {
      lock.unlock();
      count(label, up() ? "busy" : "unavailable", -1);
      return std::nullopt;
    }
    c = std::move(idle_.back());
    idle_.pop_back();
  }
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  std::optional<RedisValue> reply;
  if (left.count() > 0 && redisSetTimeout(c.get(), to_timeval(left)) == REDIS_OK) reply = run_on(c.get(), argv);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!reply) {
    const bool timed_out = left.count() <= 0 || Clock::now() >= deadline;
    const std::string error = left.count() <= 0 ? "timed out waiting for a connection"
                                                : context_error(c.get(), std::string(argv.empty() ? "" : argv[0]));
    c.reset();
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    wake_background_.notify_one();
    count(label, timed_out ? "timeout" : "error", -1);
    failed(error);
    return std::nullopt;
  }
  count(label, reply->is_error() ? "error" : "ok", seconds);
  consecutive_failures_.store(0, std::memory_order_relaxed);
  give_back(std::move(c));
  return reply;
}

void RedisClient::give_back(Connection c) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(c));
  }
  pool_changed_.notify_one();
}

void RedisClient::failed(std::string error) {
  {
    std::lock_guard lock(mutex_);
    last_error_ = std::move(error);
  }
  if (consecutive_failures_.fetch_add(1, std::memory_order_relaxed) + 1 >= options_.breaker_failures && up())
    set_up(false, last_error());
}

void RedisClient::set_up(bool up, const std::string& why) {
  // One change at a time, its callback included, so that listeners see the changes in the order they happened.
  std::lock_guard transition(transition_mutex_);
  std::vector<Connection> dropped;
  {
    std::lock_guard lock(mutex_);
    if (up_.load() == up) return;
    up_.store(up, std::memory_order_release);
    if (!up) {
      // Connections to a failing Redis are suspect: the background thread opens fresh ones once it answers.
      dropped.swap(idle_);
      open_ -= static_cast<unsigned>(dropped.size());
      last_error_ = why;
    }
  }
  dropped.clear();
  pool_changed_.notify_all();
  wake_background_.notify_one();
  consecutive_failures_.store(0, std::memory_order_relaxed);
  up_gauge_.Set(up ? 1 : 0);
  transitions_.Add({{"to", up ? "closed" : "open"}}).Increment();
  if (up)
    logger_.warn("redis reachable again: rate limits and the result cache are shared again", {{"redis", address()}});
  else
    logger_.warn(
        "redis unreachable: circuit breaker open; rate limits fall back to this replica's share and "
        "the shared cache is skipped until it answers",
        {{"redis", address()},
         {"error", why},
         {"retry_seconds", std::chrono::duration<double>(options_.breaker_retry).count()}});
  if (on_change_) on_change_(up);
}

void RedisClient::start() {
  std::string error;
  if (auto c = connect(options_.connect_timeout, error)) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(*c));
      ++open_;
      up_.store(true, std::memory_order_release);
    }
    up_gauge_.Set(1);
    logger_.info("redis connected", {{"redis", address()}});
    if (on_change_) on_change_(true);
  } else {
    {
      std::lock_guard lock(mutex_);
      last_error_ = error;
    }
    logger_.warn(
        "redis unreachable at start: rate limits use this replica's share and the shared cache is off "
        "until it answers",
        {{"redis", address()}, {"error", error}});
    if (on_change_) on_change_(false);
  }
  background_ = std::thread([this] { run_background(); });
}

void RedisClient::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_background_.notify_all();
  pool_changed_.notify_all();
  if (background_.joinable()) background_.join();
}

void RedisClient::run_background() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const bool is_up = up();
    wake_background_.wait_for(lock, is_up ? options_.probe_interval : options_.breaker_retry,
                              [&] { return stopping_ || (up() && open_ < options_.pool_size) || up() != is_up; });
    if (stopping_) return;
    if (!up()) {
      lock.unlock();
      std::string error;
      auto c = connect(options_.connect_timeout, error);
      lock.lock();
      if (!c) {
        last_error_ = error;
        continue;
      }
      idle_.push_back(std::move(*c));
      ++open_;
      lock.unlock();
      set_up(true, "");
      lock.lock();
      continue;
    }
    // Up: fill the pool, then ping on one idle connection so a dead Redis is seen without traffic.
    while (!stopping_ && up() && open_ < options_.pool_size) {
      ++open_;
      lock.unlock();
      std::string error;
      auto c = connect(options_.connect_timeout, error);
      lock.lock();
      if (!c) {
        --open_;
        lock.unlock();
        failed(error);
        lock.lock();
        break;
      }
      idle_.push_back(std::move(*c));
      pool_changed_.notify_one();
    }
    if (!stopping_ && up()) {
      lock.unlock();
      const std::string_view ping[] = {"PING"};
      command("ping", ping, options_.connect_timeout);
      lock.lock();
    }
  }
}

}  // namespace kzgd
