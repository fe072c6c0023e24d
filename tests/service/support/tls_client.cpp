#include "tests/service/support/tls_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace kzgd::testing {

namespace http = boost::beast::http;

TlsClient::TlsClient(std::uint16_t port, TlsClientOptions options) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("TlsClient: cannot connect to port " + std::to_string(port));
  // A broken test fails instead of hanging.
  const timeval timeout{10, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  ctx_ = SSL_CTX_new(TLS_client_method());
  if (options.allow_legacy) {
    SSL_CTX_set_security_level(ctx_, 0);
    SSL_CTX_set_cipher_list(ctx_, "DEFAULT:@SECLEVEL=0");
  }
  if (options.min_version != 0) SSL_CTX_set_min_proto_version(ctx_, options.min_version);
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(ctx_, options.max_version);
  if (!options.cert_file.empty() &&
      (SSL_CTX_use_certificate_chain_file(ctx_, options.cert_file.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(ctx_, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1))
    throw std::runtime_error("TlsClient: cannot load the client certificate");
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
}

TlsClient::~TlsClient() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

void TlsClient::fail(const std::string& what) {
  error_ = what;
  while (const unsigned long code = ERR_get_error()) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    error_ += std::string(": ") + text.data();
  }
}

bool TlsClient::handshake() {
  ERR_clear_error();
  if (SSL_connect(ssl_) == 1) return true;
  fail("handshake failed");
  return false;
}

std::optional<HttpResponse> TlsClient::get(const std::string& target) {
  ERR_clear_error();
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) {
    fail("write failed");
    return std::nullopt;
  }
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  for (;;) {
    while (!pending_.empty()) {
      boost::beast::error_code ec;
      const std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec == http::error::need_more) break;
      if (ec) {
        fail("malformed response: " + ec.message());
        return std::nullopt;
      }
      if (parser.is_done()) return parser.release();
      if (used == 0) break;
    }
    std::array<char, 16384> chunk{};
    const int n = SSL_read(ssl_, chunk.data(), static_cast<int>(chunk.size()));
    if (n <= 0) {
      fail("read failed (SSL error " + std::to_string(SSL_get_error(ssl_, n)) + ")");
      return std::nullopt;
    }
    pending_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

int TlsClient::version() const { return SSL_version(ssl_); }

std::string TlsClient::peer_sha256() const {
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (peer == nullptr) return {};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  X509_digest(peer, EVP_sha256(), digest.data(), &length);
  X509_free(peer);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 15];
  }
  return text;
}

}  // namespace kzgd::testing
