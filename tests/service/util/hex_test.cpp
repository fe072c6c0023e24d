#include "engine/common/hex.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace kzgd {
namespace {

TEST(Hex, EncodesLowercaseTwoDigitsAByte) {
  const std::array<std::uint8_t, 4> bytes{0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(kzg::to_hex(bytes), "000fa5ff");
  EXPECT_EQ(kzg::to_hex({}), "");
}

TEST(Hex, DecodesExactlyTheLengthAsked) {
  std::array<std::uint8_t, 2> out{};
  ASSERT_TRUE(kzg::from_hex("a5Ff", out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 2>{0xa5, 0xff}));
  EXPECT_FALSE(kzg::from_hex("a5f", out));     // odd
  EXPECT_FALSE(kzg::from_hex("a5ff00", out));  // too long
  EXPECT_FALSE(kzg::from_hex("a5fg", out));    // not a digit
  EXPECT_FALSE(kzg::from_hex("A5FF", out, kzg::HexCase::lower_only));
  EXPECT_TRUE(kzg::from_hex("a5ff", out, kzg::HexCase::lower_only));
}

}  // namespace
}  // namespace kzgd
