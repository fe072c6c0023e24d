#include "tests/service/support/test_certificates.hpp"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace kzgd::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

void add_extension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(extension != nullptr, value);
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return text;
}

long next_serial() {
  static std::atomic<long> serial{1};
  return serial++;
}

}  // namespace

struct CertificateParts {
  std::shared_ptr<X509> certificate;
  std::shared_ptr<EVP_PKEY> key;
};

static CertificateParts make_certificate(const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                                         bool client, long valid_seconds = 24 * 3600) {
  std::shared_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(key != nullptr, "EVP_EC_gen");
  std::shared_ptr<X509> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), next_serial());
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), valid_seconds);
  X509_set_pubkey(x.get(), key.get());
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer != nullptr ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(signer));
  if (ca) {
    add_extension(x.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  } else {
    add_extension(x.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(x.get(), signer, NID_key_usage, "critical,digitalSignature");
    add_extension(x.get(), signer, NID_ext_key_usage, client ? "clientAuth" : "serverAuth");
    if (!client) add_extension(x.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  check(X509_sign(x.get(), issuer_key != nullptr ? issuer_key : key.get(), EVP_sha256()) > 0, "X509_sign");
  return {std::move(x), std::move(key)};
}

TestCertificate TestCertificate::self_signed(const std::string& common_name, bool ca, long valid_seconds) {
  auto parts = make_certificate(common_name, nullptr, nullptr, ca, false, valid_seconds);
  TestCertificate c;
  c.certificate_ = std::move(parts.certificate);
  c.key_ = std::move(parts.key);
  return c;
}

TestCertificate TestCertificate::issue(const std::string& common_name, bool client) const {
  auto parts = make_certificate(common_name, certificate_.get(), key_.get(), false, client);
  TestCertificate c;
  c.certificate_ = std::move(parts.certificate);
  c.key_ = std::move(parts.key);
  return c;
}

std::int64_t TestCertificate::not_after_unix() const {
  std::tm t{};
  check(ASN1_TIME_to_tm(X509_get0_notAfter(certificate_.get()), &t) == 1, "ASN1_TIME_to_tm");
  return timegm(&t);
}

std::string TestCertificate::certificate_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, certificate_.get());
  return bio_text(bio);
}

std::string TestCertificate::private_key_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio);
}

std::string TestCertificate::sha256() const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  X509_digest(certificate_.get(), EVP_sha256(), digest.data(), &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 15];
  }
  return text;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kzgd-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& contents) const {
  const auto file = path_ / name;
  // Written to a new file and renamed over the old one, as a certificate rotation would.
  const auto staging = path_ / (name + ".new");
  {
    std::ofstream out(staging, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out) throw std::runtime_error("cannot write " + staging.string());
  }
  std::filesystem::rename(staging, file);
  return file.string();
}

}  // namespace kzgd::testing
