// The Redis client, the shared rate limiter and the shared cache against a real redis-server.
#include "service/redis/redis_client.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <prometheus/registry.h>
#include <spdlog/sinks/null_sink.h>

#include <atomic>
#include <thread>

#include "engine/common/hex.hpp"
#include "service/cache/result_cache.hpp"
#include "service/redis/shared_rate_limiter.hpp"
#include "tests/service/support/redis_server.hpp"

namespace kzgd {
namespace {

using namespace std::chrono_literals;
using testing::RedisServer;

struct Fixture {
  prometheus::Registry registry;
  Logger logger{LogLevel::info, LogFormat::json, std::make_shared<spdlog::sinks::null_sink_mt>()};

  std::unique_ptr<RedisClient> client(const RedisServer& server, const std::string& password,
                                      std::chrono::milliseconds retry = 100ms) {
    RedisClient::Options o;
    o.endpoint.host = "127.0.0.1";
    o.endpoint.port = server.port();
    o.endpoint.password = password;
    o.command_timeout = 20ms;
    o.connect_timeout = 200ms;
    o.pool_size = 2;
    o.breaker_failures = 2;
    o.breaker_retry = retry;
    o.probe_interval = retry;
    auto c = std::make_unique<RedisClient>(o, registry, logger);
    return c;
  }
};

std::optional<RedisValue> run(RedisClient& c, std::initializer_list<std::string_view> argv) {
  const std::vector<std::string_view> v(argv);
  return c.command("test", v);
}

template <class Pred>
bool eventually(Pred p, std::chrono::milliseconds limit = 5s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (p()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return p();
}

TEST(RedisClient, AuthenticatesAndRunsCommands) {
  RedisServer server("s3cret");
  ASSERT_TRUE(server.started()) << "redis-server (Debian: redis-server) must be installed";
  Fixture f;
  auto c = f.client(server, "s3cret");
  c->start();
  ASSERT_TRUE(c->up());
  auto set = run(*c, {"SET", "k", std::string_view("a\0b", 3)});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->text, "OK");
  auto got = run(*c, {"GET", "k"});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->type, RedisValue::Type::string);
  EXPECT_EQ(got->text, std::string("a\0b", 3));  // binary-safe
  auto missing = run(*c, {"GET", "nothing"});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->type, RedisValue::Type::nil);
  auto wrong = run(*c, {"INCR", "k"});
  ASSERT_TRUE(wrong);  // an error reply is an answer, not an outage
  EXPECT_TRUE(wrong->is_error());
  EXPECT_TRUE(c->up());
}

TEST(RedisClient, AWrongPasswordKeepsItDown) {
  RedisServer server("s3cret");
  ASSERT_TRUE(server.started());
  Fixture f;
  auto c = f.client(server, "wrong");
  c->start();
  EXPECT_FALSE(c->up());
  EXPECT_NE(c->last_error().find("authenticate"), std::string::npos) << c->last_error();
  EXPECT_FALSE(run(*c, {"PING"}));
}

TEST(RedisClient, BreakerOpensWhenRedisDiesAndClosesWhenItReturns) {
  RedisServer server;
  ASSERT_TRUE(server.started());
  Fixture f;
  // Written by the client's background thread: atomics, and the client is stopped before they go.
  std::atomic<bool> last_change{true};
  std::atomic<int> changes{0};
  auto c = f.client(server, "");
  c->on_change([&](bool up) {
    last_change = up;
    ++changes;
  });
  c->start();
  ASSERT_TRUE(c->up());
  server.kill();
  // A few failed commands open the breaker (or the background ping notices first).
  for (int i = 0; i < 10 && c->up(); ++i) run(*c, {"PING"});
  EXPECT_TRUE(eventually([&] { return !c->up(); }));
  EXPECT_TRUE(eventually([&] { return !last_change; }));  // the callback runs just after the state changes
  // Open: nothing is tried, nothing waited for.
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(run(*c, {"PING"}));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5ms);
  ASSERT_TRUE(server.restart());
  EXPECT_TRUE(eventually([&] { return c->up(); }));
  EXPECT_TRUE(eventually([&] { return last_change.load(); }));
  EXPECT_GE(changes.load(), 3);  // start, open, closed
  EXPECT_TRUE(eventually([&] { return run(*c, {"PING"}).has_value(); }));
  c->stop();
}

TEST(RedisClient, AStalledRedisCostsACommandNoMoreThanItsBudget) {
  RedisServer server;
  ASSERT_TRUE(server.started());
  Fixture f;
  auto c = f.client(server, "", 10s);
  c->start();
  ASSERT_TRUE(c->up());
  server.pause();
  for (int i = 0; i < 3; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(run(*c, {"PING"}));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);  // budget 20 ms; generous for a loaded machine
  }
  // Timeouts (of these commands, or of the background thread's reconnects) open the breaker.
  EXPECT_TRUE(eventually([&] { return !c->up(); }));
  server.resume();
}

