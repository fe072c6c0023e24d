#include "service/security/permissions.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

TEST(Permissions, EveryEngineOperationHasItsClass) {
  const std::vector<std::pair<std::string, Permission>> expected{
      {"blob_to_kzg_commitment", Permission::commit},
      {"compute_kzg_proof", Permission::prove},
      {"compute_blob_kzg_proof", Permission::prove},
      {"verify_kzg_proof", Permission::verify},
      {"verify_blob_kzg_proof", Permission::verify},
      {"verify_blob_kzg_proof_batch", Permission::verify},
      {"compute_challenge", Permission::verify},
      {"compute_cells", Permission::cells},
      {"compute_cells_and_kzg_proofs", Permission::cells},
      {"recover_cells", Permission::cells},
      {"recover_cells_and_kzg_proofs", Permission::cells},
      {"verify_cell_kzg_proof_batch", Permission::verify},
      {"compute_verify_cell_kzg_proof_batch_challenge", Permission::verify},
  };
  for (const auto& [op, p] : expected) EXPECT_EQ(operation_permission(op), p) << op;
  EXPECT_EQ(operation_permission("echo"), Permission::admin);  // unclassified fails closed
}

TEST(Permissions, PathsOpenAndClosed) {
  EXPECT_FALSE(path_permission("/health", false).has_value());
  EXPECT_FALSE(path_permission("/ready", false).has_value());
  EXPECT_FALSE(path_permission("/openapi.json", false).has_value());
  EXPECT_FALSE(path_permission("/metrics", true).has_value());
  EXPECT_EQ(path_permission("/metrics", false), Permission::admin);
  EXPECT_EQ(path_permission("/v1/batch", true), Permission::batch);
  EXPECT_EQ(path_permission("/v1/verify_kzg_proof", true), Permission::verify);
  EXPECT_EQ(path_permission("/debug", true), Permission::admin);
  EXPECT_EQ(path_permission("/debug/profile", true), Permission::admin);
  EXPECT_EQ(path_permission("/anything-else", true), Permission::admin);
}

TEST(Permissions, ParseAndPrint) {
  const auto set = parse_permissions(" verify ,commit,admin");
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->has(Permission::verify));
  EXPECT_TRUE(set->has(Permission::commit));
  EXPECT_TRUE(set->has(Permission::admin));
  EXPECT_FALSE(set->has(Permission::prove));
  EXPECT_EQ(to_string(*set), "commit,verify,admin");
  for (const char* bad : {"", "verify,", "write", "Verify"}) {
    const auto r = parse_permissions(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "permissions");
  }
}

}  // namespace
}  // namespace kzgd
