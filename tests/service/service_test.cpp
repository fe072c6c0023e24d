// kzgd end to end: the real server on loopback, a test backend, HTTP from a client.
#include "service/service.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/promtool.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;
namespace http = boost::beast::http;

const std::map<std::string, std::string> kBinary{{"Content-Type", "application/octet-stream"}};
const std::map<std::string, std::string> kBinaryBoth{{"Content-Type", "application/octet-stream"},
                                                     {"Accept", "application/octet-stream"}};

std::string test_blob() {
  std::string blob(131072, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 31 + 7);
  return blob;
}

std::string hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string s = "0x";
  for (unsigned char b : bytes) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s;
}

std::string plus_one(std::string bytes) {
  for (auto& b : bytes) b = static_cast<char>(b + 1);
  return bytes;
}

// ---- operations endpoints

TEST(Service, HealthAnswers200) {
  TestService s;
  const auto r = s.get("/health");
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(body_json(r), (nlohmann::json{{"status", "ok"}}));
}

TEST(Service, ReadyFollowsTheBackend) {
  TestService s;
  s.backend().set_ready(false);
  auto r = s.get("/ready");
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_EQ(body_json(r)["reason"], "setup_loading");
  EXPECT_EQ(r[http::field::retry_after], "1");
  s.backend().set_ready(true);
  r = s.get("/ready");
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(body_json(r)["status"], "ready");
}

TEST(Service, OperationsAre503UntilTheBackendIsReady) {
  TestService s;
  s.backend().set_ready(false);
  const auto r = s.post("/v1/echo", "{}");
  EXPECT_TRUE(is_error(r, 503, "not_ready", ""));
  EXPECT_EQ(r[http::field::retry_after], "1");
}

TEST(Service, MetricsCountTheTrafficAndPassPromtool) {
  TestService s;
  s.post("/v1/echo", "{}");
  s.post("/v1/echo", "{}");
  s.post("/v1/fail", "{}");
  s.get("/nowhere");
  const auto r = s.get("/metrics");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& t = r.body();
  EXPECT_NE(t.find("kzgd_http_requests_total{operation=\"echo\",status=\"200\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("kzgd_http_requests_total{operation=\"fail\",status=\"400\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("kzgd_http_requests_total{operation=\"unknown\",status=\"404\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("kzgd_http_request_duration_seconds_count{operation=\"echo\"} 2\n"), std::string::npos) << t;
  for (const char* name : {"kzgd_work_in_flight ", "kzgd_work_queued ", "kzgd_requests_shed_total ",
                           "kzgd_requests_rejected_total{", "process_resident_memory_bytes ",
                           "process_cpu_seconds_total ", "process_open_fds ", "kzgd_build_info{", "kzgd_ready 1\n"})
    EXPECT_NE(t.find(name), std::string::npos) << name;
  const auto check = promtool_check_metrics(t);
  if (!check) GTEST_SKIP() << "promtool not installed (Debian package prometheus); skipping the format check";
  EXPECT_EQ(check->exit_code, 0) << check->output;
}

// ---- JSON operations

TEST(Service, JsonOperationAnswersOutput) {
  TestService s;
  const auto r = s.post("/v1/echo", R"({"a": [1, "0x00"], "b": true})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r[http::field::content_type], "application/json");
  EXPECT_EQ(body_json(r), (nlohmann::json{{"output", {{"a", {1, "0x00"}}, {"b", true}}}}));
}

TEST(Service, JsonBlobOperationsMatchTheirBinaryForms) {
  TestService s;
  const std::string blob = test_blob();
  const std::string commitment = blob.substr(0, 48);
  const std::string proof = plus_one(commitment);
  auto r = s.post("/v1/blob_to_kzg_commitment", nlohmann::json{{"blob", hex(blob)}}.dump());
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(body_json(r)["output"], hex(commitment));
  r = s.post("/v1/compute_blob_kzg_proof", nlohmann::json{{"blob", hex(blob)}, {"commitment", hex(commitment)}}.dump());
  EXPECT_EQ(body_json(r)["output"], hex(proof));
  r = s.post("/v1/verify_blob_kzg_proof",
             nlohmann::json{{"blob", hex(blob)}, {"commitment", hex(commitment)}, {"proof", hex(proof)}}.dump());
  EXPECT_EQ(body_json(r)["output"], true);
}

// ---- binary bodies

TEST(Service, BinaryBodiesAnswerJsonByDefault) {
  TestService s;
  const std::string blob = test_blob();
  const auto r = s.post("/v1/blob_to_kzg_commitment", blob, kBinary);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(body_json(r)["output"], hex(blob.substr(0, 48)));
}

TEST(Service, BinaryAnswersWhenAccepted) {
  TestService s;
  const std::string blob = test_blob();
  const std::string commitment = blob.substr(0, 48);
  auto r = s.post("/v1/blob_to_kzg_commitment", blob, kBinaryBoth);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r[http::field::content_type], "application/octet-stream");
  EXPECT_EQ(r.body(), commitment);

  r = s.post("/v1/compute_blob_kzg_proof", blob + commitment, kBinaryBoth);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r.body(), plus_one(commitment));

  r = s.post("/v1/verify_blob_kzg_proof", blob + commitment + plus_one(commitment), kBinaryBoth);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r.body(), std::string(1, '\x01'));
  r = s.post("/v1/verify_blob_kzg_proof", blob + commitment + commitment, kBinaryBoth);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r.body(), std::string(1, '\x00'));

  // Accept alone (JSON body) gives the binary answer too; a list of types is understood.
  r = s.post("/v1/blob_to_kzg_commitment", nlohmann::json{{"blob", hex(blob)}}.dump(),
             {{"Accept", "application/json;q=0.5, application/octet-stream"}});
  EXPECT_EQ(r.body(), commitment);
}

