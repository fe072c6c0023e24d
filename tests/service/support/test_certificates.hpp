// Throwaway keys and certificates for the TLS tests, made with OpenSSL at test time (no private key is committed),
// and a temporary directory to write them to.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

namespace kzgd::testing {

class TestCertificate {
 public:
  // A self-signed certificate with a fresh P-256 key, valid from an hour ago for `valid_seconds`; `ca` makes it
  // a CA that can issue others.
  static TestCertificate self_signed(const std::string& common_name, bool ca = false, long valid_seconds = 24 * 3600);
  // A certificate for `common_name` issued (signed) by this one; `client` marks it for client authentication.
  TestCertificate issue(const std::string& common_name, bool client) const;

  std::string certificate_pem() const;
  std::string private_key_pem() const;
  std::string sha256() const;  // lowercase hex of the DER encoding's SHA-256
  std::int64_t not_after_unix() const;

 private:
  std::shared_ptr<X509> certificate_;
  std::shared_ptr<EVP_PKEY> key_;
};

// A fresh directory under the system's temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes (or replaces) a file in the directory; its path.
  std::string write(const std::string& name, const std::string& contents) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kzgd::testing
