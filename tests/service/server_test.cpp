// The real HTTP server on loopback (ephemeral port), driven by a Beast client: every endpoint, every error
// class, keep-alive, batch order, load shedding and a graceful shutdown with a request in flight.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "api/dispatch.hpp"
#include "common/bytes.hpp"
#include "http_server.hpp"
#include "support/spec_vectors.hpp"

namespace kzgd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;

std::vector<std::string> operation_names() {
  std::vector<std::string> v;
  for (const auto& op : kzg::api::operations()) v.push_back(op.name);
  return v;
}

ApiHandler::Engine real_engine() {
  return [](std::string_view op, const json& in) { return kzg::api::dispatch(kzg::test::mainnet_settings(), op, in); };
}

struct TestServer {
  explicit TestServer(ApiHandler::Engine engine, std::size_t workers = 2, std::size_t queue = 16,
                      std::size_t max_body = 1u << 20)
      : metrics(operation_names()),
        pool(workers, queue),
        handler(std::move(engine), operation_names(), pool, metrics, {4}, [this] { return ready.load(); }),
        server({"127.0.0.1", 0, 1, max_body, 16u << 10, 5, 5}, handler, metrics) {
    EXPECT_FALSE(server.listen());
    server.start();
  }
  ~TestServer() {
    server.shutdown(1);
    server.join();
    pool.stop();
  }
  std::atomic<bool> ready{true};
  Metrics metrics;
  WorkerPool pool;
  ApiHandler handler;
  HttpServer server;
};

struct Reply {
  int status = 0;
  std::string body, content_type, retry_after;
  json json_body() const { return json::parse(body, nullptr, false); }
};

class Client {
 public:
  explicit Client(unsigned short port) : stream_(io_) { stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port)); }
  Reply call(http::verb method, const std::string& target, const std::string& body = {},
             const std::string& content_type = "application/json", const std::string& accept = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "localhost");
    if (!body.empty() || method == http::verb::post) req.set(http::field::content_type, content_type);
    if (!accept.empty()) req.set(http::field::accept, accept);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream_, buf, res);
    return {static_cast<int>(res.result_int()), res.body(), std::string(res[http::field::content_type]),
            std::string(res[http::field::retry_after])};
  }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
};

std::string zeros(std::size_t hex_digits) { return std::string(hex_digits, '0'); }
const std::string kInfinity = "0xc0" + zeros(94);

json verify_zero_input() {
  return {{"commitment", kInfinity}, {"z", "0x" + zeros(64)}, {"y", "0x" + zeros(64)}, {"proof", kInfinity}};
}

TEST(Server, OperationsEndpoints) {
  TestServer s(real_engine());
  Client c(s.server.port());
  EXPECT_EQ(c.call(http::verb::get, "/health").status, 200);
  EXPECT_EQ(c.call(http::verb::get, "/ready").json_body()["ready"], true);
  s.ready = false;
  EXPECT_EQ(c.call(http::verb::get, "/ready").status, 503);
  const Reply not_ready = c.call(http::verb::post, "/v1/verify_kzg_proof", verify_zero_input().dump());
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.retry_after, "1");
  s.ready = true;
  const Reply m = c.call(http::verb::get, "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.content_type.find("text/plain"), std::string::npos);
  for (const char* name : {"kzgd_requests_total{operation=\"other\",status=\"200\"}", "kzgd_request_duration_seconds_bucket",
                           "kzgd_in_flight_requests", "kzgd_queued_tasks", "kzgd_shed_requests_total",
                           "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
                           "kzgd_build_info"})
    EXPECT_NE(m.body.find(name), std::string::npos) << name;
  EXPECT_EQ(c.call(http::verb::post, "/health").status, 405);
  EXPECT_EQ(c.call(http::verb::get, "/nowhere").status, 404);
}

TEST(Server, MetricsPassPromtool) {
  if (std::system("command -v promtool > /dev/null 2>&1") != 0) GTEST_SKIP() << "promtool (Debian package prometheus) not installed";
  TestServer s(real_engine());
  Client c(s.server.port());
  c.call(http::verb::post, "/v1/verify_kzg_proof", verify_zero_input().dump());
  c.call(http::verb::post, "/v1/verify_kzg_proof", "{}");
  const std::string path = ::testing::TempDir() + "kzgd_metrics.txt";
  std::ofstream(path) << c.call(http::verb::get, "/metrics").body;
  EXPECT_EQ(std::system(("promtool check metrics < " + path).c_str()), 0);
}