TEST(SharedRateLimiter, TwoReplicasShareOneBucket) {
  RedisServer server;
  ASSERT_TRUE(server.started());
  Fixture f;
  auto c1 = f.client(server, "");
  auto c2 = f.client(server, "");
  c1->start();
  c2->start();
  SharedRateLimiter a(*c1, "t:", 0.5, 100, f.registry);
  prometheus::Registry other;
  SharedRateLimiter b(*c2, "t:", 0.5, 100, other);
  const RateTier tier{0.001, 10};
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += (i % 2 ? a : b).take("client", tier, 1, {}).allowed;
  EXPECT_EQ(allowed, 10);
  const RateDecision refused = a.take("client", tier, 1, {});
  EXPECT_FALSE(refused.allowed);
  EXPECT_GT(refused.retry_after_seconds, 100);  // a token per 1000 s
  EXPECT_EQ(refused.limit, 10);
  // Another client has its own bucket.
  EXPECT_TRUE(b.take("other", tier, 1, {}).allowed);
}

TEST(SharedRateLimiter, TheScriptKeepsTheLocalRulesForLargeRequests) {
  RedisServer server;
  ASSERT_TRUE(server.started());
  Fixture f;
  auto c = f.client(server, "");
  c->start();
  SharedRateLimiter shared(*c, "t:", 1, 100, f.registry);
  RateLimiter local(100);
  const RateTier tier{1, 10};
  const auto now = RateBuckets::Clock::now();
  // A request larger than the burst passes on a full bucket and leaves a debt; the next is refused until it is
  // paid. Redis's clock moves while the test runs, so the numbers agree to within a little refill.
  for (RateBuckets* limiter : {static_cast<RateBuckets*>(&shared), static_cast<RateBuckets*>(&local)}) {
    const RateDecision big = limiter->take("c", tier, 30, now);
    EXPECT_TRUE(big.allowed);
    EXPECT_EQ(big.remaining, 0);
    const RateDecision next = limiter->take("c", tier, 1, now);
    EXPECT_FALSE(next.allowed);
    EXPECT_NEAR(next.retry_after_seconds, 21, 0.5);
    EXPECT_NEAR(next.reset_seconds, 30, 0.5);
  }
}

TEST(SharedRateLimiter, FallsBackToItsShareWhenRedisIsDownNeverUnlimitedNeverClosed) {
  RedisServer server;
  ASSERT_TRUE(server.started());
  Fixture f;
  auto c = f.client(server, "", 10s);
  SharedRateLimiter limiter(*c, "t:", 0.5, 100, f.registry);
  // Set before start, and the client stopped before the limiter goes: its background thread reports to it.
  c->on_change([&](bool up) { limiter.mode_changed(up); });
  c->start();
  server.kill();
  const RateTier tier{0.001, 10};
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.take("client", tier, 1, {}).allowed;
  EXPECT_FALSE(limiter.shared());
  // Half the burst: the failed commands were decided locally as well.
  EXPECT_EQ(allowed, 5);
  c->stop();
}

TEST(ResultCache, SharedEntriesAreServedOnAnotherReplicaAndForgedOnesRecomputed) {
  RedisServer server;
  ASSERT_TRUE(server.started());
  Fixture f;
  auto c1 = f.client(server, "");
  auto c2 = f.client(server, "");
  c1->start();
  c2->start();
  ResultCache::Options options;
  options.mac_key.assign(32, 0x42);
  options.redis_prefix = "t:";
  prometheus::Registry r2;
  ResultCache a(options, c1.get(), f.registry, f.logger);
  options.config.memory_bytes = 0;
  ResultCache b(options, c2.get(), r2, f.logger);

  const std::vector<std::uint8_t> setup(32, 1);
  std::vector<std::uint8_t> blob(131072, 0);
  blob[1] = 5;
  BinaryInput input;
  input.fields.emplace_back("blob", blob);
  const Outcome truth{kzg::hex_encode(std::vector<std::uint8_t>(48, 0xee)), std::nullopt};
  int computed = 0;
  const auto serve = [&](ResultCache& cache) {
    std::string status;
    Outcome got;
    cache.serve(
        "blob_to_kzg_commitment", OperationInput{nullptr, &input}, setup,
        [&] {
          ++computed;
          return truth;
        },
        [&](const Outcome& o, const std::string& s) {
          got = o;
          status = s;
        });
    EXPECT_EQ(got.output, truth.output);
    return status;
  };
  EXPECT_EQ(serve(a), "kzgd; fwd=miss; stored");
  a.flush();
  EXPECT_EQ(serve(b), "kzgd; hit; detail=redis");
  EXPECT_EQ(computed, 1);

  // Forge the entry: a valid-looking value for another output.
  const auto key = cache_key("blob_to_kzg_commitment", OperationInput{nullptr, &input}, setup);
  ASSERT_TRUE(key);
  const std::string redis_key = b.redis_key(*key);
  const std::string forged_payload = *encode_output(kzg::hex_encode(std::vector<std::uint8_t>(48, 0x11)));
  const std::string forged = seal_entry(std::vector<std::uint8_t>(32, 0x43), redis_key, forged_payload);
  ASSERT_TRUE(run(*c1, {"SET", redis_key, forged}));
  EXPECT_EQ(serve(b), "kzgd; fwd=miss; stored; detail=integrity-failure");
  EXPECT_EQ(computed, 2);
  b.flush();
  EXPECT_EQ(serve(b), "kzgd; hit; detail=redis");  // rewritten with the computed answer
  EXPECT_EQ(computed, 2);
}

}  // namespace
}  // namespace kzgd
