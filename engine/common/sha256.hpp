// SHA-256 (OpenSSL EVP), incremental, for the Fiat-Shamir transcripts of the specs.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace kzg {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::span<const std::uint8_t> data);
  Sha256& update(std::string_view data);
  std::array<std::uint8_t, 32> finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace kzg
