// kzgd's security controls end to end: the real server on loopback with API keys, permissions, access lists,
// rate limits and CORS configured, answered over HTTP.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "service/security/api_key.hpp"
#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;
namespace http = boost::beast::http;

using Headers = std::map<std::string, std::string>;

std::string entry(const std::string& name, const std::string& key, const std::string& permissions,
                  const std::string& extra = "") {
  return "  - {name: " + name + ", sha256: " + digest_hex(api_key_digest(key)) + ", permissions: [" + permissions +
         "]" + extra + "}\n";
}

// A keys file in the temporary directory, removed at the end of the test.
class KeysFile {
 public:
  explicit KeysFile(const std::string& text)
      : path_((std::filesystem::temp_directory_path() /
               ("kzgd_security_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                ".yaml"))
                  .string()) {
    write(text);
  }
  ~KeysFile() { std::filesystem::remove(path_); }
  void write(const std::string& text) const {
    const std::string staged = path_ + ".new";
    std::ofstream(staged, std::ios::trunc) << text;
    std::filesystem::rename(staged, path_);  // replaced at once, as an operator's tooling would
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ServiceConfig auth_config(const KeysFile& keys) {
  ServiceConfig c = test_config();
  c.auth.enabled = true;
  c.auth.keys_file = keys.path();
  return c;
}

std::string metric_line(TestService& s, const std::string& reason) {
  const std::string text = s.get("/metrics").body();
  const std::string prefix = "kzgd_requests_rejected_total{reason=\"" + reason + "\"} ";
  const auto at = text.find(prefix);
  if (at == std::string::npos) return "absent";
  return text.substr(at + prefix.size(), text.find('\n', at) - at - prefix.size());
}

const std::string kVerify = "/v1/verify_blob_kzg_proof";
const std::string kCommit = "/v1/blob_to_kzg_commitment";

// ---- API keys

TEST(SecurityService, MissingUnknownDisabledAndExpiredKeysAre401) {
  KeysFile keys("keys:\n" + entry("verifier", "k-verify", "verify") +
                entry("off", "k-off", "verify", ", enabled: false") +
                entry("old", "k-old", "verify", ", expires: 2020-01-01T00:00:00Z"));
  TestService s(auth_config(keys));
  EXPECT_EQ(s.get("/health").result_int(), 200u);
  EXPECT_EQ(s.get("/ready").result_int(), 200u);
  EXPECT_TRUE(is_error(s.post(kVerify, "{}"), 401, "missing_api_key", "Authorization"));
  EXPECT_TRUE(
      is_error(s.post(kVerify, "{}", {{"Authorization", "Bearer k-wrong"}}), 401, "unknown_api_key", "Authorization"));
  EXPECT_TRUE(is_error(s.post(kVerify, "{}", {{"X-API-Key", "k-off"}}), 401, "api_key_disabled", "X-API-Key"));
  EXPECT_TRUE(is_error(s.post(kVerify, "{}", {{"X-API-Key", "k-old"}}), 401, "api_key_expired", "X-API-Key"));
  // The right key reaches the operation (the test backend answers the empty input 400).
  const auto ok = s.post(kVerify, "{}", {{"Authorization", "Bearer k-verify"}});
  EXPECT_NE(ok.result_int(), 401u);
  EXPECT_NE(ok.result_int(), 403u);
  EXPECT_EQ(metric_line(s, "unauthorized"), "4");
}

TEST(SecurityService, MissingPermissionIs403AndBatchItemsAreChecked) {
  KeysFile keys("keys:\n" + entry("verifier", "k-verify", "verify, batch"));
  TestService s(auth_config(keys));
  const Headers key{{"X-API-Key", "k-verify"}};
  EXPECT_TRUE(is_error(s.post(kCommit, "{}", key), 403, "permission_denied", "operation"));
  const auto batch = s.post("/v1/batch",
                            R"({"requests": [{"op": "verify_blob_kzg_proof", "input": {}},
                                             {"op": "blob_to_kzg_commitment", "input": {}}]})",
                            key);
  EXPECT_TRUE(is_error(batch, 403, "permission_denied", "requests[1].op"));
  const auto allowed = s.post("/v1/batch", R"({"requests": [{"op": "verify_blob_kzg_proof", "input": {}}]})", key);
  EXPECT_EQ(allowed.result_int(), 200u) << allowed.body();
  EXPECT_EQ(metric_line(s, "forbidden"), "2");
}

TEST(SecurityService, StartRefusesAuthWithoutAKeysFile) {
  ServiceConfig c = test_config();
  c.auth.enabled = true;
  EXPECT_THROW(TestService s(c), std::runtime_error);  // start() failed naming auth.keys_file
  TestBackend backend;
  Logger logger(LogLevel::off, LogFormat::json);
  Service service(c, backend, logger);
  const auto started = service.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().field, "auth.keys_file");
}