TEST(Server, OperationsAnswerLikeTheEngineOverKeepAlive) {
  TestServer s(real_engine());
  Client c(s.server.port());  // one connection for every call below
  const Reply ok = c.call(http::verb::post, "/v1/verify_kzg_proof", verify_zero_input().dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json_body(), json({{"output", true}}));

  const std::string blob(kzg::kBytesPerBlob, '\0');
  const Reply bin = c.call(http::verb::post, "/v1/blob_to_kzg_commitment", blob, "application/octet-stream",
                           "application/octet-stream");
  ASSERT_EQ(bin.status, 200);
  EXPECT_EQ(bin.content_type, "application/octet-stream");
  ASSERT_EQ(bin.body.size(), 48u);
  EXPECT_EQ(static_cast<unsigned char>(bin.body[0]), 0xc0);
  const Reply bin_json = c.call(http::verb::post, "/v1/blob_to_kzg_commitment", blob, "application/octet-stream");
  EXPECT_EQ(bin_json.json_body()["output"], kInfinity);
  const Reply short_bin = c.call(http::verb::post, "/v1/blob_to_kzg_commitment", "abc", "application/octet-stream");
  EXPECT_EQ(short_bin.status, 400);
  EXPECT_EQ(short_bin.json_body()["error"]["field"], "body");

  json bad = verify_zero_input();
  bad["z"] = "0x" + std::string(64, 'f');  // not canonical
  const Reply e = c.call(http::verb::post, "/v1/verify_kzg_proof", bad.dump());
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.json_body()["error"]["field"], "z");
  EXPECT_EQ(e.json_body()["error"]["code"], "invalid_field_element");
  EXPECT_EQ(c.call(http::verb::post, "/v1/verify_kzg_proof", "{not json").status, 400);
  const Reply missing = c.call(http::verb::post, "/v1/verify_kzg_proof", "{}");
  EXPECT_EQ(missing.json_body()["error"]["field"], "commitment");
  EXPECT_EQ(c.call(http::verb::post, "/v1/no_such_operation", "{}").status, 404);
  EXPECT_EQ(c.call(http::verb::get, "/v1/verify_kzg_proof").status, 405);
  EXPECT_EQ(c.call(http::verb::post, "/v1/verify_kzg_proof", "x", "application/octet-stream").status, 415);
}

TEST(Server, BodyOverTheLimitIs413) {
  TestServer s(real_engine(), 2, 16, 4096);
  Client c(s.server.port());
  const Reply r = c.call(http::verb::post, "/v1/blob_to_kzg_commitment", std::string(10000, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json_body()["error"]["code"], "body_too_large");
}

TEST(Server, BatchAnswersInOrder) {
  TestServer s(real_engine());
  Client c(s.server.port());
  json bad = verify_zero_input();
  bad["proof"] = "0x00";
  const json req = {{"requests",
                     {{{"op", "verify_kzg_proof"}, {"input", verify_zero_input()}},
                      {{"op", "verify_kzg_proof"}, {"input", bad}},
                      {{"op", "nope"}, {"input", json::object()}},
                      {{"op", "compute_challenge"}, {"input", {{"blob", "0x" + zeros(2 * kzg::kBytesPerBlob)}, {"commitment", kInfinity}}}}}}};
  const Reply r = c.call(http::verb::post, "/v1/batch", req.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json out = r.json_body()["responses"];
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0]["output"], true);
  EXPECT_EQ(out[1]["error"]["field"], "proof");
  EXPECT_EQ(out[2]["error"]["code"], "invalid_request");
  EXPECT_TRUE(out[3]["output"].is_string());
  json too_many = {{"requests", json::array()}};
  for (int i = 0; i < 5; ++i) too_many["requests"].push_back(req["requests"][0]);
  EXPECT_EQ(c.call(http::verb::post, "/v1/batch", too_many.dump()).status, 400);  // limit is 4 here
}

TEST(Server, FullQueueSheds503WithRetryAfter) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  TestServer s([gate](std::string_view, const json&) {
    gate.wait();
    return kzg::api::Outcome{true, std::nullopt};
  },
               /*workers=*/1, /*queue=*/1);
  std::vector<std::future<Reply>> replies;
  for (int i = 0; i < 4; ++i) {
    replies.push_back(std::async(std::launch::async, [&s] {
      Client c(s.server.port());
      return c.call(http::verb::post, "/v1/verify_kzg_proof", "{}");
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  release.set_value();
  int ok = 0, shed = 0;
  for (auto& f : replies) {
    const Reply r = f.get();
    if (r.status == 200) ++ok;
    if (r.status == 503) {
      ++shed;
      EXPECT_EQ(r.retry_after, "1");
    }
  }
  EXPECT_EQ(ok, 2);  // one running, one queued
  EXPECT_EQ(shed, 2);
  Client c(s.server.port());
  EXPECT_NE(c.call(http::verb::get, "/metrics").body.find("kzgd_shed_requests_total 2"), std::string::npos);
}

TEST(Server, ShutdownLetsInFlightRequestsFinish) {
  TestServer s([](std::string_view, const json&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return kzg::api::Outcome{json("done"), std::nullopt};
  });
  auto inflight = std::async(std::launch::async, [&s] {
    Client c(s.server.port());
    return c.call(http::verb::post, "/v1/verify_kzg_proof", "{}");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_EQ(s.server.in_flight(), 1u);
  EXPECT_TRUE(s.server.shutdown(5));  // returns once the request has been answered
  const Reply r = inflight.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json_body()["output"], "done");
  s.server.join();
  EXPECT_THROW(Client{s.server.port()}, std::exception);  // the listener is closed
}

}  // namespace
}  // namespace kzgd
