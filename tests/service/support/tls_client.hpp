// A blocking HTTPS client for the tests, on OpenSSL directly: one connection, a chosen protocol range, an
// optional client certificate, and the server certificate's fingerprint. It does not verify the server (the
// tests check the fingerprint instead).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "service/http/http_server.hpp"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace kzgd::testing {

struct TlsClientOptions {
  int min_version = 0;  // TLS1_2_VERSION, ...; 0: OpenSSL's default
  int max_version = 0;
  // Allows what OpenSSL refuses by default (TLS 1.1 and its ciphers), so the server is the one refusing.
  bool allow_legacy = false;
  std::string cert_file;  // client certificate (mutual TLS), PEM
  std::string key_file;
};

// Options offering exactly one protocol version.
inline TlsClientOptions only(int version) {
  TlsClientOptions o;
  o.min_version = version;
  o.max_version = version;
  return o;
}

class TlsClient {
 public:
  TlsClient(std::uint16_t port, TlsClientOptions options = {});
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // The handshake; true on success, else error() says why.
  bool handshake();
  // GET on this connection (keep-alive); nothing when the connection fails, and error() says why.
  std::optional<HttpResponse> get(const std::string& target);

  const std::string& error() const { return error_; }
  int version() const;              // the negotiated protocol version (TLS1_3_VERSION, ...)
  std::string peer_sha256() const;  // the server certificate's SHA-256, lowercase hex
  int socket() const { return fd_; }

 private:
  void fail(const std::string& what);

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  std::string error_;
  std::string pending_;  // bytes read past the last response
};

}  // namespace kzgd::testing
