// json_codec: the byte-string list decoder reads any JSON value in place and names the field of each error.
#include "engine/dispatch/json_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kzg::api {
namespace {

using nlohmann::json;

TEST(JsonCodec, BytesListDecodesAndNamesEachItem) {
  const auto ok = bytes_list(json::array({"0x0102", "0x0a0B"}), "evals", 2);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0], (ByteString{0x01, 0x02}));
  EXPECT_EQ((*ok)[1], (ByteString{0x0a, 0x0b}));

  auto bad = bytes_list(json::array({"0x0102", "0x01"}), "evals", 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kzg::ErrorCode::invalid_length);
  EXPECT_EQ(bad.error().field, "evals[1]");
  bad = bytes_list(json::array({"0x01zz"}), "evals", 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kzg::ErrorCode::invalid_hex);
  EXPECT_EQ(bad.error().field, "evals[0]");
  bad = bytes_list(json::object(), "evals", 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kzg::ErrorCode::invalid_type);
  EXPECT_EQ(bad.error().field, "evals");
  bad = bytes_list(json::array({"0x0102", "0x0102", "0x0102"}), "evals", 2, 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kzg::ErrorCode::too_many_items);
  EXPECT_EQ(bad.error().field, "evals");
}

TEST(JsonCodec, OnlyALowercase0xPrefixIsAccepted) {
  // The consensus specs write 0x; "0X" would let two encodings of one input reach a cache or a log differently.
  for (const char* bad : {"0X0102", "0102", "x0102", "00x0102"}) {
    const auto r = bytes_list(json::array({bad}), "evals", 2);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, kzg::ErrorCode::invalid_hex) << bad;
    EXPECT_EQ(r.error().field, "evals[0]") << bad;
  }
  EXPECT_TRUE(bytes_list(json::array({"0x0A0b"}), "evals", 2).ok());  // the digits' case is free
}

TEST(JsonCodec, BytesListFieldKeepsItsErrors) {
  const json in = {{"proofs", {"0x00"}}};
  auto r = bytes_list_field(in, "proofs", 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "proofs[0]");
  r = bytes_list_field(in, "cells", 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kzg::ErrorCode::missing_field);
  EXPECT_EQ(r.error().field, "cells");
}

}  // namespace
}  // namespace kzg::api
