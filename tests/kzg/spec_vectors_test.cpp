// Every official consensus-spec case, run through the same JSON dispatch that `kzg eval` and kzgd use.
#include "tests/support/spec_vectors.hpp"

#include <gtest/gtest.h>

#include "engine/dispatch/dispatch.hpp"

namespace kzg::test {
namespace {

class SpecVectors : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecVectors, AllCasesMatch) {
  const std::string function = GetParam();
  const auto cases = load_spec_cases(function);
  if (cases.empty())
    GTEST_SKIP() << "consensus-spec vectors for " << function
                 << " not found (set KZG_SPEC_TESTS_DIR or place them in ../shared/kzg-spec-tests)";
  const KzgSettings& settings = mainnet_settings();
  for (const auto& c : cases) {
    const api::Outcome got = api::dispatch(settings, c.function, c.input);
    if (c.output.is_null()) {
      EXPECT_TRUE(got.error.has_value()) << c.name << ": expected an error, got " << got.output.dump();
    } else {
      EXPECT_FALSE(got.error.has_value())
          << c.name << ": unexpected error " << got.error->field << ": " << got.error->message;
      EXPECT_EQ(got.output, c.output) << c.name;
    }
  }
  RecordProperty("cases", static_cast<int>(cases.size()));
}

INSTANTIATE_TEST_SUITE_P(Deneb, SpecVectors,
                         ::testing::Values("blob_to_kzg_commitment", "compute_kzg_proof", "compute_blob_kzg_proof",
                                           "verify_kzg_proof", "verify_blob_kzg_proof", "verify_blob_kzg_proof_batch",
                                           "compute_challenge"));

INSTANTIATE_TEST_SUITE_P(Fulu, SpecVectors,
                         ::testing::Values("compute_cells", "compute_cells_and_kzg_proofs",
                                           "recover_cells_and_kzg_proofs", "verify_cell_kzg_proof_batch",
                                           "compute_verify_cell_kzg_proof_batch_challenge"));

}  // namespace
}  // namespace kzg::test
