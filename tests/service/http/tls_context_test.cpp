// TlsContext: certificate and key files checked when the context is built (errors name the key), reloads.
#include "service/http/tls_context.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/test_certificates.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;

struct Files {
  TempDir dir;
  TestCertificate certificate = TestCertificate::self_signed("kzgd test server");
  TlsOptions settings;

  Files() {
    settings.enabled = true;
    settings.cert_file = dir.write("cert.pem", certificate.certificate_pem());
    settings.key_file = dir.write("key.pem", certificate.private_key_pem());
  }
};

TEST(TlsContext, LoadsACertificateAndDescribesIt) {
  Files f;
  const auto tls = TlsContext::create(f.settings);
  ASSERT_TRUE(tls.ok()) << tls.error().message;
  const auto info = (*tls)->certificate();
  EXPECT_EQ(info.sha256_fingerprint, f.certificate.sha256());
  EXPECT_NE(info.subject.find("kzgd test server"), std::string::npos) << info.subject;
  EXPECT_FALSE(info.not_after.empty());
  EXPECT_NE((*tls)->current(), nullptr);
}

TEST(TlsContext, BadFilesNameTheirKey) {
  Files f;
  auto s = f.settings;
  s.cert_file = f.dir.write("garbage.pem", "not a certificate\n");
  auto tls = TlsContext::create(s);
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().field, "tls.cert_file");
  EXPECT_NE(tls.error().message.find("garbage.pem"), std::string::npos) << tls.error().message;

  s = f.settings;
  s.key_file = (f.dir.path() / "missing.pem").string();
  tls = TlsContext::create(s);
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().field, "tls.key_file");

  // A key that is not the certificate's.
  s = f.settings;
  s.key_file = f.dir.write("other-key.pem", TestCertificate::self_signed("other").private_key_pem());
  tls = TlsContext::create(s);
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().field, "tls.key_file");
  EXPECT_NE(tls.error().message.find("does not match"), std::string::npos) << tls.error().message;
}

TEST(TlsContext, BadCipherListsAndCaFilesNameTheirKey) {
  Files f;
  auto s = f.settings;
  s.ciphers = "NO-SUCH-CIPHER";
  auto tls = TlsContext::create(s);
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().field, "tls.ciphers");

  s = f.settings;
  s.ciphersuites = "TLS_NO_SUCH_SUITE";
  tls = TlsContext::create(s);
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().field, "tls.ciphersuites");

  s = f.settings;
  s.client_ca_file = f.dir.write("ca.pem", "garbage\n");
  tls = TlsContext::create(s);
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().field, "tls.client_ca_file");
}

TEST(TlsContext, ReloadSwapsTheContextAndAFailedReloadKeepsTheOldOne) {
  Files f;
  auto created = TlsContext::create(f.settings);
  ASSERT_TRUE(created.ok());
  auto& tls = *created.value();
  const auto before = tls.current();

  const auto next = TestCertificate::self_signed("kzgd rotated");
  f.dir.write("cert.pem", next.certificate_pem());
  f.dir.write("key.pem", next.private_key_pem());
  const auto reloaded = tls.reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(reloaded->sha256_fingerprint, next.sha256());
  EXPECT_NE(tls.current(), before);
  EXPECT_EQ(before.use_count(), 1);  // the old context lives on only where a connection still holds it

  f.dir.write("key.pem", "truncated\n");
  const auto failed = tls.reload();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().field, "tls.key_file");
  EXPECT_EQ(tls.certificate().sha256_fingerprint, next.sha256());
}

}  // namespace
}  // namespace kzgd