TEST(Service, BinaryBodyOfTheWrongSizeIs400) {
  TestService s;
  const auto r = s.post("/v1/verify_blob_kzg_proof", test_blob() + std::string(95, 'x'), kBinary);
  EXPECT_TRUE(is_error(r, 400, "invalid_length", "body"));
}

TEST(Service, BinaryBodyForAJsonOnlyOperationIs415) {
  TestService s;
  EXPECT_TRUE(is_error(s.post("/v1/echo", "abc", kBinary), 415, "unsupported_media_type", "body"));
}

// ---- error classes

TEST(Service, MalformedJsonIs400) {
  TestService s;
  for (const std::string body : {"", "{", "{\"a\": }", "[1,]", "nul", "{\"a\":1} x"})
    EXPECT_TRUE(is_error(s.post("/v1/echo", body), 400, "invalid_json", "body")) << body;
}

TEST(Service, NonObjectBodyIs400) {
  TestService s;
  for (const std::string body : {"[]", "1", "\"blob\"", "null"})
    EXPECT_TRUE(is_error(s.post("/v1/echo", body), 400, "invalid_input", "body")) << body;
}

TEST(Service, BackendErrorsAre400WithCodeMessageAndField) {
  TestService s;
  const auto r = s.post("/v1/fail", "{}");
  EXPECT_TRUE(is_error(r, 400, "invalid_input", "x"));
  EXPECT_EQ(body_json(r)["error"]["message"], "the test says no");
  // Ill-typed and missing fields, as the backend reports them.
  EXPECT_TRUE(is_error(s.post("/v1/blob_to_kzg_commitment", R"({"blob": 5})"), 400, "invalid_hex", "blob"));
  EXPECT_TRUE(is_error(s.post("/v1/blob_to_kzg_commitment", R"({})"), 400, "invalid_length", "blob"));
}

TEST(Service, UnknownOperationAndPathAre404) {
  TestService s;
  EXPECT_TRUE(is_error(s.post("/v1/verify_everything", "{}"), 404, "unknown_operation", "operation"));
  EXPECT_TRUE(is_error(s.get("/index.html"), 404, "not_found", "path"));
}

TEST(Service, WrongMethodIs405WithAllow) {
  TestService s;
  auto r = s.get("/v1/echo");
  EXPECT_TRUE(is_error(r, 405, "method_not_allowed", "method"));
  EXPECT_EQ(r[http::field::allow], "POST");
  r = http_request(s.port(), verb::delete_, "/health");
  EXPECT_TRUE(is_error(r, 405, "method_not_allowed", "method"));
  EXPECT_EQ(r[http::field::allow], "GET");
}

TEST(Service, BodyOverTheLimitIs413AndClosesTheConnection) {
  ServiceConfig c = test_config();
  c.limits.max_body_bytes = 4096;
  TestService s(c);
  HttpClient client(s.port());
  const auto r = client.post("/v1/echo", "{\"a\":\"" + std::string(5000, 'x') + "\"}");
  EXPECT_TRUE(is_error(r, 413, "body_too_large", "body"));
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
  // At the limit is fine.
  const std::string at_limit = "{\"a\":\"" + std::string(4096 - 8, 'x') + "\"}";
  ASSERT_EQ(at_limit.size(), 4096u);
  EXPECT_EQ(s.post("/v1/echo", at_limit).result_int(), 200u);
  EXPECT_NE(s.get("/metrics").body().find("kzgd_requests_rejected_total{reason=\"body_too_large\"} 1\n"),
            std::string::npos);
}

