// Generates the seed inputs of fuzz/corpus/ with the engine's own code: points we compute (multiples of the
// generators, points off the subgroup found by search), small synthetic trusted setups, and operation inputs
// whose commitments and proofs the engine computed from a blob of our own. Nothing is copied from the
// consensus-spec vectors or the mainnet setup file.
//
// Usage: make_fuzz_corpus <corpus directory>   (writes <dir>/point, <dir>/trusted_setup, <dir>/table_cache,
// <dir>/request)
// The config seeds are hand-written and committed as they are.
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/common/hex.hpp"
#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "engine/dispatch/dispatch.hpp"
#include "engine/kzg/settings.hpp"
#include "fuzz/table_cache_shape.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void write(const fs::path& dir, const std::string& name, const std::string& content) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) {
    std::fprintf(stderr, "make_fuzz_corpus: cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
}

std::string bytes_string(const std::uint8_t* p, std::size_t n) {
  return std::string(reinterpret_cast<const char*>(p), n);
}

kzg::Scalar scalar(std::uint64_t k) { return kzg::Scalar{k, 0, 0, 0}; }

std::array<std::uint8_t, 48> g1_bytes(const kzg::G1Affine& p) {
  std::array<std::uint8_t, 48> b{};
  kzg::g1_compress(b, p);
  return b;
}
std::array<std::uint8_t, 96> g2_bytes(const kzg::G2Affine& p) {
  std::array<std::uint8_t, 96> b{};
  kzg::g2_compress(b, p);
  return b;
}
kzg::G1Affine g1_times(std::uint64_t k) {
  return kzg::g1_mul(kzg::G1Projective::from_affine(kzg::G1Affine::generator()), scalar(k)).to_affine();
}
kzg::G2Affine g2_times(std::uint64_t k) {
  return kzg::g2_mul(kzg::G2Projective::from_affine(kzg::G2Affine::generator()), scalar(k)).to_affine();
}

// The first x (counting up from `start`) whose encoding is on the curve but not in the subgroup.
template <std::size_t N, class Affine, class Unchecked>
std::array<std::uint8_t, N> off_subgroup(std::uint8_t start, Unchecked unchecked) {
  for (unsigned x = start;; ++x) {
    std::array<std::uint8_t, N> b{};
    b[0] = 0x80;
    b[N - 1] = static_cast<std::uint8_t>(x);
    b[N - 2] = static_cast<std::uint8_t>(x >> 8);
    Affine p;
    if (unchecked(p, std::span<const std::uint8_t, N>(b)) == kzg::PointError::kOk && !p.is_in_subgroup()) return b;
  }
}

void point_seeds(const fs::path& dir) {
  // Byte 0: even selects G1, odd G2 (fuzz/point_fuzzer.cpp).
  auto g1 = [&](const std::string& name, const std::array<std::uint8_t, 48>& b) {
    write(dir, "g1-" + name, std::string(1, '\0') + bytes_string(b.data(), b.size()));
  };
  auto g2 = [&](const std::string& name, const std::array<std::uint8_t, 96>& b) {
    write(dir, "g2-" + name, std::string(1, '\1') + bytes_string(b.data(), b.size()));
  };
  g1("generator", g1_bytes(kzg::G1Affine::generator()));
  g1("negated-generator", g1_bytes(-kzg::G1Affine::generator()));
  g1("times-1234567", g1_bytes(g1_times(1234567)));
  g1("infinity", g1_bytes(kzg::G1Affine::identity()));
  g1("off-subgroup", off_subgroup<48, kzg::G1Affine>(1, kzg::g1_decompress_unchecked));
  std::array<std::uint8_t, 48> not_canonical{};
  not_canonical.fill(0xff);
  not_canonical[0] = 0x9f;  // compressed, x = 2^381 - 1 >= p
  g1("not-canonical", not_canonical);
  g2("generator", g2_bytes(kzg::G2Affine::generator()));
  g2("negated-generator", g2_bytes(-kzg::G2Affine::generator()));
  g2("times-1234567", g2_bytes(g2_times(1234567)));
  g2("infinity", g2_bytes(kzg::G2Affine::identity()));
  g2("off-subgroup", off_subgroup<96, kzg::G2Affine>(1, kzg::g2_decompress_unchecked));
}

// A synthetic setup: [tau^i] of the generators for a tau of our own (no secret; only the format matters).
struct SyntheticSetup {
  std::vector<std::string> g1_lagrange, g2_monomial, g1_monomial;
};

