// What a hostile client tried against kzgd on loopback, each answered: the debug endpoints through a proxy,
// /debug/health as a CPU sink, an empty keys file, a binary batch body. (HTTP framing is in http/framing_test.cpp,
// repeated JSON keys in tests/service/api/codecs/json_body_test.cpp, the 0x prefix in the engine's
// json_codec_test.cpp.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "service/api/endpoints/debug_endpoints.hpp"
#include "service/security/api_key.hpp"
#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_certificates.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;

TEST(Hardening, AProxiedRequestNeverGetsTheDebugEndpointsByAddress) {
  ServiceConfig c = relaxed_config();
  set_key(c, "access.trusted_proxies", "127.0.0.0/8");
  TestService s(c);
  // A direct loopback client (an operator on the host) still gets them without keys.
  EXPECT_EQ(s.get("/debug/memory").result_int(), 200u);
  // Through a proxy on the host, whatever client it names (outside or loopback), they are refused.
  for (const char* forwarded : {"9.9.9.9", "127.0.0.1", "::1"}) {
    const auto r = http_request(s.port(), verb::get, "/debug/memory", "", {{"X-Forwarded-For", forwarded}});
    EXPECT_TRUE(is_error(r, 403, "forbidden", "client")) << forwarded;
  }
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"Forwarded", "for=9.9.9.9"}, {"X-Real-IP", "9.9.9.9"}}) {
    const auto r = http_request(s.port(), verb::get, "/debug/health", "", {{name, value}});
    EXPECT_TRUE(is_error(r, 403, "forbidden", "client")) << name;
  }
}

TEST(Hardening, DebugHealthRunsOnAWorkerAtMostOnceASecond) {
  TestService s(relaxed_config());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(s.get("/debug/health").result_int(), 200u) << i;
  EXPECT_EQ(s.backend().self_test_runs(), 1);  // the nine others got the latest report
  std::this_thread::sleep_for(DebugEndpoint::kHealthInterval + std::chrono::milliseconds(100));
  EXPECT_EQ(s.get("/debug/health").result_int(), 200u);
  EXPECT_EQ(s.backend().self_test_runs(), 2);
}

TEST(Hardening, DebugHealthDoesNotRunOnTheIoThreadWhenTheWorkersAreFull) {
  ServiceConfig c = relaxed_config();
  c.workers.threads = 1;
  c.workers.queue_limit = 0;
  TestService s(c);
  std::thread blocker([&] { s.post("/v1/block", "{}"); });
  ASSERT_TRUE(s.backend().wait_blocked(1));
  // The check needs a worker, and none is free: refused at once instead of running on the I/O thread.
  const auto r = s.get("/debug/health");
  EXPECT_TRUE(is_error(r, 503, "overloaded", "")) << r.body();
  EXPECT_EQ(s.backend().self_test_runs(), 0);
  EXPECT_EQ(s.get("/health").result_int(), 200u);  // the I/O thread is free
  s.backend().release();
  blocker.join();
  // Once the worker is free again (it may still be finishing the blocked call), the check runs there.
  unsigned status = 0;
  for (int attempt = 0; attempt < 100 && status != 200u; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = s.get("/debug/health").result_int();
  }
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(s.backend().self_test_runs(), 1);
}

TEST(Hardening, HealthChecksRefreshOnTheirOwnSoTheMetricsStayCurrent) {
  ServiceConfig c = relaxed_config();
  c.diagnostics.health_interval_seconds = 0.2;
  TestService s(c);
  s.backend().set_self_test_broken(true);
  // Nobody calls /debug/health: the refresher runs the checks, and the metric shows the failing self-test.
  std::string metrics;
  for (int i = 0; i < 50 && metrics.find("kzgd_health_check_ok{check=\"self_test\"} 0") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    metrics = s.get("/metrics").body();
  }
  EXPECT_NE(metrics.find("kzgd_health_check_ok{check=\"self_test\"} 0"), std::string::npos) << metrics;
  EXPECT_GE(s.backend().self_test_runs(), 1);
}

