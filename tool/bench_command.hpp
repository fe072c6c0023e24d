// `kzg bench`: runs each spec operation on random valid blobs and reports its latency (p50, p99, mean) with a
// description of the machine, as a table or JSON (--json), so that users can size deployments. One thread;
// kzgd runs one operation per worker, so a deployment's throughput is about cores / p50.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tool/blob_commands.hpp"

namespace kzg::tool {

struct BenchOptions {
  unsigned iterations = 20;  // timed runs per operation (after one untimed warm-up run)
  unsigned batch = 8;        // blobs in verify_blob_kzg_proof_batch
  std::uint64_t seed = 1;    // of the random blobs
  bool json = false;
};

struct BenchResult {
  std::string operation;
  std::string input;  // what one run does, e.g. "1 blob", "8 blobs", "64 of 128 cells"
  unsigned runs = 0;
  double p50_ms = 0, p99_ms = 0, mean_ms = 0, min_ms = 0;
};

// Runs every operation; an operation that fails (it should not on valid inputs) stops the run with an error.
Result<std::vector<BenchResult>> run_bench(const KzgSettings& settings, const BenchOptions& options);

std::string format_bench_table(const std::vector<BenchResult>& results, const nlohmann::json& machine);
nlohmann::json bench_json(const std::vector<BenchResult>& results, const nlohmann::json& machine,
                          const BenchOptions& options);

void add_bench_command(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code);

}  // namespace kzg::tool
