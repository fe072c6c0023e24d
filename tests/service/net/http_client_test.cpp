// The outbound HTTP(S) client (net/http_client.hpp) against kzgd itself on loopback: plain HTTP, HTTPS verified
// against a CA file, a certificate the client does not trust, the bearer key reaching the auth filter, the
// answer-size cap and the deadline; and the OTLP export over HTTPS.
#include "service/net/http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "service/security/api_key.hpp"
#include "service/tracing/otlp_http_client.hpp"
#include "tests/service/support/test_certificates.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;

std::string base(const TestService& s, bool tls) {
  return std::string(tls ? "https://" : "http://") + "127.0.0.1:" + std::to_string(s.port());
}

struct Https {
  TempDir dir;
  TestCertificate ca = TestCertificate::self_signed("kzgd test CA", true);
  TestCertificate server = ca.issue("kzgd test server", false);
  ServiceConfig config = test_config();
  std::string ca_file = dir.write("ca.pem", ca.certificate_pem());

  Https() {
    config.tls.enabled = true;
    config.tls.cert_file = dir.write("cert.pem", server.certificate_pem());
    config.tls.key_file = dir.write("key.pem", server.private_key_pem());
  }
};

TEST(HttpClient, GetsOverPlainHttp) {
  TestService s;
  const auto a = http_client_call("GET", base(s, false) + "/health", {}, {}, {});
  EXPECT_EQ(a.status, 200u) << a.error;
  EXPECT_NE(a.body.find("ok"), std::string::npos) << a.body;
}

TEST(HttpClient, HttpsIsVerifiedAgainstTheCaFile) {
  Https h;
  TestService s(h.config);
  HttpClientOptions trusted;
  trusted.ca_file = h.ca_file;
  const auto ok = http_client_call("GET", base(s, true) + "/health", {}, {}, trusted);
  EXPECT_EQ(ok.status, 200u) << ok.error;

  // The system's CAs do not know the test CA, and another CA does not vouch for the server.
  const auto system = http_client_call("GET", base(s, true) + "/health", {}, {}, {});
  EXPECT_EQ(system.status, 0u);
  EXPECT_FALSE(system.error.empty());
  HttpClientOptions other;
  other.ca_file = h.dir.write("other.pem", TestCertificate::self_signed("another CA", true).certificate_pem());
  const auto refused = http_client_call("GET", base(s, true) + "/health", {}, {}, other);
  EXPECT_EQ(refused.status, 0u);
  EXPECT_NE(refused.error.find("certificate"), std::string::npos) << refused.error;

  // The certificate names 127.0.0.1 and localhost, not another host name.
  const auto wrong_name =
      http_client_call("GET", "https://127.0.0.2:" + std::to_string(s.port()) + "/health", {}, {}, trusted);
  EXPECT_EQ(wrong_name.status, 0u);
}

TEST(HttpClient, TheBearerKeyReachesTheAuthFilter) {
  TempDir dir;
  const std::string key = "kzgk_" + std::string(64, 'a');
  ServiceConfig c = test_config();
  c.auth.enabled = true;
  c.auth.keys_file = dir.write(
      "keys.yaml", "keys:\n  - {name: ops, sha256: " + digest_hex(api_key_digest(key)) + ", permissions: [admin]}\n");
  TestService s(c);
  const auto without = http_client_call("GET", base(s, false) + "/debug/memory", {}, {}, {});
  EXPECT_EQ(without.status, 401u) << without.body;
  const auto with = http_client_call("GET", base(s, false) + "/debug/memory", {"Authorization: Bearer " + key}, {}, {});
  EXPECT_EQ(with.status, 200u) << with.body;
}

TEST(HttpClient, AnAnswerOverTheCapIsRefused) {
  TestService s;
  HttpClientOptions small;
  small.max_answer_bytes = 64;  // /metrics is several kilobytes
  const auto a = http_client_call("GET", base(s, false) + "/metrics", {}, {}, small);
  EXPECT_EQ(a.status, 0u);
  EXPECT_NE(a.error.find("larger than 64 bytes"), std::string::npos) << a.error;
  EXPECT_TRUE(a.body.empty());
}

TEST(HttpClient, ASilentServerMeetsTheDeadline) {
  // A listener that accepts (the kernel's backlog) and never answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  HttpClientOptions quick;
  quick.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const auto a = http_client_call("GET", "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/", {},
                                  {}, quick);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(a.status, 0u);
  EXPECT_NE(a.error.find("no answer within 300 ms"), std::string::npos) << a.error;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(HttpClient, OnlyHttpAndHttpsAreSpoken) {
  const auto a = http_client_call("GET", "file:///etc/passwd", {}, {}, {});
  EXPECT_EQ(a.status, 0u);
  EXPECT_TRUE(a.body.empty());
}

TEST(OtlpExport, PostsOverHttpsWithTheCaFile) {
  Https h;
  TestService s(h.config);
  CollectorUrl url;
  url.tls = true;
  url.host = "127.0.0.1";
  url.port = s.port();
  url.target = "/v1/traces";
  // kzgd is no collector: it answers 404, which proves the TLS exchange and the POST went through.
  const auto answered = post_otlp_json(url, "{}", std::chrono::seconds(5), h.ca_file);
  EXPECT_EQ(answered.status, 404u) << answered.error;
  EXPECT_FALSE(answered.ok);
  EXPECT_FALSE(answered.retryable);
  const auto untrusted = post_otlp_json(url, "{}", std::chrono::seconds(5), "");
  EXPECT_EQ(untrusted.status, 0u);
  EXPECT_TRUE(untrusted.retryable);
}

}  // namespace
}  // namespace kzgd