std::string entry(const std::string& name, const std::string& key) {
  return "  - {name: " + name + ", sha256: " + digest_hex(api_key_digest(key)) + ", permissions: [verify]}\n";
}

TEST(Hardening, AnEmptyKeysFileDoesNotRevokeEveryKey) {
  TempDir dir;
  const std::string path = dir.write("keys.yaml", "keys:\n" + entry("one", "k-one"));
  ServiceConfig c = relaxed_config();
  c.auth.enabled = true;
  c.auth.keys_file = path;
  TestService s(c);
  const auto works = [&] {
    return http_request(s.port(), verb::post, "/v1/echo", "{}", {{"X-API-Key", "k-one"}}).result_int() != 401u;
  };
  ASSERT_TRUE(works());
  for (const char* empty : {"", "keys:\n", "keys: []\n"}) {
    dir.write("keys.yaml", empty);
    const auto reloaded = s.service().reload_api_keys();
    ASSERT_FALSE(reloaded.ok()) << "\"" << empty << "\" was accepted";
    EXPECT_EQ(reloaded.error().field, "auth.keys_file");
    EXPECT_NE(reloaded.error().message.find("no keys"), std::string::npos) << reloaded.error().message;
    EXPECT_TRUE(works()) << "\"" << empty << "\" revoked the keys";
  }
  EXPECT_NE(s.log_text().find("previous API keys stay in force"), std::string::npos);
}

TEST(Hardening, AnEmptyKeysFileIsAcceptedOnlyWhenAllowed) {
  TempDir dir;
  ServiceConfig c = relaxed_config();
  c.auth.enabled = true;
  c.auth.keys_file = dir.write("keys.yaml", "keys: []\n");
  EXPECT_THROW(TestService refused(c), std::runtime_error);  // start-up fails naming auth.keys_file
  c.auth.allow_empty_keys = true;
  TestService s(c);
  EXPECT_TRUE(is_error(s.post("/v1/echo", "{}"), 401, "missing_api_key", "Authorization"));
}

TEST(Hardening, ABinaryBatchBodyIs415) {
  TestService s(relaxed_config());
  const auto r = s.post("/v1/batch", std::string(64, '\0'), {{"Content-Type", "application/octet-stream"}});
  EXPECT_TRUE(is_error(r, 415, "unsupported_media_type", "body")) << r.body();
}

TEST(Hardening, TheOperationLabelStaysInTheDocumentedSet) {
  TestService s(relaxed_config());
  for (const auto& [method, target] : std::vector<std::pair<verb, std::string>>{{verb::get, "/debug/memory"},
                                                                                {verb::get, "/debug/nothing"},
                                                                                {verb::get, "/v1/not_an_operation"},
                                                                                {verb::post, "/v1/../../etc"},
                                                                                {verb::get, "/favicon.ico"},
                                                                                {verb::options, "/v1/batch"},
                                                                                {verb::get, "/v1/batch"},
                                                                                {verb::post, "/v1/echo"},
                                                                                {verb::get, "/ready?x=1"},
                                                                                {verb::delete_, "/metrics"}})
    http_request(s.port(), method, target, method == verb::post ? "{}" : "");
  // The set docs/service.md documents: the operations, and six fixed names.
  std::set<std::string> allowed(s.backend().operations().begin(), s.backend().operations().end());
  for (const char* fixed : {"batch", "health", "ready", "metrics", "debug", "unknown"}) allowed.insert(fixed);
  const std::string metrics = s.get("/metrics").body();
  const std::string prefix = "kzgd_http_requests_total{operation=\"";
  int seen = 0;
  for (auto at = metrics.find(prefix); at != std::string::npos; at = metrics.find(prefix, at + 1)) {
    const auto start = at + prefix.size();
    const std::string label = metrics.substr(start, metrics.find('"', start) - start);
    EXPECT_TRUE(allowed.count(label)) << "operation=\"" << label << "\" is outside the documented set";
    ++seen;
  }
  EXPECT_GE(seen, 5);
}

}  // namespace
}  // namespace kzgd
