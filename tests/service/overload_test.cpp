// The overload manager end to end (issue: fairness and overload): deadlines per operation lowered by
// X-Request-Timeout, 503 at once when the estimated wait exceeds the deadline or the queued CPU-seconds are at
// their bound, 504 for work still waiting at its deadline, work dropped when its client hangs up, and a batch's
// items taking turns with another client's requests. Two clients are told apart by X-Forwarded-For through a
// trusted proxy on loopback, as the rate limiter tells them apart.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/metric_value.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using namespace std::chrono_literals;
using boost::beast::http::verb;
using Clock = std::chrono::steady_clock;

ServiceConfig one_worker() {
  ServiceConfig c = relaxed_config();
  c.workers.threads = 1;
  c.workers.queue_limit = 64;
  set_key(c, "access.trusted_proxies", "127.0.0.0/8");
  return c;
}

HttpResponse post_as(TestService& s, const std::string& client, const std::string& target, const std::string& body,
                     std::map<std::string, std::string> headers = {}) {
  headers["X-Forwarded-For"] = client;
  return http_request(s.port(), verb::post, target, body, headers);
}

double metric(TestService& s, const std::string& series) {
  return metric_value(s.get("/metrics").body(), series).value_or(-1);
}

TEST(Overload, XRequestTimeoutMustBeATime) {
  TestService s(one_worker());
  for (const char* bad : {"soon", "0", "-1", "3601", "1e9", "5 s", "nan", ""}) {
    const auto r = s.post("/v1/echo", R"({"a":1})", {{"X-Request-Timeout", bad}});
    EXPECT_TRUE(is_error(r, 400, "invalid_input", "X-Request-Timeout")) << '"' << bad << '"';
  }
  for (const char* good : {"0.5", "2s", "500ms", "3600"})
    EXPECT_EQ(s.post("/v1/echo", R"({"a":1})", {{"X-Request-Timeout", good}}).result_int(), 200u) << good;
}

TEST(Overload, WorkStillWaitingAtItsDeadlineIsAnswered504Unrun) {
  TestService s(one_worker());
  auto blocker = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  // Nothing is queued, so the estimated wait is 0 and the request is admitted; it then waits for the worker.
  auto late = std::async(std::launch::async, [&] {
    return s.post("/v1/echo", R"({"a":1})", {{"X-Request-Timeout", "200ms"}});
  });
  ASSERT_TRUE(eventually([&] { return metric(s, "kzgd_work_queued") == 1; }));
  std::this_thread::sleep_for(400ms);
  s.backend().release();
  const auto r = late.get();
  EXPECT_TRUE(is_error(r, 504, "deadline_exceeded", "")) << r.body();
  EXPECT_EQ(blocker.get().result_int(), 200u);
  EXPECT_EQ(metric(s, R"(kzgd_requests_dropped_total{reason="deadline"})"), 1);
  EXPECT_EQ(metric(s, R"(kzgd_http_requests_total{operation="echo",status="504"})"), 1);
  // Without the header the operation's own deadline (10 s by default) applies: the same request now runs.
  EXPECT_EQ(s.post("/v1/echo", R"({"a":1})").result_int(), 200u);
}

