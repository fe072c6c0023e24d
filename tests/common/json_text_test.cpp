#include "engine/common/json_text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace kzg {
namespace {

using nlohmann::json;

std::string nlohmann_text(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST(JsonText, WritesWhatDumpWrites) {
  const json values[] = {
      nullptr,
      true,
      false,
      0,
      -17,
      std::uint64_t{18446744073709551615u},
      1.5,
      "",
      "0x00ff",
      "quote \" backslash \\ slash /",
      "control \x01 tab \t newline \n",
      "caf\xc3\xa9 and \xe2\x82\xac",
      "invalid \xff\xfe utf-8",
      "truncated \xe2\x82",
      "0123456789abcdef\"0123456789abcdef",
      json::array(),
      json::object(),
      json::array({1, "two", json::array({nullptr, false}), json::object({{"b", 1}, {"a", "x"}})}),
      json::object({{"output", json::array({"0xabcdef", "0x0123"})}, {"id", 7}, {"k\"ey", "v"}}),
  };
  for (const json& v : values) EXPECT_EQ(json_text(v), nlohmann_text(v)) << nlohmann_text(v);
}

TEST(JsonText, WritesRandomStringsAsDumpDoes) {
  // Every byte value at every position of the 8-byte words the fast scan reads, and across word boundaries.
  std::mt19937_64 rng(7594);
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 40, 'a');
    for (char& c : s) {
      const auto pick = rng() % 8;
      c = pick == 0 ? static_cast<char>(rng() % 256) : static_cast<char>('0' + rng() % 10);
    }
    const json v = s;
    ASSERT_EQ(json_text(v), nlohmann_text(v)) << nlohmann_text(v);
  }
}

TEST(JsonText, AppendsToWhatIsThere) {
  std::string out = "{\"output\":";
  append_json_text(out, json("0x01"));
  out += '}';
  EXPECT_EQ(out, "{\"output\":\"0x01\"}");
}

TEST(JsonText, ParsesWhatNlohmannParses) {
  const std::string blob = "0x" + std::string(2 * 131072, 'a');
  const std::string texts[] = {
      R"({"op":"verify_kzg_proof","input":{"z":"0x01","n":[1,-2,3.5,true,null]}})",
      "{\"blob\":\"" + blob + "\"}",
      R"("caf\u00e9 \n")",
      "[]",
      "18446744073709551615",
  };
  for (const std::string& t : texts) {
    const auto parsed = parse_json_text(t);
    ASSERT_TRUE(parsed) << t;
    EXPECT_EQ(*parsed, json::parse(t)) << t;
  }
}

TEST(JsonText, ReadsIntegersBeyond64Bits) {
  const auto parsed = parse_json_text(R"({"n":123456789012345678901234567890})");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE((*parsed)["n"].is_number_float());
}

TEST(JsonText, RefusesMalformedRepeatedAndDeepText) {
  for (const std::string t : {"{", "{\"a\":}", "[1,]", "\"\xff\"", "nul", "{\"a\":1} x"}) {
    const auto parsed = parse_json_text(t);
    ASSERT_FALSE(parsed) << t;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_json) << t;
    EXPECT_EQ(parsed.error().field, "body");
  }
  const auto repeated = parse_json_text(R"({"a":1,"b":{"c":1,"c":2}})");
  ASSERT_FALSE(repeated);
  EXPECT_NE(repeated.error().message.find("\"c\" appears twice"), std::string::npos) << repeated.error().message;

  const std::string deep = std::string(65, '[') + std::string(65, ']');
  const auto too_deep = parse_json_text(deep);
  ASSERT_FALSE(too_deep);
  EXPECT_NE(too_deep.error().message.find("deeper than 64"), std::string::npos) << too_deep.error().message;
  EXPECT_TRUE(parse_json_text(std::string(64, '[') + std::string(64, ']')));
}

TEST(JsonText, CountsABatchBeforeBuildingIt) {
  const auto refused = parse_json_text(R"({"requests":[1,2,3]})", {.max_requests = 2});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::batch_too_large);
  EXPECT_EQ(refused.error().field, "requests");
  EXPECT_TRUE(parse_json_text(R"({"requests":[1,2]})", {.max_requests = 2}));
}

TEST(JsonText, ReleasesAParserGrownByALargeDocument) {
  ASSERT_TRUE(parse_json_text("\"" + std::string(std::size_t{3} << 20, 'a') + "\""));
  EXPECT_EQ(json_parser_retained_bytes(), 0u);
  ASSERT_TRUE(parse_json_text("[1]"));
  EXPECT_GT(json_parser_retained_bytes(), 0u);
  EXPECT_LE(json_parser_retained_bytes(), std::size_t{2} << 20);
}

}  // namespace
}  // namespace kzg