TEST(SecurityService, WarnsWhenAuthIsOffBeyondLoopback) {
  ServiceConfig c = test_config();
  c.server.listen = {"0.0.0.0", 0};
  TestService s(c);
  EXPECT_NE(s.log_text().find("authentication is off on a non-loopback address"), std::string::npos);
  TestService local;
  EXPECT_EQ(local.log_text().find("authentication is off"), std::string::npos);
}

TEST(SecurityService, ReloadPicksUpAChangedKeysFileWhileAKeepAliveClientStaysConnected) {
  KeysFile keys("keys:\n" + entry("first", "k-first", "verify"));
  TestService s(auth_config(keys));
  HttpClient client(s.port());
  EXPECT_NE(client.post(kVerify, "{}", {{"X-API-Key", "k-first"}}).result_int(), 401u);
  EXPECT_TRUE(is_error(client.post(kVerify, "{}", {{"X-API-Key", "k-second"}}), 401, "unknown_api_key", "X-API-Key"));

  keys.write("keys:\n" + entry("second", "k-second", "verify"));
  const auto reloaded = s.service().reload_api_keys();
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(*reloaded, 1u);

  // Same connection: the old key is gone, the new one works.
  EXPECT_TRUE(is_error(client.post(kVerify, "{}", {{"X-API-Key", "k-first"}}), 401, "unknown_api_key", "X-API-Key"));
  const auto r = client.post(kVerify, "{}", {{"X-API-Key", "k-second"}});
  EXPECT_NE(r.result_int(), 401u);
  EXPECT_TRUE(r.keep_alive());

  // Still one connection: every answer above came on it, and the server has had no other.
  const auto metrics = client.get("/metrics").body();
  EXPECT_NE(metrics.find("kzgd_http_connections_open 1\n"), std::string::npos);

  // A broken file keeps the keys in force and says why.
  keys.write("keys:\n  - {name: broken}\n");
  EXPECT_FALSE(s.service().reload_api_keys().ok());
  EXPECT_NE(client.post(kVerify, "{}", {{"X-API-Key", "k-second"}}).result_int(), 401u);
  EXPECT_NE(s.log_text().find("reload failed"), std::string::npos);
}

// ---- access lists

TEST(SecurityService, DeniedAddressIs403OnEveryPath) {
  ServiceConfig c = test_config();
  set_key(c, "access.deny", "127.0.0.0/8");
  TestService s(c);
  EXPECT_TRUE(is_error(s.get("/health"), 403, "address_denied", ""));
  EXPECT_TRUE(is_error(s.post(kVerify, "{}"), 403, "address_denied", ""));
}

TEST(SecurityService, AllowListAndForwardedForThroughATrustedProxy) {
  ServiceConfig c = test_config();
  set_key(c, "access.allow", "198.51.100.0/24");
  set_key(c, "access.trusted_proxies", "127.0.0.1");
  TestService s(c);
  // The loopback peer is a trusted proxy: the forwarded client decides.
  EXPECT_EQ(s.post(kVerify, "{}", {{"X-Forwarded-For", "198.51.100.20"}}).result_int(), 400u);
  EXPECT_TRUE(is_error(s.post(kVerify, "{}", {{"X-Forwarded-For", "203.0.113.20"}}), 403, "address_denied", ""));
  // Without the header the proxy itself is the client, and it is not allowed.
  EXPECT_TRUE(is_error(s.get("/health"), 403, "address_denied", ""));
  EXPECT_EQ(metric_line(s, "forbidden"), "absent");  // /metrics is refused too: 127.0.0.1 is not allowed
}

// ---- rate limits

ServiceConfig limited_config() {
  ServiceConfig c = test_config();
  c.rate_limit.enabled = true;
  c.rate_limit.rate = 0.01;  // refills too slowly to matter during the test
  c.rate_limit.burst = 10;
  set_key(c, "access.trusted_proxies", "127.0.0.1");  // so that X-Forwarded-For names distinct clients
  return c;
}

Headers from(const std::string& address) { return {{"X-Forwarded-For", address}}; }

