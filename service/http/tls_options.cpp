#include "service/http/tls_options.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace kzgd {
namespace {

// An OpenSSL cipher list (TLS 1.2) or cipher-suite list (TLS 1.3) must select at least one cipher this OpenSSL
// supports.
std::optional<std::string> check_ciphers(const std::string& text, bool tls13) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  const bool ok =
      ctx != nullptr && !text.empty() &&
      (tls13 ? SSL_CTX_set_ciphersuites(ctx, text.c_str()) : SSL_CTX_set_cipher_list(ctx, text.c_str())) == 1;
  SSL_CTX_free(ctx);
  ERR_clear_error();
  if (ok) return std::nullopt;
  return std::string(tls13 ? "expected TLS 1.3 cipher suites (e.g. TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384)"
                           : "expected an OpenSSL cipher list for TLS 1.2 (e.g. ECDHE-ECDSA-AES128-GCM-SHA256)") +
         " naming at least one cipher this OpenSSL supports, got " + config::quoted(text);
}

}  // namespace

void TlsOptions::declare(config::Section<TlsOptions>& s) {
  s.boolean("enabled", &TlsOptions::enabled);
  s.file("cert_file", &TlsOptions::cert_file);
  s.file("key_file", &TlsOptions::key_file);
  s.choice<TlsVersion>("min_version", &TlsOptions::min_version, {{"1.2", TlsVersion::v1_2}, {"1.3", TlsVersion::v1_3}});
  s.checked_text("ciphers", &TlsOptions::ciphers, [](const std::string& t) { return check_ciphers(t, false); });
  s.checked_text("ciphersuites", &TlsOptions::ciphersuites,
                 [](const std::string& t) { return check_ciphers(t, true); });
  s.file("client_ca_file", &TlsOptions::client_ca_file);
  s.boolean("require_client_cert", &TlsOptions::require_client_cert);
  s.seconds("handshake_timeout_seconds", &TlsOptions::handshake_timeout_seconds, 0.1, 3600);
  s.rule([](TlsOptions& o) -> std::optional<kzg::Error> {
    const auto missing = [](const std::string& key, const std::string& because) {
      return kzg::make_error(kzg::ErrorCode::invalid_config, key + ": required when " + because, key);
    };
    if (o.enabled && o.cert_file.empty()) return missing("tls.cert_file", "tls.enabled is true");
    if (o.enabled && o.key_file.empty()) return missing("tls.key_file", "tls.enabled is true");
    if (o.require_client_cert && o.client_ca_file.empty())
      return missing("tls.client_ca_file", "tls.require_client_cert is true");
    return std::nullopt;
  });
}

std::string to_string(TlsVersion version) { return version == TlsVersion::v1_3 ? "1.3" : "1.2"; }

}  // namespace kzgd
