#include "service/api/codecs/json_body.hpp"

#include <gtest/gtest.h>

#include <random>

namespace kzgd {
namespace {

using nlohmann::json;

TEST(JsonBody, ParsesWhatNlohmannParses) {
  for (const std::string text :
       {R"({"blob": "0x00ff", "n": [1, -2, 3.5, 1e3, -0.25E-2, 18446744073709551615, -9223372036854775808]})",
        R"([true, false, null, {}, [], "", {"a": {"b": [[]]}}])", " \t\r\n{ \"k\" : \"v\" } \n",
        R"("esc \" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac \ud83d\ude00")",
        "\"raw utf-8: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "123456789012345678901234567890", "0", "-0",
        "[0.5]"}) {
    const auto mine = parse_json_body(text);
    ASSERT_TRUE(mine.ok()) << text << ": " << mine.error().message;
    EXPECT_EQ(*mine, json::parse(text)) << text;
    EXPECT_EQ(mine->dump(), json::parse(text).dump()) << text;  // same number types too
  }
}

TEST(JsonBody, ARepeatedKeyIsRefused) {
  // Both paths: simdjson's, and nlohmann's (taken for integers beyond 64 bits).
  for (const std::string& text :
       {std::string(R"({"dup": 1, "dup": 2})"), std::string(R"({"a": {"x": [1, {"k": 1, "k": 1}]}})"),
        std::string(R"({"n": 123456789012345678901234567890, "dup": 1, "dup": 2})"),
        std::string(R"([{"n": 123456789012345678901234567890}, {"k": 1, "k": 2}])")}) {
    const auto r = parse_json_body(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, kzg::ErrorCode::invalid_json) << text;
    EXPECT_EQ(r.error().field, "body") << text;
    EXPECT_NE(r.error().message.find("appears twice"), std::string::npos) << r.error().message;
  }
  // The same key in sibling objects is no repetition.
  for (const std::string& text :
       {std::string(R"([{"k": 1}, {"k": 2}])"), std::string(R"({"a": {"k": 1}, "b": {"k": 2}, "k": 3})"),
        std::string(R"({"n": 123456789012345678901234567890, "a": {"n": 1}})")}) {
    const auto r = parse_json_body(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    EXPECT_EQ(*r, json::parse(text));
  }
}

TEST(JsonBody, ALargeBodyDoesNotPinTheParsersBuffers) {
  ASSERT_TRUE(parse_json_body(R"({"small": [1, 2, 3]})").ok());
  const std::size_t small = json_parser_retained_bytes();
  EXPECT_GT(small, 0u);
  EXPECT_LE(small, std::size_t{2} << 20);
  // An 8 MiB body grows the parser to hold it; afterwards it is released, not kept for the next request.
  const std::string big = "{\"blob\": \"0x" + std::string(8u << 20, 'a') + "\"}";
  const auto parsed = parse_json_body(big);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("blob").get_ref<const std::string&>().size(), (8u << 20) + 2);
  EXPECT_LE(json_parser_retained_bytes(), std::size_t{2} << 20);
  // And the next small body parses as before.
  ASSERT_TRUE(parse_json_body(R"({"k": "v"})").ok());
  EXPECT_LE(json_parser_retained_bytes(), std::size_t{2} << 20);
}

TEST(JsonBody, ABatchIsCountedBeforeItsItemsAreBuilt) {
  std::string body = R"({"requests": [)";
  for (int i = 0; i < 100000; ++i) body += i == 0 ? "{}" : ",{}";
  body += "]}";
  const auto refused = parse_json_body(body, 64);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, kzg::ErrorCode::batch_too_large);
  EXPECT_EQ(refused.error().field, "requests");
  EXPECT_NE(refused.error().message.find("100000 requests"), std::string::npos) << refused.error().message;
  // Within the limit, or without one, it parses.
  EXPECT_TRUE(parse_json_body(R"({"requests": [{}, {}]})", 2).ok());
  EXPECT_TRUE(parse_json_body(body).ok());
}

TEST(JsonBody, LongStringsArrive) {
  const std::string hex = "0x" + std::string(262144, 'a');
  const auto j = parse_json_body("{\"blob\":\"" + hex + "\"}");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["blob"], hex);
}

