#include "tool/input_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/common/bytes.hpp"
#include "engine/common/hex.hpp"

namespace kzg::tool {
namespace {

std::string write_temp(const std::string& name, const std::string& data) {
  const auto path = std::filesystem::temp_directory_path() / ("kzg_input_files_test_" + name);
  std::ofstream(path, std::ios::binary) << data;
  return path.string();
}

TEST(ReadBlobFile, AcceptsRawAndHex) {
  std::string raw(kBytesPerBlob, '\0');
  raw[5] = 0x2a;
  auto a = read_blob_file(write_temp("raw", raw));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)[5], 0x2a);
  const std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
  auto b = read_blob_file(write_temp("hex", "  " + hex_encode(bytes) + "\n"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, bytes);
}

TEST(ReadBlobFile, RejectsWrongSizesAndMissingFiles) {
  auto a = read_blob_file(write_temp("short", std::string(100, 'a')));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().field, "blob");
  EXPECT_NE(a.error().message.find("got 100 bytes"), std::string::npos);
  EXPECT_FALSE(read_blob_file("/nonexistent/blob.bin").ok());
  EXPECT_FALSE(read_blob_file(write_temp("huge", std::string(4 * kBytesPerBlob + 10, '0'))).ok());
}

TEST(ParseHexArgument, ChecksLengthAndDigits) {
  EXPECT_TRUE(parse_hex_argument("0x" + std::string(96, 'a'), 48, "--proof").ok());
  auto bad = parse_hex_argument("0x" + std::string(95, 'a'), 48, "--proof");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "--proof");
  EXPECT_FALSE(parse_hex_argument("0x" + std::string(96, 'g'), 48, "--proof").ok());
}

}  // namespace
}  // namespace kzg::tool
