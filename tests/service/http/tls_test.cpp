// kzgd over HTTPS on loopback: protocol versions, mutual TLS, certificate rotation, the handshake deadline.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <thread>

#include "tests/service/support/http_client.hpp"
#include "tests/service/support/metric_value.hpp"
#include "tests/service/support/test_certificates.hpp"
#include "tests/service/support/test_service.hpp"
#include "tests/service/support/tls_client.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;

struct TlsFixture {
  TempDir dir;
  TestCertificate server = TestCertificate::self_signed("kzgd test server");
  ServiceConfig config = test_config();

  TlsFixture() {
    config.tls.enabled = true;
    config.tls.cert_file = dir.write("cert.pem", server.certificate_pem());
    config.tls.key_file = dir.write("key.pem", server.private_key_pem());
  }
};

// The series' value once it reaches `expected` (the server counts a close just after the client sees it), or
// its value after two seconds.
double metric(TestService& s, const std::string& series, double expected, const TlsClientOptions& options = {}) {
  double value = -1;
  for (int attempt = 0; attempt < 40 && value != expected; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    TlsClient client(s.port(), options);
    if (!client.handshake()) continue;
    const auto r = client.get("/metrics");
    if (r) value = metric_value(r->body(), series).value_or(-1);
  }
  return value;
}

// Reads until the server closes (true) or something other than its end arrives for long (false).
bool closed_after_any_alert(HttpClient& client) {
  for (int i = 0; i < 64; ++i)
    if (client.closed_by_server(std::chrono::seconds(5))) return true;
  return false;
}

TEST(Tls, Tls12And13AreAcceptedAnd13IsPreferred) {
  TlsFixture f;
  TestService s(f.config);
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsClient client(s.port(), only(version));
    ASSERT_TRUE(client.handshake()) << client.error();
    EXPECT_EQ(client.version(), version);
    const auto r = client.get("/health");
    ASSERT_TRUE(r) << client.error();
    EXPECT_EQ(r->result_int(), 200u);
    EXPECT_EQ(client.peer_sha256(), f.server.sha256());
  }
  TlsClient any(s.port());
  ASSERT_TRUE(any.handshake()) << any.error();
  EXPECT_EQ(any.version(), TLS1_3_VERSION);
}

TEST(Tls, Tls11IsRefusedByTheServer) {
  TlsFixture f;
  TestService s(f.config);
  TlsClientOptions legacy = only(TLS1_1_VERSION);
  legacy.allow_legacy = true;
  TlsClient client(s.port(), legacy);
  EXPECT_FALSE(client.handshake());
  // The server's alert, not the client refusing to offer TLS 1.1.
  EXPECT_NE(client.error().find("protocol version"), std::string::npos) << client.error();
  EXPECT_EQ(metric(s, closed_series("handshake_failed"), 1), 1);
}

TEST(Tls, MinVersion13RefusesTls12) {
  TlsFixture f;
  f.config.tls.min_version = TlsVersion::v1_3;
  TestService s(f.config);
  TlsClient old(s.port(), only(TLS1_2_VERSION));
  EXPECT_FALSE(old.handshake());
  TlsClient current(s.port(), only(TLS1_3_VERSION));
  EXPECT_TRUE(current.handshake()) << current.error();
}

TEST(Tls, PlainHttpToTheTlsPortIsRefused) {
  TlsFixture f;
  TestService s(f.config);
  HttpClient client(s.port());
  client.send_raw("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(closed_after_any_alert(client));
  EXPECT_EQ(metric(s, closed_series("handshake_failed"), 1), 1);
}

TEST(Tls, MutualTlsRejectsAClientWithoutACertificate) {
  TlsFixture f;
  const auto ca = TestCertificate::self_signed("kzgd test client CA", /*ca=*/true);
  const auto member = ca.issue("client-1", /*client=*/true);
  const auto stranger = TestCertificate::self_signed("kzgd stranger CA", true).issue("client-2", true);
  f.config.tls.client_ca_file = f.dir.write("clients.pem", ca.certificate_pem());
  f.config.tls.require_client_cert = true;
  TestService s(f.config);

  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    // No certificate: TLS 1.2 fails in the handshake; TLS 1.3 completes the client's side and fails at once after.
    TlsClient anonymous(s.port(), only(version));
    const bool connected = anonymous.handshake() && anonymous.get("/health").has_value();
    EXPECT_FALSE(connected) << version;
    EXPECT_NE(anonymous.error().find(version == TLS1_3_VERSION ? "certificate required" : "handshake failure"),
              std::string::npos)
        << anonymous.error();

    // A certificate from another CA.
    TlsClientOptions foreign = only(version);
    foreign.cert_file = f.dir.write("stranger.pem", stranger.certificate_pem());
    foreign.key_file = f.dir.write("stranger-key.pem", stranger.private_key_pem());
    TlsClient outsider(s.port(), foreign);
    EXPECT_FALSE(outsider.handshake() && outsider.get("/health").has_value()) << version;

    TlsClientOptions with_cert = only(version);
    with_cert.cert_file = f.dir.write("client.pem", member.certificate_pem());
    with_cert.key_file = f.dir.write("client-key.pem", member.private_key_pem());
    TlsClient client(s.port(), with_cert);
    ASSERT_TRUE(client.handshake()) << client.error();
    const auto r = client.get("/health");
    ASSERT_TRUE(r) << client.error();
    EXPECT_EQ(r->result_int(), 200u);
  }
  TlsClientOptions member_options;
  member_options.cert_file = f.dir.write("client.pem", member.certificate_pem());
  member_options.key_file = f.dir.write("client-key.pem", member.private_key_pem());
  EXPECT_EQ(metric(s, closed_series("handshake_failed"), 4, member_options), 4);
}

