#include "tool/bench_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>

#include "engine/kzg/eip4844.hpp"
#include "engine/kzg/eip7594.hpp"
#include "tool/machine_info.hpp"

namespace kzg::tool {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Spans = std::vector<std::span<const std::uint8_t>>;

// A valid blob: each field element's top byte below 0x40, so every element is < 2^254 < r.
Bytes random_blob(std::mt19937_64& rng) {
  Bytes blob(kBytesPerBlob);
  for (auto& b : blob) b = static_cast<std::uint8_t>(rng());
  for (std::size_t i = 0; i < kFieldElementsPerBlob; ++i) blob[32 * i] &= 0x3f;
  return blob;
}

double percentile(std::vector<double> sorted, double q) {
  const auto rank =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size()))));
  return sorted[std::min(rank, sorted.size()) - 1];
}

template <class T>
std::optional<Error> check(const Result<T>& r, const std::string& op) {
  if (!r) return make_error(kzg::ErrorCode::bench_failed, op + ": " + r.error().message);
  if constexpr (std::is_same_v<T, bool>)
    if (!*r) return make_error(kzg::ErrorCode::bench_failed, op + ": a valid input did not verify");
  return std::nullopt;
}

// Times `run` (which returns an error or nullopt) options.iterations times after one warm-up.
Result<BenchResult> measure(const std::string& op, const std::string& input, unsigned iterations,
                            const std::function<std::optional<Error>()>& run) {
  if (auto e = run()) return *e;
  std::vector<double> ms;
  for (unsigned i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (auto e = run()) return *e;
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  BenchResult r{op, input, iterations, percentile(ms, 0.5), percentile(ms, 0.99), 0, ms.front()};
  for (double x : ms) r.mean_ms += x / static_cast<double>(ms.size());
  return r;
}

}  // namespace

Result<std::vector<BenchResult>> run_bench(const KzgSettings& s, const BenchOptions& o) {
  std::mt19937_64 rng(o.seed);
  const unsigned n = std::max(1u, o.batch);
  std::vector<Bytes> blobs;
  std::vector<KzgCommitment> commitments;
  std::vector<KzgProof> proofs;
  for (unsigned i = 0; i < n; ++i) {
    blobs.push_back(random_blob(rng));
    auto c = blob_to_kzg_commitment(blobs.back(), s);
    if (!c) return c.error();
    auto p = compute_blob_kzg_proof(blobs.back(), *c, s);
    if (!p) return p.error();
    commitments.push_back(*c);
    proofs.push_back(*p);
  }
  Bytes z(32, 0);
  z[31] = 7;
  auto point = compute_kzg_proof(blobs[0], z, s);
  if (!point) return point.error();
  const bool cells_on = s.has_cell_proofs();

  std::vector<BenchResult> out;
  auto add = [&](const std::string& op, const std::string& input,
                 const std::function<std::optional<Error>()>& run) -> std::optional<Error> {
    auto r = measure(op, input, o.iterations, run);
    if (!r) return r.error();
    out.push_back(*r);
    return std::nullopt;
  };
  const Bytes& blob = blobs[0];
  std::vector<std::optional<Error>> errors;
  errors.push_back(add("blob_to_kzg_commitment", "1 blob",
                       [&] { return check(blob_to_kzg_commitment(blob, s), "blob_to_kzg_commitment"); }));
  errors.push_back(
      add("compute_kzg_proof", "1 blob", [&] { return check(compute_kzg_proof(blob, z, s), "compute_kzg_proof"); }));
  errors.push_back(add("compute_blob_kzg_proof", "1 blob", [&] {
    return check(compute_blob_kzg_proof(blob, commitments[0], s), "compute_blob_kzg_proof");
  }));
  errors.push_back(add("verify_kzg_proof", "1 proof", [&] {
    return check(verify_kzg_proof(commitments[0], z, point->y, point->proof, s), "verify_kzg_proof");
  }));
  errors.push_back(add("verify_blob_kzg_proof", "1 blob", [&] {
    return check(verify_blob_kzg_proof(blob, commitments[0], proofs[0], s), "verify_blob_kzg_proof");
  }));
  Spans blob_spans, commitment_spans, proof_spans;
  for (unsigned i = 0; i < n; ++i) {
    blob_spans.emplace_back(blobs[i]);
    commitment_spans.emplace_back(commitments[i]);
    proof_spans.emplace_back(proofs[i]);
  }
  errors.push_back(add("verify_blob_kzg_proof_batch", std::to_string(n) + " blobs", [&] {
    return check(verify_blob_kzg_proof_batch(blob_spans, commitment_spans, proof_spans, s),
                 "verify_blob_kzg_proof_batch");
  }));
  if (cells_on) {
    auto cp = compute_cells_and_kzg_proofs(blob, s);
    if (!cp) return cp.error();
    errors.push_back(add("compute_cells_and_kzg_proofs", "1 blob",
                         [&] { return check(compute_cells_and_kzg_proofs(blob, s), "compute_cells_and_kzg_proofs"); }));
    std::vector<std::uint64_t> half;
    Spans half_cells;
    for (std::uint64_t i = 0; i < cp->cells.size(); i += 2) {
      half.push_back(i);
      half_cells.emplace_back(cp->cells[i]);
    }
    errors.push_back(
        add("recover_cells_and_kzg_proofs",
            std::to_string(half.size()) + " of " + std::to_string(cp->cells.size()) + " cells",
            [&] { return check(recover_cells_and_kzg_proofs(half, half_cells, s), "recover_cells_and_kzg_proofs"); }));
    std::vector<std::uint64_t> all;
    Spans cell_spans, cell_commitments, cell_proofs;
    for (std::uint64_t i = 0; i < cp->cells.size(); ++i) {
      all.push_back(i);
      cell_spans.emplace_back(cp->cells[i]);
      cell_commitments.emplace_back(commitments[0]);
      cell_proofs.emplace_back(cp->proofs[i]);
    }
    errors.push_back(add("verify_cell_kzg_proof_batch", std::to_string(all.size()) + " cells", [&] {
      return check(verify_cell_kzg_proof_batch(cell_commitments, all, cell_spans, cell_proofs, s),
                   "verify_cell_kzg_proof_batch");
    }));
  }
  for (const auto& e : errors)
    if (e) return *e;
  return out;
}