TEST(JsonBody, RefusesWhatIsNotJson) {
  for (const std::string text : {"",
                                 " ",
                                 "{",
                                 "}",
                                 "[1,]",
                                 "[1 2]",
                                 "{\"a\" 1}",
                                 "{\"a\":}",
                                 "{a:1}",
                                 "{\"a\":1,}",
                                 "tru",
                                 "nul",
                                 "01",
                                 "1.",
                                 ".5",
                                 "-",
                                 "1e",
                                 "+1",
                                 "\"unterminated",
                                 "\"bad \\x escape\"",
                                 "\"\\u12\"",
                                 "\"\\ud800\"",
                                 "\"\\udc00\"",
                                 "\"tab\tinside\"",
                                 "\"\xff\"",
                                 "\"\xc0\xaf\"",
                                 "\"\xed\xa0\x80\"",
                                 "\"\xe2\x82\"",
                                 "1e999",
                                 "[1] 2",
                                 "{\"a\":1}}",
                                 "NaN",
                                 "[Infinity]"}) {
    const auto r = parse_json_body(text);
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, kzg::ErrorCode::invalid_json);
      EXPECT_EQ(r.error().field, "body");
      EXPECT_EQ(r.error().message.rfind("the body is not valid JSON: ", 0), 0u) << r.error().message;
    }
  }
}

TEST(JsonBody, IntegersBeyond64BitsAreNumbers) {
  // JSON has no integer size limit; nlohmann reads such numbers as doubles, and so do we.
  const auto r = parse_json_body("[123456789012345678901234567890, -99999999999999999999]");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ((*r)[0].get<double>(), 1.2345678901234568e29);
  EXPECT_DOUBLE_EQ((*r)[1].get<double>(), -1e20);
}

TEST(JsonBody, BoundsTheNesting) {
  EXPECT_TRUE(parse_json_body(std::string(64, '[') + std::string(64, ']')).ok());
  const auto deep = parse_json_body(std::string(65, '[') + std::string(65, ']'));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message.find("nesting deeper than 64"), std::string::npos) << deep.error().message;
  EXPECT_FALSE(parse_json_body(std::string(100000, '[')).ok());
  EXPECT_FALSE(parse_json_body(std::string(100000, '[') + std::string(100000, ']')).ok());
}

json random_value(std::mt19937& rng, int depth) {
  switch (rng() % (depth > 4 ? 4 : 6)) {
    case 0:
      return static_cast<std::int64_t>(rng()) - (1ll << 31);
    case 1:
      return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 2: {
      static const std::string specials = "\xc3\xa9\n\"\\";
      std::vector<char> chars;
      for (unsigned i = rng() % 12; i > 0; --i)
        chars.push_back(static_cast<char>(rng() % 2 ? 'a' + rng() % 26 : 0x20 + rng() % 0x5f));
      if (rng() % 4 == 0) chars.insert(chars.end(), specials.begin(), specials.end());
      return std::string(chars.begin(), chars.end());
    }
    case 3:
      return rng() % 3 == 0 ? json(nullptr) : json(rng() % 2 == 0);
    case 4: {
      json a = json::array();
      for (unsigned i = rng() % 4; i > 0; --i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (unsigned i = rng() % 4; i > 0; --i)
        o[std::string{'k', static_cast<char>('0' + rng() % 10)}] = random_value(rng, depth + 1);
      return o;
    }
  }
}

// Random documents, whole and with one byte changed, against nlohmann's parser.
TEST(JsonBody, AgreesWithNlohmannOnRandomDocuments) {
  std::mt19937 rng(1234);
  const std::string alphabet = "{}[],:\"\\ 0123456789.eE-+tfnul\x7f\x01\xc3";
  for (int i = 0; i < 3000; ++i) {
    std::string text = random_value(rng, 0).dump(rng() % 2 ? -1 : 1);
    if (i % 2 == 1 && !text.empty()) text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
    const auto mine = parse_json_body(text);
    json theirs;
    bool theirs_ok = true;
    try {
      theirs = json::parse(text);
    } catch (const json::exception&) {
      theirs_ok = false;
    }
    ASSERT_EQ(mine.ok(), theirs_ok) << text;
    if (theirs_ok) {
      ASSERT_EQ(*mine, theirs) << text;
    }
  }
}

}  // namespace
}  // namespace kzgd
