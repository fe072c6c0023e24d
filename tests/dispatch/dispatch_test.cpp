// dispatch: inputs that must be refused with an error naming the field, never a crash (found by fuzzing or by
// reviewing what the request fuzzer reaches).
#include "engine/dispatch/dispatch.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/spec_vectors.hpp"

namespace kzg::api {
namespace {

using nlohmann::json;

json nested_arrays(std::size_t depth) { return json::parse(std::string(depth, '[') + std::string(depth, ']')); }

json challenge_input(json cosets_evals) {
  const std::string point =
      "0xc00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
  return {{"commitments", {point}},
          {"commitment_indices", {0}},
          {"cell_indices", {0}},
          {"cosets_evals", std::move(cosets_evals)},
          {"proofs", {point}}};
}

// cosets_evals items were copied before decoding; a copy recurses once per nesting level, so a deeply nested
// item in a 16 MiB body overflowed the worker's stack. They are read in place now.
TEST(Dispatch, DeeplyNestedCosetsEvalsItemIsRefused) {
  const json input = challenge_input(json::array({nested_arrays(1'000'000)}));
  const Outcome o = dispatch(test::mainnet_settings(), "compute_verify_cell_kzg_proof_batch_challenge", input);
  ASSERT_TRUE(o.error.has_value());
  EXPECT_TRUE(o.output.is_null());
  EXPECT_EQ(o.error->code, kzg::ErrorCode::invalid_type);
  EXPECT_EQ(o.error->field, "cosets_evals[0][0]");
}

TEST(Dispatch, CosetsEvalsErrorsNameTheItem) {
  const auto s = [](json evals) {
    return dispatch(test::mainnet_settings(), "compute_verify_cell_kzg_proof_batch_challenge",
                    challenge_input(std::move(evals)));
  };
  Outcome o = s(json::array({"0x12"}));
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->code, kzg::ErrorCode::invalid_type);
  EXPECT_EQ(o.error->field, "cosets_evals[0]");
  o = s(json::array({json::array(), json::array({"0x12"})}));
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->code, kzg::ErrorCode::invalid_length);
  EXPECT_EQ(o.error->field, "cosets_evals[1][0]");
  o = s(json::array({json::array({json(1)})}));
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->code, kzg::ErrorCode::invalid_type);
  EXPECT_EQ(o.error->field, "cosets_evals[0][0]");
  o = s(json::array({json(std::vector<std::string>(65, "0x00"))}));
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->code, kzg::ErrorCode::too_many_items);
  EXPECT_EQ(o.error->field, "cosets_evals[0]");
  o = s(json("not a list"));
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->field, "cosets_evals");
}

}  // namespace
}  // namespace kzg::api
