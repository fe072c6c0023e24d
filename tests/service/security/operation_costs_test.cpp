#include "service/security/operation_costs.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kzgd {
namespace {

TEST(OperationCosts, DefaultsFollowTheMeasuredWork) {
  const OperationCosts costs;
  EXPECT_EQ(costs.unit_cost("verify_kzg_proof"), 1);
  EXPECT_EQ(costs.unit_cost("verify_blob_kzg_proof"), 2);
  EXPECT_EQ(costs.unit_cost("blob_to_kzg_commitment"), 11);
  EXPECT_EQ(costs.unit_cost("compute_cells_and_kzg_proofs"), 105);
  EXPECT_GT(costs.unit_cost("recover_cells_and_kzg_proofs"), costs.unit_cost("compute_cells_and_kzg_proofs"));
  EXPECT_EQ(costs.unit_cost("not_an_operation"), costs.default_cost());
}

TEST(OperationCosts, BatchVerificationsCostPerItemBoundedByTheBodySize) {
  const OperationCosts costs;
  EXPECT_EQ(costs.request_cost("verify_kzg_proof", 5000000), 1);          // fixed-size input: the body does not matter
  EXPECT_EQ(costs.request_cost("verify_blob_kzg_proof_batch", 1000), 1);  // at least one token
  EXPECT_EQ(costs.request_cost("verify_blob_kzg_proof_batch", 64 * 262400), 64);
  EXPECT_EQ(costs.request_cost("verify_cell_kzg_proof_batch", 128 * 4096), 16);  // 0.125 per cell
  // The estimate bounds the real count from above: 128 cells with their commitments and proofs cost >= 16.
  EXPECT_GE(costs.request_cost("verify_cell_kzg_proof_batch", 128 * 4400), 16);
  const auto item = [](const std::string& op, const nlohmann::json& input) {
    return nlohmann::json{{"op", op}, {"input", input}};
  };
  EXPECT_EQ(costs.batch_item_cost(item("blob_to_kzg_commitment", {{"blob", "0x"}})), 11);
  EXPECT_EQ(costs.batch_item_cost(item("verify_blob_kzg_proof_batch", {{"blobs", nlohmann::json::array({1, 2, 3})}})),
            3);
  EXPECT_EQ(costs.batch_item_cost(item("verify_cell_kzg_proof_batch", {{"cells", std::vector<int>(64, 0)}})), 8);
  EXPECT_EQ(costs.batch_item_cost(item("verify_cell_kzg_proof_batch", {{"cells", "nope"}})), 1);
  EXPECT_EQ(costs.batch_item_cost(nlohmann::json(5)), 0);
  EXPECT_EQ(costs.batch_item_cost(nlohmann::json{{"op", 7}}), 0);
}

TEST(OperationCosts, Overrides) {
  const auto costs = OperationCosts::with_overrides("verify_kzg_proof=3, default = 0.5 ,compute_cells=40");
  ASSERT_TRUE(costs.ok()) << costs.error().message;
  EXPECT_EQ(costs->unit_cost("verify_kzg_proof"), 3);
  EXPECT_EQ(costs->unit_cost("compute_cells"), 40);
  EXPECT_EQ(costs->unit_cost("echo"), 0.5);
  EXPECT_EQ(costs->unit_cost("verify_blob_kzg_proof"), 2);
  for (const char* bad :
       {"verify_kzg_proof", "verify_kzg_proof=0", "verify_kzg_proof=-1", "verify_kzg_proof=x", "teleport=1", "=1"}) {
    const auto r = OperationCosts::with_overrides(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "rate_limit.costs");
  }
}

}  // namespace
}  // namespace kzgd
