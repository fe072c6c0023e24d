// HTTPS options (tls.*, docs/security.md). Off by default: plain HTTP. The cipher lists are checked by OpenSSL
// itself when the configuration loads.
#pragma once

#include <string>

#include "service/config/section.hpp"

namespace kzgd {

enum class TlsVersion { v1_2, v1_3 };

struct TlsOptions {
  bool enabled = false;
  std::string cert_file;  // PEM certificate chain, leaf first
  std::string key_file;   // PEM private key of the leaf
  TlsVersion min_version = TlsVersion::v1_2;
  // TLS 1.2 ciphers (OpenSSL cipher list): ECDHE key exchange with AEAD ciphers only.
  std::string ciphers =
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
      "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
  // TLS 1.3 cipher suites.
  std::string ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
  std::string client_ca_file;        // PEM CA certificates that client certificates are verified against
  bool require_client_cert = false;  // mutual TLS: a connection without a valid client certificate is refused
  double handshake_timeout_seconds = 10;

  static void declare(config::Section<TlsOptions>& s);
};

std::string to_string(TlsVersion version);  // "1.2", "1.3"

}  // namespace kzgd