SyntheticSetup synthetic_setup(std::size_t g1_points, std::size_t g2_points) {
  SyntheticSetup s;
  const std::uint64_t tau = 7;
  std::uint64_t power = 1;
  for (std::size_t i = 0; i < g1_points; ++i, power *= tau) {
    s.g1_monomial.push_back(kzg::hex_encode(g1_bytes(g1_times(power))));
    s.g1_lagrange.push_back(kzg::hex_encode(g1_bytes(g1_times(power + 1000))));
  }
  power = 1;
  for (std::size_t i = 0; i < g2_points; ++i, power *= tau)
    s.g2_monomial.push_back(kzg::hex_encode(g2_bytes(g2_times(power))));
  return s;
}

std::string setup_text(const SyntheticSetup& s) {
  std::string out = std::to_string(s.g1_lagrange.size()) + "\n" + std::to_string(s.g2_monomial.size()) + "\n";
  for (const auto* list : {&s.g1_lagrange, &s.g2_monomial, &s.g1_monomial})
    for (const auto& h : *list) out += h.substr(2) + "\n";
  return out;
}

std::string setup_json(const SyntheticSetup& s) {
  return json{{"g1_lagrange", s.g1_lagrange}, {"g2_monomial", s.g2_monomial}, {"g1_monomial", s.g1_monomial}}.dump(1);
}

void setup_seeds(const fs::path& dir) {
  // Byte 0: bit 0 the format (1: JSON), bits 1-2 the G1 count - 1, bits 3-4 the G2 count - 1.
  for (const auto& [g1n, g2n] : {std::pair<std::size_t, std::size_t>{1, 1}, {2, 3}, {4, 2}}) {
    const SyntheticSetup s = synthetic_setup(g1n, g2n);
    const auto shape = static_cast<char>(((g1n - 1) << 1) | ((g2n - 1) << 3));
    const std::string tag = std::to_string(g1n) + "-" + std::to_string(g2n);
    write(dir, "text-" + tag, std::string(1, shape) + setup_text(s));
    write(dir, "json-" + tag, std::string(1, static_cast<char>(shape | 1)) + setup_json(s));
  }
  // A point off the subgroup in an otherwise valid setup, and a CRLF file with blank lines.
  SyntheticSetup bad = synthetic_setup(1, 1);
  bad.g1_monomial[0] = kzg::hex_encode(off_subgroup<48, kzg::G1Affine>(1, kzg::g1_decompress_unchecked));
  write(dir, "text-1-1-off-subgroup", std::string(1, '\0') + setup_text(bad));
  std::string crlf;
  for (char c : setup_text(synthetic_setup(1, 1))) crlf += c == '\n' ? std::string("\r\n\n") : std::string(1, c);
  write(dir, "text-1-1-crlf", std::string(1, '\0') + crlf);
}

json run(const kzg::KzgSettings& s, const std::string& op, const json& input) {
  const auto outcome = kzg::api::dispatch(s, op, input);
  if (outcome.error) {
    std::fprintf(stderr, "make_fuzz_corpus: %s failed: %s\n", op.c_str(), outcome.error->message.c_str());
    std::exit(1);
  }
  return outcome.output;
}