std::string format_bench_table(const std::vector<BenchResult>& results, const nlohmann::json& m) {
  std::ostringstream o;
  o << "cpu:    " << m["cpu_model"].get<std::string>() << " (" << m["logical_cores"] << " logical cores)\n";
  o << "isa:    adx " << (m["isa"]["adx"].get<bool>() ? "yes" : "no") << ", bmi2 "
    << (m["isa"]["bmi2"].get<bool>() ? "yes" : "no") << ", avx512f " << (m["isa"]["avx512f"].get<bool>() ? "yes" : "no")
    << ", avx512ifma " << (m["isa"]["avx512ifma"].get<bool>() ? "yes" : "no") << "\n";
  o << "engine: field multiplication " << m["engine_paths"]["field_multiplication"].get<std::string>()
    << ", MSM bucket sums " << m["engine_paths"]["msm_bucket_sums"].get<std::string>() << "\n";
  char line[200];
  std::snprintf(line, sizeof line, "memory: %.1f GiB\n\n",
                static_cast<double>(m["memory_bytes"].get<std::uint64_t>()) / (1u << 30));
  o << line;
  std::snprintf(line, sizeof line, "%-30s %-18s %6s %10s %10s %10s %12s\n", "operation", "input", "runs", "p50 ms",
                "p99 ms", "mean ms", "per core/s");
  o << line;
  for (const auto& r : results) {
    std::snprintf(line, sizeof line, "%-30s %-18s %6u %10.3f %10.3f %10.3f %12.1f\n", r.operation.c_str(),
                  r.input.c_str(), r.runs, r.p50_ms, r.p99_ms, r.mean_ms, r.p50_ms > 0 ? 1000.0 / r.p50_ms : 0.0);
    o << line;
  }
  return o.str();
}

nlohmann::json bench_json(const std::vector<BenchResult>& results, const nlohmann::json& machine,
                          const BenchOptions& options) {
  nlohmann::json ops = nlohmann::json::array();
  for (const auto& r : results)
    ops.push_back({{"operation", r.operation},
                   {"input", r.input},
                   {"runs", r.runs},
                   {"p50_ms", r.p50_ms},
                   {"p99_ms", r.p99_ms},
                   {"mean_ms", r.mean_ms},
                   {"min_ms", r.min_ms}});
  return {{"machine", machine},
          {"iterations", options.iterations},
          {"seed", options.seed},
          {"threads", 1},
          {"operations", std::move(ops)}};
}

void add_bench_command(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code) {
  auto options = std::make_shared<BenchOptions>();
  auto* bench = app.add_subcommand("bench", "Time each operation on random blobs; print p50/p99 and the machine");
  bench->add_option("--iterations", options->iterations, "Timed runs per operation (1 to 100000)")
      ->check(CLI::Range(1u, 100000u));
  bench->add_option("--batch", options->batch, "Blobs in verify_blob_kzg_proof_batch (1 to 256)")
      ->check(CLI::Range(1u, 256u));
  bench->add_option("--seed", options->seed, "Seed of the random blobs");
  bench->add_flag("--json", options->json, "Print JSON instead of a table");
  bench->callback([options, &settings, &out, &err, &exit_code] {
    const KzgSettings* s = settings();
    if (s == nullptr) {
      exit_code = kExitUsage;
      return;
    }
    const auto results = run_bench(*s, *options);
    if (!results) {
      err << "kzg bench: " << results.error().message << '\n';
      exit_code = kExitInvalid;
      return;
    }
    const auto machine = machine_json(describe_machine());
    if (options->json)
      out << bench_json(*results, machine, *options).dump(2) << '\n';
    else
      out << format_bench_table(*results, machine);
    exit_code = kExitOk;
  });
}

}  // namespace kzg::tool