TEST(Overload, AnEstimatedWaitBeyondTheDeadlineIs503AtOnceForThatClientOnly) {
  ServiceConfig c = one_worker();
  set_key(c, "rate_limit.costs", "default=1000");  // every test operation is estimated at 1 CPU-second
  TestService s(c);
  auto blocker = std::async(std::launch::async, [&] { return post_as(s, "10.0.0.1", "/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  std::vector<std::future<HttpResponse>> backlog;
  for (int i = 0; i < 2; ++i)
    backlog.push_back(std::async(std::launch::async, [&] { return post_as(s, "10.0.0.1", "/v1/echo", R"({"a":1})"); }));
  ASSERT_TRUE(eventually([&] { return metric(s, "kzgd_work_queued_seconds") == 2; }));
  // The greedy client's backlog is 2 s on the one worker: a request of its own that must start within 1 s
  // is refused at once, saying why and when to come back.
  const auto start = Clock::now();
  const auto refused = post_as(s, "10.0.0.1", "/v1/echo", R"({"a":1})", {{"X-Request-Timeout", "1"}});
  EXPECT_LT(Clock::now() - start, 500ms);
  EXPECT_TRUE(is_error(refused, 503, "overloaded", "")) << refused.body();
  EXPECT_NE(refused.body().find("deadline"), std::string::npos) << refused.body();
  EXPECT_EQ(refused[boost::beast::http::field::retry_after], "2");
  EXPECT_EQ(metric(s, R"(kzgd_requests_shed_by_reason_total{reason="deadline"})"), 1);
  // Another client's request waits only for its share (1 s of the backlog) and is admitted.
  auto polite = std::async(std::launch::async, [&] {
    return post_as(s, "10.0.0.2", "/v1/echo", R"({"b":2})", {{"X-Request-Timeout", "1.5"}});
  });
  ASSERT_TRUE(eventually([&] { return metric(s, "kzgd_work_waiting_clients") == 2; }));
  s.backend().release();
  EXPECT_EQ(polite.get().result_int(), 200u);
  for (auto& r : backlog) EXPECT_EQ(r.get().result_int(), 200u);
  EXPECT_EQ(blocker.get().result_int(), 200u);
}

TEST(Overload, TheQueueIsBoundedInEstimatedCpuSeconds) {
  ServiceConfig c = one_worker();
  set_key(c, "rate_limit.costs", "default=1000");
  c.workers.queue_cpu_seconds = 1.5;
  TestService s(c);
  auto blocker = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  auto queued = std::async(std::launch::async, [&] { return s.post("/v1/echo", R"({"a":1})"); });
  ASSERT_TRUE(eventually([&] { return metric(s, "kzgd_work_queued_seconds") == 1; }));
  const auto refused = s.post("/v1/echo", R"({"a":2})");
  EXPECT_TRUE(is_error(refused, 503, "overloaded", "")) << refused.body();
  EXPECT_NE(refused.body().find("workers.queue_cpu_seconds"), std::string::npos) << refused.body();
  EXPECT_EQ(metric(s, R"(kzgd_requests_shed_by_reason_total{reason="queue_seconds"})"), 1);
  EXPECT_EQ(metric(s, "kzgd_requests_shed_total"), 1);
  s.backend().release();
  EXPECT_EQ(queued.get().result_int(), 200u);
  EXPECT_EQ(blocker.get().result_int(), 200u);
}

TEST(Overload, WorkOfAClientThatHungUpIsDroppedUnrun) {
  TestService s(one_worker());
  auto blocker = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
    const std::string body = R"({"ms":1,"id":5})";
    boost::asio::write(socket, boost::asio::buffer("POST /v1/sleep HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                                   "application/json\r\nContent-Length: " +
                                                   std::to_string(body.size()) + "\r\n\r\n" + body));
    ASSERT_TRUE(eventually([&] { return metric(s, "kzgd_work_queued") == 1; }));
  }  // closed: the client is gone while its request waits
  std::this_thread::sleep_for(100ms);
  s.backend().release();
  EXPECT_EQ(blocker.get().result_int(), 200u);
  ASSERT_TRUE(eventually([&] { return metric(s, R"(kzgd_requests_dropped_total{reason="client_gone"})") == 1; }));
  EXPECT_EQ(metric(s, R"(kzgd_http_requests_total{operation="sleep",status="499"})"), 1);
  EXPECT_EQ(metric(s, R"(kzgd_http_requests_total{operation="sleep",status="200"})"), -1);  // never run
}

TEST(Overload, ABatchsItemsTakeTurnsWithAnotherClientsRequest) {
  TestService s(one_worker());
  std::string items;
  for (int i = 0; i < 8; ++i)
    items += std::string(i ? "," : "") + R"({"op":"sleep","input":{"ms":100,"id":)" + std::to_string(i) + "}}";
  std::atomic<bool> batch_done{false};
  auto batch = std::async(std::launch::async, [&] {
    auto r = post_as(s, "10.0.0.1", "/v1/batch", R"({"requests":[)" + items + "]}");
    batch_done = true;
    return r;
  });
  ASSERT_TRUE(eventually([&] { return metric(s, "kzgd_work_queued") >= 5; }));
  // 0.8 s of items ahead of it: first come, first served would answer it after the whole batch. In its fair
  // share it runs after at most one more item.
  const auto r = post_as(s, "10.0.0.2", "/v1/sleep", R"({"ms":1,"id":99})");
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_FALSE(batch_done.load());
  const auto answered = batch.get();
  EXPECT_EQ(answered.result_int(), 200u);
  EXPECT_EQ(nlohmann::json::parse(answered.body())["responses"].size(), 8u);
}

TEST(Overload, TheExpressLaneRunsAVerificationWhileTheWorkersAreBusy) {
  ServiceConfig c = one_worker();
  c.workers.express_threads = 1;
  c.workers.express_max_cost = 2;                // verify_blob_kzg_proof costs 2 tokens
  set_key(c, "rate_limit.costs", "default=50");  // the test operations (block) cost more
  c.workers.coalesce = false;
  TestService s(c);
  auto blocker = std::async(std::launch::async, [&] { return post_as(s, "10.0.0.1", "/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  // The one worker is held; the express worker answers the cheap request meanwhile (the fake verification
  // refuses this input, which shows it ran).
  auto cheap = std::async(std::launch::async, [&] {
    return post_as(s, "10.0.0.2", "/v1/verify_blob_kzg_proof", R"({"blob":"0x00","commitment":"0x00","proof":"0x00"})");
  });
  const bool answered = cheap.wait_for(5s) == std::future_status::ready;
  EXPECT_TRUE(answered);
  s.backend().release();
  const auto r = cheap.get();
  EXPECT_NE(r.result_int(), 503u) << r.body();
  EXPECT_NE(r.result_int(), 504u) << r.body();
  EXPECT_EQ(blocker.get().result_int(), 200u);
}

}  // namespace
}  // namespace kzgd
