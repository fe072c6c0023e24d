#include "service/http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <cstdio>
#include <ctime>

#include "engine/common/hex.hpp"

namespace kzgd {
namespace {

// The OpenSSL errors queued by the failed call, oldest first, as one line; the queue is left empty.
std::string openssl_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    text += (text.empty() ? "" : "; ") + std::string(buffer.data());
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

kzg::Error tls_error(const std::string& key, const std::string& message) {
  ERR_clear_error();
  return kzg::make_error(kzg::ErrorCode::invalid_tls_config, key + ": " + message, key);
}

std::string x509_name(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(size > 0 ? size : 0));
  BIO_free(bio);
  return text;
}

TlsCertificateInfo describe(const X509* certificate) {
  TlsCertificateInfo info;
  info.subject = x509_name(X509_get_subject_name(certificate));
  BIO* bio = BIO_new(BIO_s_mem());
  ASN1_TIME_print(bio, X509_get0_notAfter(certificate));
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  info.not_after.assign(data, static_cast<std::size_t>(size > 0 ? size : 0));
  BIO_free(bio);
  std::tm expiry{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &expiry) == 1) info.not_after_unix = timegm(&expiry);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest.data(), &length) == 1) {
    info.sha256_fingerprint = kzg::to_hex(std::span<const std::uint8_t>(digest.data(), length));
  }
  return info;
}

// A file that cannot be opened is reported as such, before OpenSSL's less helpful parse errors.
std::optional<kzg::Error> check_readable(const std::string& key, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return tls_error(key, "cannot read \"" + path + "\"");
  std::fclose(f);
  return std::nullopt;
}

struct Built {
  std::shared_ptr<boost::asio::ssl::context> context;
  TlsCertificateInfo certificate;
};

kzg::Result<Built> build(const TlsOptions& s) {
  ERR_clear_error();
  if (s.cert_file.empty()) return tls_error("tls.cert_file", "required when tls.enabled is true");
  if (s.key_file.empty()) return tls_error("tls.key_file", "required when tls.enabled is true");
  if (auto e = check_readable("tls.cert_file", s.cert_file)) return *e;
  if (auto e = check_readable("tls.key_file", s.key_file)) return *e;

  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) return tls_error("tls", "cannot create an OpenSSL context: " + openssl_errors());
  // Owned by the Asio context from here on (it frees the SSL_CTX).
  auto context = std::make_shared<boost::asio::ssl::context>(raw);
  SSL_CTX* ctx = context->native_handle();

  const int min_version = s.min_version == TlsVersion::v1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1)
    return tls_error("tls.min_version", "not supported by this OpenSSL: " + openssl_errors());
  // No renegotiation (a denial-of-service lever), no compression (CRIME); for TLS 1.2 the server's cipher order
  // wins. TLS 1.3 is negotiated whenever the client offers it.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, s.ciphers.c_str()) != 1)
    return tls_error("tls.ciphers", "no usable TLS 1.2 cipher in \"" + s.ciphers + "\": " + openssl_errors());
  if (SSL_CTX_set_ciphersuites(ctx, s.ciphersuites.c_str()) != 1)
    return tls_error("tls.ciphersuites",
                     "no usable TLS 1.3 cipher suite in \"" + s.ciphersuites + "\": " + openssl_errors());

  if (SSL_CTX_use_certificate_chain_file(ctx, s.cert_file.c_str()) != 1)
    return tls_error("tls.cert_file",
                     "cannot load a PEM certificate chain from \"" + s.cert_file + "\": " + openssl_errors());
  if (SSL_CTX_use_PrivateKey_file(ctx, s.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
    if (!mismatch)
      return tls_error("tls.key_file",
                       "cannot load a PEM private key from \"" + s.key_file + "\": " + openssl_errors());
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return tls_error("tls.key_file", "the private key in \"" + s.key_file + "\" does not match the certificate in \"" +
                                         s.cert_file + "\"");

  if (!s.client_ca_file.empty()) {
    if (auto e = check_readable("tls.client_ca_file", s.client_ca_file)) return *e;
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(s.client_ca_file.c_str());
    if (names == nullptr || SSL_CTX_load_verify_locations(ctx, s.client_ca_file.c_str(), nullptr) != 1) {
      if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
      return tls_error("tls.client_ca_file",
                       "cannot load PEM CA certificates from \"" + s.client_ca_file + "\": " + openssl_errors());
    }
    SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
    // With a CA file, a client certificate is verified when given; with require_client_cert, it must be given.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | (s.require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), nullptr);
  } else if (s.require_client_cert) {
    return tls_error("tls.client_ca_file", "required when tls.require_client_cert is true");
  }
  // Client certificates are verified against a different trust root per server; keep sessions apart.
  static constexpr unsigned char kSessionContext[] = "kzgd";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);

  const X509* leaf = SSL_CTX_get0_certificate(ctx);
  if (leaf == nullptr) return tls_error("tls.cert_file", "no certificate in \"" + s.cert_file + "\"");
  return Built{std::move(context), describe(leaf)};
}

}  // namespace

kzg::Result<std::unique_ptr<TlsContext>> TlsContext::create(const TlsOptions& settings) {
  auto built = build(settings);
  if (!built) return built.error();
  std::unique_ptr<TlsContext> tls(new TlsContext(settings));
  tls->context_ = std::move(built.value().context);
  tls->certificate_ = std::move(built.value().certificate);
  return tls;
}

kzg::Result<TlsCertificateInfo> TlsContext::reload() {
  auto built = build(settings_);
  if (!built) return built.error();
  std::lock_guard lock(mutex_);
  context_ = std::move(built.value().context);
  certificate_ = std::move(built.value().certificate);
  return certificate_;
}

std::shared_ptr<boost::asio::ssl::context> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

TlsCertificateInfo TlsContext::certificate() const {
  std::lock_guard lock(mutex_);
  return certificate_;
}

}  // namespace kzgd