TEST(Service, DeclaredHugeBodyIs413WithoutReadingIt) {
  ServiceConfig c = test_config();
  c.limits.max_body_bytes = 4096;
  TestService s(c);
  HttpClient client(s.port());
  client.send_raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n{");
  EXPECT_TRUE(is_error(client.read_response(), 413, "body_too_large", "body"));
}

TEST(Service, ChunkedBodyOverTheLimitIs413) {
  ServiceConfig c = test_config();
  c.limits.max_body_bytes = 4096;
  TestService s(c);
  HttpClient client(s.port());
  std::string req = "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) req += "800\r\n" + std::string(0x800, ' ') + "\r\n";
  req += "0\r\n\r\n";
  client.send_raw(req);
  EXPECT_TRUE(is_error(client.read_response(), 413, "body_too_large", "body"));
}

TEST(Service, NeverAnswers500OnInput) {
  TestService s;
  const std::vector<std::string> bodies{"",
                                        "{}",
                                        "[]",
                                        "{\"blob\": null}",
                                        "\xff\xfe",
                                        "{\"blob\": \"0x" + std::string(9, 'z') + "\"}",
                                        "{\"a\": 1e999}",
                                        std::string(2000, '['),
                                        "{\"requests\": 5}",
                                        "{\"requests\": [1, {}]}"};
  const std::vector<std::string> targets{
      "/v1/echo", "/v1/blob_to_kzg_commitment", "/v1/verify_blob_kzg_proof", "/v1/batch", "/v1/%00", "/v1/../health"};
  for (const auto& t : targets)
    for (const auto& b : bodies)
      for (const auto& h : {std::map<std::string, std::string>{}, kBinaryBoth}) {
        const auto r = s.post(t, b, h);
        EXPECT_LT(r.result_int(), 500u) << t << " " << b.substr(0, 40) << ": " << r.body();
      }
}

// ---- keep-alive and HTTP details

TEST(Service, KeepAliveServesManyRequestsOnOneConnection) {
  TestService s;
  HttpClient client(s.port());
  for (int i = 0; i < 20; ++i) {
    const auto r = client.post("/v1/echo", nlohmann::json{{"i", i}}.dump());
    ASSERT_EQ(r.result_int(), 200u);
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(body_json(r)["output"]["i"], i);
  }
  EXPECT_EQ(client.get("/health").result_int(), 200u);
  EXPECT_EQ(client.post("/v1/nope", "{}").result_int(), 404u);  // errors keep the connection too
  const auto metrics = client.get("/metrics");
  EXPECT_NE(metrics.body().find("kzgd_http_connections_open 1\n"), std::string::npos);
}

TEST(Service, ConnectionCloseIsHonoured) {
  TestService s;
  HttpClient client(s.port());
  const auto r = client.request(verb::post, "/v1/echo", "{}", {{"Connection", "close"}});
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(Service, Http10ClosesUnlessKeepAliveAsked) {
  TestService s;
  HttpClient client(s.port());
  client.send_raw("GET /health HTTP/1.0\r\n\r\n");
  const auto r = client.read_response();
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_TRUE(client.closed_by_server());
}

TEST(Service, ExpectContinueIsAnswered) {
  TestService s;
  HttpClient client(s.port());
  client.send_raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 7\r\n\r\n");
  const auto interim = client.read_response();
  EXPECT_EQ(interim.result_int(), 100u);
  client.send_raw("{\"a\":1}");
  const auto r = client.read_response();
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(body_json(r)["output"]["a"], 1);
}

TEST(Service, OversizedHeadersAre431AndClose) {
  TestService s;
  HttpClient client(s.port());
  client.send_raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(20000, 'p') + "\r\n\r\n");
  EXPECT_EQ(client.read_response().result_int(), 431u);
  EXPECT_TRUE(client.closed_by_server());
}

TEST(Service, MalformedHttpIs400AndCloses) {
  TestService s;
  HttpClient client(s.port());
  client.send_raw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(client.read_response().result_int(), 400u);
  EXPECT_TRUE(client.closed_by_server());
}

// ---- request ids and the access log

TEST(Service, RequestIdsAreEchoedOrGenerated) {
  TestService s;
  auto r = s.post("/v1/echo", "{}", {{"X-Request-Id", "client-id-42"}});
  EXPECT_EQ(r["X-Request-Id"], "client-id-42");
  r = s.post("/v1/echo", "{}", {{"X-Request-Id", "bad id with spaces"}});
  const std::string generated(r["X-Request-Id"]);
  EXPECT_EQ(generated.size(), 16u);
  EXPECT_NE(s.get("/health")["X-Request-Id"], generated);
}

TEST(Service, AccessLogHasOneJsonLinePerRequest) {
  TestService s;
  s.post("/v1/fail", "{}", {{"X-Request-Id", "log-me"}});
  // The line is written after the answer is handed over; wait for it.
  ASSERT_TRUE(eventually([&] { return s.log_text().find("log-me") != std::string::npos; }));
  nlohmann::json line;
  std::istringstream in(s.log_text());
  for (std::string l; std::getline(in, l);)
    if (l.find("log-me") != std::string::npos) line = nlohmann::json::parse(l);
  EXPECT_EQ(line["message"], "request");
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["request_id"], "log-me");
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["path"], "/v1/fail");
  EXPECT_EQ(line["operation"], "fail");
  EXPECT_EQ(line["status"], 400);
  EXPECT_TRUE(line["duration_ms"].is_number());
  EXPECT_EQ(line["client"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
  EXPECT_TRUE(line["time"].is_string());
}

// ---- load shedding

TEST(Service, FullQueueSheds503WithRetryAfter) {
  ServiceConfig c = test_config();
  c.workers.threads = 1;
  c.workers.queue_limit = 1;
  TestService s(c);
  // One request runs (and blocks), one waits in the queue, the third is shed.
  auto running = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  auto queued = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  ASSERT_TRUE(eventually([&] { return s.get("/metrics").body().find("kzgd_work_queued 1\n") != std::string::npos; }));
  const auto shed = s.post("/v1/echo", "{}");
  EXPECT_TRUE(is_error(shed, 503, "overloaded", ""));
  EXPECT_EQ(shed[http::field::retry_after], "1");
  const auto shed_batch = s.post("/v1/batch", R"({"requests": []})");
  EXPECT_TRUE(is_error(shed_batch, 503, "overloaded", ""));
  // The operations endpoints stay responsive under load.
  EXPECT_EQ(s.get("/health").result_int(), 200u);
  EXPECT_NE(s.get("/metrics").body().find("kzgd_requests_shed_total 2\n"), std::string::npos);
  s.backend().release();
  EXPECT_EQ(running.get().result_int(), 200u);
  EXPECT_EQ(queued.get().result_int(), 200u);
  EXPECT_EQ(s.post("/v1/echo", "{}").result_int(), 200u);
}

// ---- graceful shutdown

TEST(Service, ShutdownLetsRequestsInProgressFinish) {
  ServiceConfig c = test_config();
  c.workers.threads = 2;
  c.shutdown.drain_delay_seconds = 0.3;
  TestService s(c);
  HttpClient idle(s.port());
  EXPECT_EQ(idle.get("/health").result_int(), 200u);
  auto first = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  auto second = std::async(std::launch::async, [&] { return s.post("/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(2));

  auto stopped = std::async(std::launch::async, [&] { return s.service().shutdown(std::chrono::seconds(10)); });
  // During the drain delay /ready answers 503 while the listener still accepts.
  ASSERT_TRUE(eventually([&] { return !s.service().state().ready(); }));
  const auto ready = s.get("/ready");
  EXPECT_EQ(ready.result_int(), 503u);
  EXPECT_EQ(body_json(ready)["reason"], "draining");
  // Then the listener closes, and idle connections with it.
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(eventually([&] {
    try {
      HttpClient probe(s.port());
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }));
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  s.backend().release();
  const auto r1 = first.get();
  const auto r2 = second.get();
  EXPECT_EQ(r1.result_int(), 200u);
  EXPECT_EQ(r2.result_int(), 200u);
  EXPECT_FALSE(r1.keep_alive());
  EXPECT_TRUE(stopped.get());
}

TEST(Service, ShutdownGivesUpAfterTheGracePeriod) {
  TestService s;
  auto blocked = std::async(std::launch::async, [&] {
    try {
      return s.post("/v1/block", "{}").result_int();
    } catch (const std::exception&) {
      return 0u;  // the connection was closed without an answer
    }
  });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  const auto start = std::chrono::steady_clock::now();
  auto stopped = std::async(std::launch::async, [&] { return s.service().shutdown(std::chrono::milliseconds(200)); });
  // The running request cannot finish until released; shutdown waits for the worker after the grace period.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  s.backend().release();
  EXPECT_FALSE(stopped.get());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  blocked.get();
}

}  // namespace
}  // namespace kzgd
