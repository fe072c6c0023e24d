#include "service/cache/cache_codec.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "engine/common/hex.hpp"

namespace kzgd {
namespace {

std::vector<std::uint8_t> blob_bytes(std::uint8_t seed) {
  std::vector<std::uint8_t> b(131072);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i % 32 == 0 ? 0 : (i * 7 + seed));
  return b;
}

const std::vector<std::uint8_t> kSetup(32, 0xab);

TEST(CacheKey, JsonAndBinaryFormsOfOneInputShareAKey) {
  const auto blob = blob_bytes(1);
  const nlohmann::json json = {{"blob", kzg::hex_encode(blob)}};
  BinaryInput binary;
  binary.fields.emplace_back("blob", blob);
  const auto from_json = cache_key("compute_cells", OperationInput{&json, nullptr}, kSetup);
  const auto from_binary = cache_key("compute_cells", OperationInput{nullptr, &binary}, kSetup);
  ASSERT_TRUE(from_json);
  ASSERT_TRUE(from_binary);
  EXPECT_EQ(*from_json, *from_binary);
}

TEST(CacheKey, OperationSetupAndInputAllChangeTheKey) {
  const nlohmann::json a = {{"blob", kzg::hex_encode(blob_bytes(1))}};
  const nlohmann::json b = {{"blob", kzg::hex_encode(blob_bytes(2))}};
  const auto base = cache_key("compute_cells", {&a, nullptr}, kSetup);
  ASSERT_TRUE(base);
  EXPECT_NE(*base, *cache_key("compute_cells", {&b, nullptr}, kSetup));
  EXPECT_NE(*base, *cache_key("compute_cells_and_kzg_proofs", {&a, nullptr}, kSetup));
  const std::vector<std::uint8_t> other_setup(32, 0xcd);
  EXPECT_NE(*base, *cache_key("compute_cells", {&a, nullptr}, other_setup));
}

TEST(CacheKey, InputsThatDoNotDecodeAndUncacheableOperationsHaveNoKey) {
  const nlohmann::json short_blob = {{"blob", "0x00"}};
  const nlohmann::json missing = nlohmann::json::object();
  const nlohmann::json not_hex = {{"blob", std::string(2 + 2 * 131072, 'z')}};
  EXPECT_FALSE(cache_key("compute_cells", {&short_blob, nullptr}, kSetup));
  EXPECT_FALSE(cache_key("compute_cells", {&missing, nullptr}, kSetup));
  EXPECT_FALSE(cache_key("compute_cells", {&not_hex, nullptr}, kSetup));
  const nlohmann::json ok = {{"blob", kzg::hex_encode(blob_bytes(1))}};
  EXPECT_FALSE(cache_key("verify_blob_kzg_proof", {&ok, nullptr}, kSetup));
  EXPECT_FALSE(cache_key("compute_cells", {&ok, nullptr}, {}));  // no setup fingerprint: not ready
}

TEST(CacheKey, RecoverKeysOnIndicesAndCells) {
  const std::string cell = "0x" + std::string(2 * 2048, '1');
  const nlohmann::json a = {{"cell_indices", {0, 1}}, {"cells", {cell, cell}}};
  const nlohmann::json b = {{"cell_indices", {0, 2}}, {"cells", {cell, cell}}};
  const nlohmann::json bad = {{"cell_indices", {0, -1}}, {"cells", {cell, cell}}};
  const auto ka = cache_key("recover_cells_and_kzg_proofs", {&a, nullptr}, kSetup);
  const auto kb = cache_key("recover_cells_and_kzg_proofs", {&b, nullptr}, kSetup);
  ASSERT_TRUE(ka);
  ASSERT_TRUE(kb);
  EXPECT_NE(*ka, *kb);
  EXPECT_FALSE(cache_key("recover_cells_and_kzg_proofs", {&bad, nullptr}, kSetup));
}

TEST(OutputCodec, RoundTripsTheEngineShapesAtHalfTheHexSize) {
  const std::string proof = kzg::hex_encode(std::vector<std::uint8_t>(48, 0x11));
  const std::string cell = kzg::hex_encode(std::vector<std::uint8_t>(2048, 0x22));
  const nlohmann::json cells_and_proofs =
      nlohmann::json::array({nlohmann::json::array({cell, cell}), nlohmann::json::array({proof, proof})});
  for (const nlohmann::json& v :
       {nlohmann::json(proof), nlohmann::json(true), nlohmann::json(false),
        nlohmann::json{proof, kzg::hex_encode(std::vector<std::uint8_t>(32, 3))}, cells_and_proofs}) {
    const auto bytes = encode_output(v);
    ASSERT_TRUE(bytes) << v.dump();
    const auto back = decode_output(*bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, v);
  }
  EXPECT_LT(encode_output(cells_and_proofs)->size(), cells_and_proofs.dump().size() / 2 + 64);
  EXPECT_FALSE(encode_output(nlohmann::json(42)));
  EXPECT_FALSE(encode_output(nlohmann::json("not hex")));
  EXPECT_FALSE(encode_output(nlohmann::json::object()));
}

TEST(OutputCodec, HostileBytesAreRefusedWithoutLargeAllocations) {
  EXPECT_FALSE(decode_output(""));
  EXPECT_FALSE(decode_output(std::string("\x07", 1)));
  EXPECT_FALSE(decode_output(std::string("\x02\xff\xff\xff\xff", 5)));      // bytes longer than what follows
  EXPECT_FALSE(decode_output(std::string("\x03\xff\xff\xff\xff\x01", 6)));  // a list claiming 4 billion items
  EXPECT_FALSE(decode_output(std::string("\x01\x01", 2)));                  // trailing bytes
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += std::string("\x03\x00\x00\x00\x01", 5);
  deep += '\x01';
  EXPECT_FALSE(decode_output(deep));  // nesting beyond the engine's shapes
}

TEST(SealedEntry, OpensOnlyUnderItsKeyAndMac) {
  const std::vector<std::uint8_t> mac_key(32, 0x5a);
  const std::string payload = *encode_output(nlohmann::json(kzg::hex_encode(std::vector<std::uint8_t>(48, 9))));
  const std::string value = seal_entry(mac_key, "kzgd:c:aa", payload);
  std::string_view out;
  ASSERT_EQ(open_entry(mac_key, "kzgd:c:aa", value, out), SealCheck::ok);
  EXPECT_EQ(out, payload);

  std::string flipped = value;
  flipped.back() = static_cast<char>(flipped.back() ^ 1);
  EXPECT_EQ(open_entry(mac_key, "kzgd:c:aa", flipped, out), SealCheck::mac);
  EXPECT_EQ(open_entry(mac_key, "kzgd:c:bb", value, out), SealCheck::mac);  // copied under another key
  EXPECT_EQ(open_entry(mac_key, "kzgd:c:aa", value.substr(0, value.size() - 1), out), SealCheck::mac);
  EXPECT_EQ(open_entry(mac_key, "kzgd:c:aa", value.substr(0, 20), out), SealCheck::truncated);
  EXPECT_EQ(open_entry(mac_key, "kzgd:c:aa", "", out), SealCheck::truncated);
  EXPECT_EQ(open_entry(mac_key, "kzgd:c:aa", "something else entirely, long enough to hold a MAC", out),
            SealCheck::format);
  const std::vector<std::uint8_t> other_key(32, 0x5b);
  EXPECT_EQ(open_entry(other_key, "kzgd:c:aa", value, out), SealCheck::mac);
}

}  // namespace
}  // namespace kzgd
