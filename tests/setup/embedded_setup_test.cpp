// The embedded trusted setup is the pinned Ethereum mainnet file, byte for byte.
#include "engine/setup/embedded_setup.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <string>

namespace kzg {
namespace {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr), 1);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char byte[3];
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

TEST(EmbeddedTrustedSetup, MatchesPinnedMainnetHash) {
  EXPECT_EQ(sha256_hex(embedded_trusted_setup_text()), kEmbeddedTrustedSetupSha256);
}

TEST(EmbeddedTrustedSetup, StartsWithPointCounts) {
  const std::string_view text = embedded_trusted_setup_text();
  EXPECT_TRUE(text.starts_with("4096\n65\n")) << text.substr(0, 16);
}

TEST(EmbeddedTrustedSetup, HasOneLinePerPoint) {
  const std::string_view text = embedded_trusted_setup_text();
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 2u + 4096u + 65u + 4096u);
}

}  // namespace
}  // namespace kzg
