// TlsContext: the server's OpenSSL configuration (certificate chain, private key, protocol versions, ciphers and
// optional client-certificate verification), built from the tls.* keys. The certificate and key are read from
// their files and checked when the context is built, so a bad file stops start-up with an error naming its key.
//
// reload() reads the files again and builds a fresh context; connections accepted afterwards use it, while
// connections already established keep the context they were accepted with (each holds a reference), so a
// certificate rotates without a restart and without disturbing anyone. A reload that fails leaves the current
// context in place.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "engine/common/result.hpp"
#include "service/http/tls_options.hpp"

namespace kzgd {

// What a successful load or reload installed, for the log.
struct TlsCertificateInfo {
  std::string subject;              // the leaf certificate's subject, one line
  std::string not_after;            // its expiry, as OpenSSL prints it
  std::int64_t not_after_unix = 0;  // the same, in seconds since the Unix epoch
  std::string sha256_fingerprint;   // lowercase hex of the DER encoding's SHA-256
};

class TlsContext {
 public:
  // Builds the context from the files named in `settings`; the error's field is the key at fault.
  static kzg::Result<std::unique_ptr<TlsContext>> create(const TlsOptions& settings);

  // Rebuilds from the same keys (the files may have changed); on failure the current context stays.
  kzg::Result<TlsCertificateInfo> reload();

  // The context new connections use. Thread-safe.
  std::shared_ptr<boost::asio::ssl::context> current() const;
  TlsCertificateInfo certificate() const;

 private:
  explicit TlsContext(TlsOptions settings) : settings_(std::move(settings)) {}

  const TlsOptions settings_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  TlsCertificateInfo certificate_;
};

}  // namespace kzgd