void request_seeds(const fs::path& dir, const kzg::KzgSettings& s) {
  // First line: the operation ("batch" for the batch endpoint); then the body (fuzz/request_fuzzer.cpp).
  auto seed = [&](const std::string& name, const std::string& op, const json& body) {
    write(dir, name, op + "\n" + body.dump());
  };
  std::vector<std::uint8_t> blob(kzg::kBytesPerBlob, 0);
  for (std::size_t i = 0; i < kzg::kFieldElementsPerBlob; ++i) {
    const std::uint64_t v = i * i + 1;
    for (int b = 0; b < 8; ++b) blob[32 * i + 31 - b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
  const json blob_hex = kzg::hex_encode(blob);
  const json commitment = run(s, "blob_to_kzg_commitment", {{"blob", blob_hex}});
  const json z = kzg::hex_encode(std::array<std::uint8_t, 32>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    0,
                                                              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34});
  const json proof_and_y = run(s, "compute_kzg_proof", {{"blob", blob_hex}, {"z", z}});
  const json verify_input = {{"commitment", commitment}, {"z", z}, {"y", proof_and_y[1]}, {"proof", proof_and_y[0]}};
  if (run(s, "verify_kzg_proof", verify_input) != true) {
    std::fprintf(stderr, "make_fuzz_corpus: the computed proof does not verify\n");
    std::exit(1);
  }
  seed("verify_kzg_proof-valid", "verify_kzg_proof", verify_input);
  json wrong_y = verify_input;
  wrong_y["y"] = z;
  seed("verify_kzg_proof-wrong-y", "verify_kzg_proof", wrong_y);
  seed("verify_kzg_proof-missing-proof", "verify_kzg_proof",
       {{"commitment", commitment}, {"z", z}, {"y", proof_and_y[1]}});
  seed("verify_kzg_proof-bad-hex", "verify_kzg_proof",
       {{"commitment", "0xzz"}, {"z", z}, {"y", proof_and_y[1]}, {"proof", proof_and_y[0]}});

  // One cell with its proof: a one-item cell batch, and its challenge with the cell's field elements.
  const json cells_and_proofs = run(s, "compute_cells_and_kzg_proofs", {{"blob", blob_hex}});
  const json cell = cells_and_proofs[0][0];
  const json cell_proof = cells_and_proofs[1][0];
  const json cell_input = {
      {"commitments", {commitment}}, {"cell_indices", {0}}, {"cells", {cell}}, {"proofs", {cell_proof}}};
  if (run(s, "verify_cell_kzg_proof_batch", cell_input) != true) {
    std::fprintf(stderr, "make_fuzz_corpus: the computed cell proof does not verify\n");
    std::exit(1);
  }
  seed("verify_cell_kzg_proof_batch-valid", "verify_cell_kzg_proof_batch", cell_input);
  json evals = json::array();
  const std::string cell_hex = cell.get<std::string>().substr(2);
  for (std::size_t i = 0; i < kzg::kFieldElementsPerCell; ++i) evals.push_back("0x" + cell_hex.substr(64 * i, 64));
  seed("compute_verify_cell_kzg_proof_batch_challenge", "compute_verify_cell_kzg_proof_batch_challenge",
       {{"commitments", {commitment}},
        {"commitment_indices", {0}},
        {"cell_indices", {0}},
        {"cosets_evals", {evals}},
        {"proofs", {cell_proof}}});
  seed("recover_cells-one-cell", "recover_cells", {{"cell_indices", {5}}, {"cells", {cell}}});
  seed("compute_challenge-short-blob", "compute_challenge", {{"blob", "0x00"}, {"commitment", commitment}});
  seed("blob_to_kzg_commitment-not-hex", "blob_to_kzg_commitment", {{"blob", 12}});
  seed("verify_blob_kzg_proof_batch-empty", "verify_blob_kzg_proof_batch",
       {{"blobs", json::array()}, {"commitments", json::array()}, {"proofs", json::array()}});
  seed("batch", "batch",
       {{"requests",
         {{{"op", "verify_kzg_proof"}, {"input", verify_input}},
          {{"op", "verify_cell_kzg_proof_batch"}, {"input", cell_input}},
          {{"op", "no_such_operation"}, {"input", json::object()}},
          {{"op", "verify_kzg_proof"}, {"input", json::array()}}}}});
  write(dir, "not-json", "verify_kzg_proof\n{\"commitment\": 0x12,");
  write(dir, "not-an-object", "verify_kzg_proof\n[1, 2.5e400, \"\\ud800\", null]");
}

// Table cache files for the fuzzer's small expectation: a whole valid one, and one cut short.
void table_cache_seeds(const fs::path& dir) {
  const kzg::TableCacheExpect expect = kzg::fuzz::table_cache_fuzz_expect();
  std::array<std::vector<std::uint8_t>, kzg::kTableCacheSections> sections;
  for (std::size_t id = 0; id < sections.size(); ++id) {
    sections[id].resize(expect.section_bytes[id]);
    for (std::size_t i = 0; i < sections[id].size(); ++i) sections[id][i] = static_cast<std::uint8_t>(i * 7 + id);
  }
  const auto file = kzg::encode_table_cache(expect, sections);
  write(dir, "valid", bytes_string(file.data(), file.size()));
  write(dir, "truncated", bytes_string(file.data(), file.size() - 100));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_corpus <corpus directory>\n");
    return 2;
  }
  const fs::path root = argv[1];
  point_seeds(root / "point_fuzzer");
  setup_seeds(root / "trusted_setup_fuzzer");
  table_cache_seeds(root / "table_cache_fuzzer");
  auto settings = kzg::load_default_kzg_settings();
  if (!settings) {
    std::fprintf(stderr, "make_fuzz_corpus: %s\n", settings.error().message.c_str());
    return 1;
  }
  request_seeds(root / "request_fuzzer", **settings);
  return 0;
}
