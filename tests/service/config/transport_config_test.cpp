// The transport's keys: connection limits and tls.*, including the rules that tie keys together.
#include <gtest/gtest.h>

#include <algorithm>

#include "service/service_config.hpp"
#include "tests/service/support/test_certificates.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;

kzg::Result<ServiceConfig> load(const std::vector<std::pair<std::string, std::string>>& values) {
  ConfigSources s;
  for (const auto& [key, value] : values) s.overrides.push_back({key, value, "test"});
  return load_service_config(s);
}

TEST(TransportConfig, DefaultsArePlainHttpWithModernTlsSettings) {
  const ServiceConfig c;
  EXPECT_FALSE(c.tls.enabled);
  EXPECT_EQ(c.tls.min_version, TlsVersion::v1_2);
  // Only ECDHE key exchange with AEAD ciphers.
  std::size_t begin = 0;
  while (begin < c.tls.ciphers.size()) {
    const std::size_t end = std::min(c.tls.ciphers.find(':', begin), c.tls.ciphers.size());
    const std::string cipher = c.tls.ciphers.substr(begin, end - begin);
    EXPECT_EQ(cipher.rfind("ECDHE-", 0), 0u) << cipher;
    EXPECT_TRUE(cipher.find("GCM") != std::string::npos || cipher.find("CHACHA20-POLY1305") != std::string::npos)
        << cipher;
    begin = end + 1;
  }
  EXPECT_EQ(c.server.max_header_bytes, 16384u);
  EXPECT_DOUBLE_EQ(c.server.header_timeout_seconds, 10);
}

TEST(TransportConfig, LimitsAreParsedAndBounded) {
  const auto c = load({{"server.max_connections", "500"},
                       {"server.max_header_bytes", "8KiB"},
                       {"server.header_timeout_seconds", "2.5"},
                       {"tls.handshake_timeout_seconds", "3"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.max_connections, 500u);
  EXPECT_EQ(c->server.max_header_bytes, 8192u);
  EXPECT_DOUBLE_EQ(c->server.header_timeout_seconds, 2.5);
  EXPECT_DOUBLE_EQ(c->tls.handshake_timeout_seconds, 3);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"server.max_connections", "0"},
                                                        {"server.max_header_bytes", "100"},
                                                        {"server.max_header_bytes", "2MiB"},
                                                        {"server.header_timeout_seconds", "0"},
                                                        {"tls.min_version", "1.1"},
                                                        {"tls.ciphers", "RC4-MD5-NOT-A-CIPHER"},
                                                        {"tls.ciphersuites", "TLS_AES_128_CBC_SHA"}}) {
    const auto bad = load({{key, value}});
    ASSERT_FALSE(bad.ok()) << key << "=" << value;
    EXPECT_EQ(bad.error().field, key);
  }
}

TEST(TransportConfig, TlsNeedsACertificateAndAKey) {
  TempDir dir;
  const auto certificate = TestCertificate::self_signed("config test");
  const std::string cert = dir.write("cert.pem", certificate.certificate_pem());
  const std::string key = dir.write("key.pem", certificate.private_key_pem());

  auto c = load({{"tls.enabled", "true"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "tls.cert_file");
  c = load({{"tls.enabled", "true"}, {"tls.cert_file", cert}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "tls.key_file");
  c = load({{"tls.enabled", "true"}, {"tls.cert_file", cert}, {"tls.key_file", key}, {"tls.min_version", "1.3"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->tls.cert_file, cert);
  EXPECT_EQ(c->tls.min_version, TlsVersion::v1_3);

  c = load({{"tls.cert_file", (dir.path() / "missing.pem").string()}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "tls.cert_file");
}

TEST(TransportConfig, RequiringClientCertificatesNeedsACaFile) {
  const auto c = load({{"tls.require_client_cert", "true"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "tls.client_ca_file");
}

}  // namespace
}  // namespace kzgd