TEST(SecurityService, BurstOverTheLimitIs429WithRetryAfter) {
  TestService s(limited_config());
  for (int i = 0; i < 5; ++i) {  // 5 x 2 tokens
    const auto r = s.post(kVerify, "{}", from("198.51.100.1"));
    ASSERT_NE(r.result_int(), 429u) << i;
    EXPECT_EQ(r["RateLimit-Limit"], "10");
    EXPECT_EQ(r["RateLimit-Remaining"], std::to_string(8 - 2 * i));
  }
  const auto r = s.post(kVerify, "{}", from("198.51.100.1"));
  EXPECT_TRUE(is_error(r, 429, "rate_limited", ""));
  EXPECT_EQ(r[http::field::retry_after], "200");  // 2 tokens at 0.01 per second
  EXPECT_EQ(r["RateLimit-Remaining"], "0");
  EXPECT_EQ(r["RateLimit-Reset"], "1000");
  EXPECT_FALSE(r["RateLimit-Policy"].empty());
  EXPECT_EQ(metric_line(s, "rate_limited"), "1");
  // /health is not limited; another client is not affected.
  EXPECT_EQ(s.get("/health").result_int(), 200u);
  EXPECT_NE(s.post(kVerify, "{}", from("198.51.100.2")).result_int(), 429u);
}

TEST(SecurityService, OneHeavyRequestExhaustsWhatManyLightOnesDoNot) {
  TestService s(limited_config());
  // Light: four verifications (8 tokens) leave room for a fifth.
  for (int i = 0; i < 4; ++i) ASSERT_NE(s.post(kVerify, "{}", from("198.51.100.1")).result_int(), 429u);
  EXPECT_NE(s.post(kVerify, "{}", from("198.51.100.1")).result_int(), 429u);
  // Heavy: one commitment (11 tokens) empties the bucket at once.
  EXPECT_NE(s.post(kCommit, "{}", from("198.51.100.2")).result_int(), 429u);
  EXPECT_TRUE(is_error(s.post(kVerify, "{}", from("198.51.100.2")), 429, "rate_limited", ""));
}

TEST(SecurityService, ThousandsOfClientAddressesStayWithinTheBucketBound) {
  ServiceConfig c = limited_config();
  c.rate_limit.rate = 1e6;  // buckets refill within microseconds, so idle ones can be evicted
  c.rate_limit.max_clients = 64;
  TestService s(c);
  HttpClient client(s.port());
  const RateLimiter* limiter = s.service().security().rate_limiter();
  ASSERT_NE(limiter, nullptr);
  std::size_t most = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string address =
        "10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) + "." + std::to_string(i % 256);
    const auto r = client.post(kVerify, "{}", from(address));
    ASSERT_NE(r.result_int(), 429u) << i;
    most = std::max(most, limiter->bucket_count());
  }
  EXPECT_LE(most, 64u);
  EXPECT_EQ(limiter->bucket_count(), 64u);
}

// ---- CORS

TEST(SecurityService, CorsPreflightIsAnsweredWithoutAKeyAndErrorsCarryTheOrigin) {
  KeysFile keys("keys:\n" + entry("verifier", "k-verify", "verify"));
  ServiceConfig c = auth_config(keys);
  set_key(c, "cors.allowed_origins", "https://app.example.org");
  TestService s(c);
  HttpClient client(s.port());
  const auto preflight = client.request(verb::options, kVerify, "",
                                        {{"Origin", "https://app.example.org"},
                                         {"Access-Control-Request-Method", "POST"},
                                         {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(preflight.result_int(), 204u);
  EXPECT_EQ(preflight[http::field::access_control_allow_origin], "https://app.example.org");
  EXPECT_NE(preflight[http::field::access_control_allow_methods].find("POST"), std::string::npos);
  EXPECT_EQ(preflight[http::field::access_control_max_age], "600");
  const auto refused = client.post(kVerify, "{}", {{"Origin", "https://app.example.org"}});
  EXPECT_TRUE(is_error(refused, 401, "missing_api_key", "Authorization"));
  EXPECT_EQ(refused[http::field::access_control_allow_origin], "https://app.example.org");
  const auto other = client.post(kVerify, "{}", {{"Origin", "https://evil.example.org"}, {"X-API-Key", "k-verify"}});
  EXPECT_EQ(other.find(http::field::access_control_allow_origin), other.end());
  const auto bad_preflight = client.request(
      verb::options, kVerify, "", {{"Origin", "https://evil.example.org"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(bad_preflight.result_int(), 403u);
  EXPECT_EQ(bad_preflight.find(http::field::access_control_allow_origin), bad_preflight.end());
}

}  // namespace
}  // namespace kzgd
