#include "tool/bench_command.hpp"

#include <gtest/gtest.h>

#include "tests/support/spec_vectors.hpp"
#include "tool/machine_info.hpp"

namespace kzg::tool {
namespace {

TEST(BenchCommand, TimesEveryOperationAndDescribesTheMachine) {
  BenchOptions options;
  options.iterations = 2;
  options.batch = 2;
  const auto results = run_bench(kzg::test::mainnet_settings(), options);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), 9u);
  EXPECT_EQ((*results)[0].operation, "blob_to_kzg_commitment");
  EXPECT_EQ((*results)[5].input, "2 blobs");
  EXPECT_EQ((*results)[7].input, "64 of 128 cells");
  for (const auto& r : *results) {
    EXPECT_EQ(r.runs, 2u) << r.operation;
    EXPECT_GT(r.p50_ms, 0) << r.operation;
    EXPECT_GE(r.p99_ms, r.p50_ms) << r.operation;
    EXPECT_GE(r.p50_ms, r.min_ms) << r.operation;
  }
  const auto machine = machine_json(describe_machine());
  EXPECT_GE(machine["logical_cores"].get<unsigned>(), 1u);
  EXPECT_GT(machine["memory_bytes"].get<std::uint64_t>(), 0u);
  const auto j = bench_json(*results, machine, options);
  EXPECT_EQ(j["operations"].size(), 9u);
  EXPECT_EQ(j["iterations"], 2);
  EXPECT_TRUE(j["machine"]["isa"].contains("avx512ifma"));
  const std::string table = format_bench_table(*results, machine);
  EXPECT_NE(table.find("verify_cell_kzg_proof_batch"), std::string::npos);
  EXPECT_NE(table.find("avx512ifma"), std::string::npos);
}

}  // namespace
}  // namespace kzg::tool
