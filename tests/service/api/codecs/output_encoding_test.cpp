#include "service/api/codecs/output_encoding.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

TEST(OutputEncoding, BinaryForms) {
  EXPECT_EQ(binary_output(true), std::string("\x01", 1));
  EXPECT_EQ(binary_output(false), std::string("\x00", 1));
  EXPECT_EQ(binary_output("0x00ff10Ab"), std::string("\x00\xff\x10\xab", 4));
  EXPECT_EQ(binary_output("0x"), std::string());
  EXPECT_FALSE(binary_output("0x0"));
  EXPECT_FALSE(binary_output("0xzz"));
  EXPECT_FALSE(binary_output("abcd"));
  // Lists of byte strings, and pairs of such lists (cells and proofs), as their bytes in order.
  EXPECT_EQ(binary_output(nlohmann::json::array({"0x00", "0x01"})), std::string("\x00\x01", 2));
  EXPECT_EQ(
      binary_output(nlohmann::json::array({nlohmann::json::array({"0xaa", "0xbb"}), nlohmann::json::array({"0xcc"})})),
      std::string("\xaa\xbb\xcc", 3));
  EXPECT_FALSE(binary_output(nlohmann::json::array({"0x00", 1})));
  EXPECT_FALSE(binary_output(nlohmann::json::array({nlohmann::json::array({nlohmann::json::array({"0x00"})})})));
  EXPECT_FALSE(binary_output(nlohmann::json::array({"0x0"})));
  EXPECT_FALSE(binary_output(5));
}

TEST(OutputEncoding, JsonAnswer) {
  const auto r = outcome_response(Outcome{"0xc0", std::nullopt}, false, 11);
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[boost::beast::http::field::content_type], "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body()), (nlohmann::json{{"output", "0xc0"}}));
}

TEST(OutputEncoding, BinaryAnswerOnlyWhenWantedAndPossible) {
  const auto bin = outcome_response(Outcome{true, std::nullopt}, true, 11);
  EXPECT_EQ(bin[boost::beast::http::field::content_type], "application/octet-stream");
  EXPECT_EQ(bin.body(), std::string("\x01", 1));
  const auto list = outcome_response(Outcome{nlohmann::json::array({"0x00"}), std::nullopt}, true, 11);
  EXPECT_EQ(list[boost::beast::http::field::content_type], "application/octet-stream");
  const auto numbers = outcome_response(Outcome{nlohmann::json::array({1, 2}), std::nullopt}, true, 11);
  EXPECT_EQ(numbers[boost::beast::http::field::content_type], "application/json");
}

TEST(OutputEncoding, InputErrorsAre400ResourceExhaustion503) {
  const auto bad =
      outcome_response(Outcome{nullptr, kzg::make_error(kzg::ErrorCode::invalid_blob, "no", "blob")}, true, 11);
  EXPECT_EQ(bad.result_int(), 400u);
  EXPECT_EQ(nlohmann::json::parse(bad.body()),
            (nlohmann::json{{"error", {{"code", "invalid_blob"}, {"message", "no"}, {"field", "blob"}}}}));
  const auto oom = outcome_response(
      Outcome{nullptr, kzg::make_error(kzg::ErrorCode::resource_exhausted, "out of memory")}, false, 11);
  EXPECT_EQ(oom.result_int(), 503u);
  EXPECT_EQ(oom[boost::beast::http::field::retry_after], "1");
  EXPECT_TRUE(nlohmann::json::parse(oom.body())["error"]["field"].is_null());
}

// These four answered 400 while a string decided the status: each is the service's state or fault, not the
// client's mistake.
TEST(OutputEncoding, ServerSideErrorsAreNot400) {
  const auto status = [](kzg::ErrorCode code) {
    return outcome_response(Outcome{nullptr, kzg::make_error(code, "m")}, false, 11).result_int();
  };
  EXPECT_EQ(status(kzg::ErrorCode::internal_error), 500u);          // the coalescer's unanswered request
  EXPECT_EQ(status(kzg::ErrorCode::not_ready), 503u);               // the engine backend before its setup loads
  EXPECT_EQ(status(kzg::ErrorCode::cell_proofs_disabled), 501u);    // a server started without the FK20 tables
  EXPECT_EQ(status(kzg::ErrorCode::unsupported_media_type), 415u);  // no binary form for this operation
  const auto not_ready = outcome_response(Outcome{nullptr, kzg::make_error(kzg::ErrorCode::not_ready, "m")}, false, 11);
  EXPECT_EQ(not_ready[boost::beast::http::field::retry_after], "1");
}

TEST(OutputEncoding, BatchItems) {
  EXPECT_EQ(outcome_json(Outcome{5, std::nullopt}), (nlohmann::json{{"output", 5}}));
  const auto e = outcome_json(Outcome{nullptr, kzg::make_error(kzg::ErrorCode::invalid_input, "y", "z")});
  EXPECT_TRUE(e["output"].is_null());
  EXPECT_EQ(e["error"]["code"], "invalid_input");
}

}  // namespace
}  // namespace kzgd
