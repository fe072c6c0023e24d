// Google Benchmark: the primitives (G1 add, MSM of 4096, pairing) and every KZG function, single-threaded,
// on the embedded mainnet setup and deterministic random blobs.
#include <benchmark/benchmark.h>

#include <initializer_list>
#include <random>
#include <sstream>

#include "engine/common/hex.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/kzg/eip7594.hpp"
#include "engine/pairing/pairing.hpp"
#include "tool/eval.hpp"

namespace kzg {
namespace {

const KzgSettings& settings() {
  static const auto s = [] {
    auto r = load_default_kzg_settings();
    if (!r) std::abort();
    return *r;
  }();
  return *s;
}

// Load the settings before any timing starts.
[[maybe_unused]] const bool kSettingsLoaded = (settings(), true);

Fr random_fr(std::mt19937_64& rng) { return Fr::from_canonical(Limbs<4>{rng(), rng(), rng(), rng() >> 2}); }

std::vector<std::uint8_t> random_blob(std::mt19937_64& rng) {
  std::vector<std::uint8_t> blob(kBytesPerBlob);
  for (std::size_t i = 0; i < kFieldElementsPerBlob; ++i)
    random_fr(rng).to_bytes_be(std::span<std::uint8_t, 32>(blob.data() + 32 * i, 32));
  return blob;
}

std::vector<std::span<const std::uint8_t>> views(const auto& v) {
  std::vector<std::span<const std::uint8_t>> out;
  out.reserve(v.size());
  for (const auto& x : v) out.emplace_back(x);
  return out;
}

void BM_G1AddMixed(benchmark::State& st) {
  const auto& s = settings();
  G1Projective acc = G1Projective::from_affine(s.setup().g1_monomial[1]);
  std::size_t i = 0;
  for (auto _ : st) {
    acc += s.setup().g1_monomial[i++ & 4095];
    benchmark::DoNotOptimize(acc);
  }
}
BENCHMARK(BM_G1AddMixed);

void BM_G1Msm4096(benchmark::State& st) {
  std::mt19937_64 rng(1);
  std::vector<Fr> k(4096);
  for (auto& x : k) x = random_fr(rng);
  for (auto _ : st) benchmark::DoNotOptimize(g1_msm(settings().g1_lagrange_brp(), k));
  st.SetLabel("ms per MSM of 4096");
}
BENCHMARK(BM_G1Msm4096)->Unit(benchmark::kMillisecond);

// G1 decompression with the subgroup check, of n distinct points: one by one, and as one batch (IFMA
// square roots and subgroup checks where the CPU has them). Arg: n.
std::vector<Bytes48> compressed_points(std::size_t n) {
  std::vector<Bytes48> out(n);
  for (std::size_t i = 0; i < n; ++i) g1_compress(out[i], settings().setup().g1_monomial[i]);
  return out;
}
void BM_G1DecompressOneByOne(benchmark::State& st) {
  const auto points = compressed_points(static_cast<std::size_t>(st.range(0)));
  G1Affine p;
  for (auto _ : st)
    for (const auto& b : points) benchmark::DoNotOptimize(g1_decompress(p, b));
}
BENCHMARK(BM_G1DecompressOneByOne)->Arg(1)->Arg(2)->Arg(128)->Unit(benchmark::kMicrosecond);
void BM_G1DecompressBatch(benchmark::State& st) {
  const auto points = compressed_points(static_cast<std::size_t>(st.range(0)));
  std::vector<std::span<const std::uint8_t, 48>> in(points.begin(), points.end());
  std::vector<G1Affine> out(points.size());
  std::vector<PointError> errors(points.size());
  for (auto _ : st) {
    g1_decompress_batch(in, out, errors);
    benchmark::DoNotOptimize(errors.data());
  }
}
BENCHMARK(BM_G1DecompressBatch)->Arg(1)->Arg(2)->Arg(8)->Arg(128)->Unit(benchmark::kMicrosecond);

void BM_Pairing(benchmark::State& st) {
  const auto& s = settings();
  for (auto _ : st) benchmark::DoNotOptimize(pairing(s.setup().g1_monomial[1], s.setup().g2_monomial[1]));
}
BENCHMARK(BM_Pairing)->Unit(benchmark::kMicrosecond);

struct Fixture {
  std::vector<std::vector<std::uint8_t>> blobs;
  std::vector<Bytes48> commitments, proofs;
  CellsAndProofs cells;
  static const Fixture& get() {
    static const Fixture f = [] {
      Fixture f;
      std::mt19937_64 rng(42);
      for (int i = 0; i < 64; ++i) {
        f.blobs.push_back(random_blob(rng));
        f.commitments.push_back(*blob_to_kzg_commitment(f.blobs.back(), settings()));
        f.proofs.push_back(*compute_blob_kzg_proof(f.blobs.back(), f.commitments.back(), settings()));
      }
      f.cells = *compute_cells_and_kzg_proofs(f.blobs[0], settings());
      return f;
    }();
    return f;
  }
};

void BM_blob_to_kzg_commitment(benchmark::State& st) {
  const auto& f = Fixture::get();
  for (auto _ : st) benchmark::DoNotOptimize(blob_to_kzg_commitment(f.blobs[0], settings()));
}
BENCHMARK(BM_blob_to_kzg_commitment)->Unit(benchmark::kMillisecond);

void BM_compute_kzg_proof(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::mt19937_64 rng(3);
  Bytes32 z{};
  random_fr(rng).to_bytes_be(z);
  for (auto _ : st) benchmark::DoNotOptimize(compute_kzg_proof(f.blobs[0], z, settings()));
}
BENCHMARK(BM_compute_kzg_proof)->Unit(benchmark::kMillisecond);

void BM_compute_blob_kzg_proof(benchmark::State& st) {
  const auto& f = Fixture::get();
  for (auto _ : st) benchmark::DoNotOptimize(compute_blob_kzg_proof(f.blobs[0], f.commitments[0], settings()));
}
BENCHMARK(BM_compute_blob_kzg_proof)->Unit(benchmark::kMillisecond);

void BM_verify_kzg_proof(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::mt19937_64 rng(4);
  Bytes32 z{};
  random_fr(rng).to_bytes_be(z);
  const auto py = *compute_kzg_proof(f.blobs[0], z, settings());
  for (auto _ : st) benchmark::DoNotOptimize(verify_kzg_proof(f.commitments[0], z, py.y, py.proof, settings()));
}
BENCHMARK(BM_verify_kzg_proof)->Unit(benchmark::kMillisecond);

void BM_verify_blob_kzg_proof(benchmark::State& st) {
  const auto& f = Fixture::get();
  for (auto _ : st)
    benchmark::DoNotOptimize(verify_blob_kzg_proof(f.blobs[0], f.commitments[0], f.proofs[0], settings()));
}
BENCHMARK(BM_verify_blob_kzg_proof)->Unit(benchmark::kMillisecond);

void BM_verify_blob_kzg_proof_batch(benchmark::State& st) {
  const auto& f = Fixture::get();
  const auto n = static_cast<std::size_t>(st.range(0));
  auto b = views(f.blobs), c = views(f.commitments), p = views(f.proofs);
  b.resize(n), c.resize(n), p.resize(n);
  const auto threads = static_cast<unsigned>(st.range(1));
  for (auto _ : st) benchmark::DoNotOptimize(verify_blob_kzg_proof_batch(b, c, p, settings(), threads));
}
// Args: blobs, threads. Wall time is what counts with two threads (UseRealTime).
BENCHMARK(BM_verify_blob_kzg_proof_batch)->Args({64, 1})->Args({64, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_compute_cells(benchmark::State& st) {
  const auto& f = Fixture::get();
  for (auto _ : st) benchmark::DoNotOptimize(compute_cells(f.blobs[0], settings()));
}
BENCHMARK(BM_compute_cells)->Unit(benchmark::kMillisecond);

void BM_compute_cells_and_kzg_proofs(benchmark::State& st) {
  const auto& f = Fixture::get();
  const auto threads = static_cast<unsigned>(st.range(0));
  for (auto _ : st) benchmark::DoNotOptimize(compute_cells_and_kzg_proofs(f.blobs[0], settings(), threads));
}
// Arg: threads.
BENCHMARK(BM_compute_cells_and_kzg_proofs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_recover_cells_and_kzg_proofs(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::vector<std::uint64_t> idx;
  std::vector<std::span<const std::uint8_t>> cells;
  for (std::uint64_t i = 0; i < kCellsPerExtBlob; i += 2) {  // every other cell missing
    idx.push_back(i);
    cells.emplace_back(f.cells.cells[i]);
  }
  const auto threads = static_cast<unsigned>(st.range(0));
  for (auto _ : st) benchmark::DoNotOptimize(recover_cells_and_kzg_proofs(idx, cells, settings(), threads));
}
// Arg: threads.
BENCHMARK(BM_recover_cells_and_kzg_proofs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_verify_cell_kzg_proof_batch(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::vector<Bytes48> cs(kCellsPerExtBlob, f.commitments[0]);
  std::vector<std::uint64_t> idx(kCellsPerExtBlob);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const auto c = views(cs), cells = views(f.cells.cells), proofs = views(f.cells.proofs);
  const auto threads = static_cast<unsigned>(st.range(0));
  for (auto _ : st) benchmark::DoNotOptimize(verify_cell_kzg_proof_batch(c, idx, cells, proofs, settings(), threads));
}
// Arg: threads.
BENCHMARK(BM_verify_cell_kzg_proof_batch)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Joins pieces by appending (GCC 12 warns falsely about chains of operator+ on strings).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

// The same operations through `kzg eval`'s code (tool/eval.cpp): a JSON Lines request read from a stream, parsed,
// hex-decoded, run and answered as a JSON line. Against the BM_ above, it is what the machine interface costs.
std::string hex_list(const auto& items) {
  std::string out = "[";
  for (const auto& x : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += hex_encode(x);
    out += '"';
  }
  out += ']';
  return out;
}

void run_eval_line(benchmark::State& st, const std::string& op, const std::string& input) {
  const std::string line = cat({R"({"id":1,"op":")", op, R"(","input":)", input, "}\n"});
  std::ostringstream out;
  for (auto _ : st) {
    std::istringstream in(line);
    out.str({});
    tool::run_eval(in, out, settings());
    if (out.view().find(R"("error")") != std::string_view::npos) st.SkipWithError(out.str().substr(0, 300).c_str());
  }
}

void BM_eval_blob_to_kzg_commitment(benchmark::State& st) {
  const auto& f = Fixture::get();
  run_eval_line(st, "blob_to_kzg_commitment", cat({R"({"blob":")", hex_encode(f.blobs[0]), R"("})"}));
}
BENCHMARK(BM_eval_blob_to_kzg_commitment)->Unit(benchmark::kMillisecond);

void BM_eval_verify_kzg_proof(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::mt19937_64 rng(4);
  Bytes32 z{};
  random_fr(rng).to_bytes_be(z);
  const auto py = *compute_kzg_proof(f.blobs[0], z, settings());
  run_eval_line(st, "verify_kzg_proof",
                cat({R"({"commitment":")", hex_encode(f.commitments[0]), R"(","z":")", hex_encode(z), R"(","y":")",
                     hex_encode(py.y), R"(","proof":")", hex_encode(py.proof), R"("})"}));
}
BENCHMARK(BM_eval_verify_kzg_proof)->Unit(benchmark::kMillisecond);

void BM_eval_verify_blob_kzg_proof(benchmark::State& st) {
  const auto& f = Fixture::get();
  run_eval_line(st, "verify_blob_kzg_proof",
                cat({R"({"blob":")", hex_encode(f.blobs[0]), R"(","commitment":")", hex_encode(f.commitments[0]),
                     R"(","proof":")", hex_encode(f.proofs[0]), R"("})"}));
}
BENCHMARK(BM_eval_verify_blob_kzg_proof)->Unit(benchmark::kMillisecond);

void BM_eval_verify_blob_kzg_proof_batch(benchmark::State& st) {
  const auto& f = Fixture::get();
  run_eval_line(st, "verify_blob_kzg_proof_batch",
                cat({R"({"blobs":)", hex_list(f.blobs), R"(,"commitments":)", hex_list(f.commitments), R"(,"proofs":)",
                     hex_list(f.proofs), "}"}));
}
BENCHMARK(BM_eval_verify_blob_kzg_proof_batch)->Unit(benchmark::kMillisecond);

void BM_eval_compute_cells(benchmark::State& st) {
  const auto& f = Fixture::get();
  run_eval_line(st, "compute_cells", cat({R"({"blob":")", hex_encode(f.blobs[0]), R"("})"}));
}
BENCHMARK(BM_eval_compute_cells)->Unit(benchmark::kMillisecond);

void BM_eval_compute_cells_and_kzg_proofs(benchmark::State& st) {
  const auto& f = Fixture::get();
  run_eval_line(st, "compute_cells_and_kzg_proofs", cat({R"({"blob":")", hex_encode(f.blobs[0]), R"("})"}));
}
BENCHMARK(BM_eval_compute_cells_and_kzg_proofs)->Unit(benchmark::kMillisecond);

void BM_eval_recover_cells_and_kzg_proofs(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::string idx = "[";
  std::vector<Cell> cells;
  for (std::uint64_t i = 0; i < kCellsPerExtBlob; i += 2) {  // every other cell missing, as above
    if (i) idx += ',';
    idx += std::to_string(i);
    cells.push_back(f.cells.cells[i]);
  }
  run_eval_line(st, "recover_cells_and_kzg_proofs",
                cat({R"({"cell_indices":)", idx, R"(],"cells":)", hex_list(cells), "}"}));
}
BENCHMARK(BM_eval_recover_cells_and_kzg_proofs)->Unit(benchmark::kMillisecond);

void BM_eval_verify_cell_kzg_proof_batch(benchmark::State& st) {
  const auto& f = Fixture::get();
  std::string idx = "[";
  for (std::size_t i = 0; i < kCellsPerExtBlob; ++i) {
    if (i) idx += ',';
    idx += std::to_string(i);
  }
  run_eval_line(st, "verify_cell_kzg_proof_batch",
                cat({R"({"commitments":)", hex_list(std::vector<Bytes48>(kCellsPerExtBlob, f.commitments[0])),
                     R"(,"cell_indices":)", idx, R"(],"cells":)", hex_list(f.cells.cells), R"(,"proofs":)",
                     hex_list(f.cells.proofs), "}"}));
}
BENCHMARK(BM_eval_verify_cell_kzg_proof_batch)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kzg