TEST(Tls, ReloadRotatesTheCertificateWithoutDisturbingOpenConnections) {
  TlsFixture f;
  TestService s(f.config);
  TlsClient old_client(s.port());
  ASSERT_TRUE(old_client.handshake()) << old_client.error();
  ASSERT_TRUE(old_client.get("/health"));
  EXPECT_EQ(old_client.peer_sha256(), f.server.sha256());

  const auto rotated = TestCertificate::self_signed("kzgd rotated server");
  f.dir.write("cert.pem", rotated.certificate_pem());
  f.dir.write("key.pem", rotated.private_key_pem());
  ASSERT_TRUE(s.service().reload_tls());

  // The established connection carries on, still with the certificate it was accepted with...
  for (int i = 0; i < 3; ++i) {
    const auto r = old_client.get("/health");
    ASSERT_TRUE(r) << old_client.error();
    EXPECT_EQ(r->result_int(), 200u);
  }
  EXPECT_EQ(old_client.peer_sha256(), f.server.sha256());
  // ... and a new one sees the new certificate.
  TlsClient new_client(s.port());
  ASSERT_TRUE(new_client.handshake()) << new_client.error();
  EXPECT_EQ(new_client.peer_sha256(), rotated.sha256());
  ASSERT_TRUE(new_client.get("/health"));

  // A broken file is reported and the rotated certificate stays.
  f.dir.write("cert.pem", "-----BEGIN CERTIFICATE-----\ntruncated\n");
  EXPECT_FALSE(s.service().reload_tls());
  TlsClient after_failure(s.port());
  ASSERT_TRUE(after_failure.handshake()) << after_failure.error();
  EXPECT_EQ(after_failure.peer_sha256(), rotated.sha256());
  EXPECT_NE(s.log_text().find("tls.cert_file"), std::string::npos);
  EXPECT_EQ(metric(s, "kzgd_tls_reloads_total{outcome=\"ok\"}", 1), 1);
  EXPECT_EQ(metric(s, "kzgd_tls_reloads_total{outcome=\"error\"}", 1), 1);
}

TEST(Tls, TheCertificateExpiryGaugeFollowsTheServedCertificate) {
  TlsFixture f;
  TestService s(f.config);
  const std::string series = "kzgd_tls_certificate_expiry_timestamp_seconds";
  ASSERT_GT(f.server.not_after_unix(), 0);
  EXPECT_EQ(metric(s, series, static_cast<double>(f.server.not_after_unix())),
            static_cast<double>(f.server.not_after_unix()));

  // A certificate valid for ten days (inside the 14-day alert) replaces it on reload.
  const auto short_lived = TestCertificate::self_signed("kzgd short-lived", false, 10 * 24 * 3600);
  ASSERT_NE(short_lived.not_after_unix(), f.server.not_after_unix());
  f.dir.write("cert.pem", short_lived.certificate_pem());
  f.dir.write("key.pem", short_lived.private_key_pem());
  ASSERT_TRUE(s.service().reload_tls());
  EXPECT_EQ(metric(s, series, static_cast<double>(short_lived.not_after_unix())),
            static_cast<double>(short_lived.not_after_unix()));

  // A failed reload keeps the served certificate, and its expiry.
  f.dir.write("cert.pem", "not a certificate");
  EXPECT_FALSE(s.service().reload_tls());
  EXPECT_EQ(metric(s, series, static_cast<double>(short_lived.not_after_unix())),
            static_cast<double>(short_lived.not_after_unix()));
}

TEST(Tls, PlainHttpServesNoCertificateExpiry) {
  TestService s(test_config());
  HttpClient client(s.port());
  const auto r = client.get("/metrics");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_FALSE(metric_value(r.body(), "kzgd_tls_certificate_expiry_timestamp_seconds"));
}

TEST(Tls, AStalledHandshakeIsClosedAtItsDeadline) {
  TlsFixture f;
  f.config.tls.handshake_timeout_seconds = 0.3;
  TestService s(f.config);
  HttpClient silent(s.port());  // connects and sends nothing
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.closed_by_server(std::chrono::seconds(5)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  EXPECT_EQ(metric(s, closed_series("handshake_timeout"), 1), 1);
}

TEST(Tls, ABadCertificateStopsStartUpNamingTheKey) {
  TlsFixture f;
  f.config.tls.cert_file = f.dir.write("broken.pem", "not a certificate\n");
  TestBackend backend;
  Logger logger(LogLevel::off, LogFormat::json);
  Service service(f.config, backend, logger);
  const auto bound = service.start();
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().field, "tls.cert_file");
  backend.release();
}

}  // namespace
}  // namespace kzgd
