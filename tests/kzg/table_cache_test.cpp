// The table cache: a round trip gives settings that answer exactly as freshly built ones, and every kind of bad
// file (corrupt, truncated, foreign, damaged after its digest) is refused with a reason and rebuilt.
#include "engine/kzg/table_cache.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/common/sha256.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/kzg/eip7594.hpp"
#include "engine/setup/embedded_setup.hpp"
#include "engine/setup/trusted_setup.hpp"
#include "tests/support/random_blobs.hpp"
#include "tests/support/spec_vectors.hpp"

namespace kzg {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_bytes(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
// Recomputes the file digest (bytes 96..127), as a writer that stored damaged tables would have.
void reseal(std::vector<std::uint8_t>& file) {
  std::fill(file.begin() + 96, file.begin() + 128, 0);
  Sha256 h;
  h.update(file);
  const auto sum = h.finish();
  std::copy(sum.begin(), sum.end(), file.begin() + 96);
}

class TableCache : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("kzg-table-cache-test-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    TableCacheOutcome outcome;
    auto built = load_kzg_settings_cached(embedded_trusted_setup_text(), {}, file().string(), outcome);
    ASSERT_TRUE(built.ok()) << built.error().message;
    ASSERT_EQ(outcome.kind, TableCacheOutcome::Kind::kBuilt);
    ASSERT_EQ(outcome.ignored, "");
    ASSERT_EQ(outcome.write_error, "");
    built_ = new std::shared_ptr<const KzgSettings>(*built);
    bytes_ = new std::vector<std::uint8_t>(read_bytes(file()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete built_;
    delete bytes_;
  }
  static fs::path file() { return *dir_ / "tables.cache"; }
  // A copy of the good file, changed by `edit`, at a path of its own.
  static std::string variant(const std::string& name, const std::function<void(std::vector<std::uint8_t>&)>& edit) {
    std::vector<std::uint8_t> b = *bytes_;
    edit(b);
    const fs::path p = *dir_ / name;
    write_bytes(p, b);
    return p.string();
  }
  static std::string refusal(const std::string& path, std::string_view setup = embedded_trusted_setup_text(),
                             const KzgSettingsOptions& options = {}) {
    auto r = read_table_cache(path, setup, options);
    if (r.ok()) return "accepted";
    EXPECT_EQ(r.error().code, ErrorCode::invalid_table_cache);
    return r.error().message;
  }

  static fs::path* dir_;
  static std::shared_ptr<const KzgSettings>* built_;
  static std::vector<std::uint8_t>* bytes_;
};
fs::path* TableCache::dir_ = nullptr;
std::shared_ptr<const KzgSettings>* TableCache::built_ = nullptr;
std::vector<std::uint8_t>* TableCache::bytes_ = nullptr;

TEST_F(TableCache, LoadedSettingsAnswerAsBuiltOnes) {
  TableCacheOutcome outcome;
  auto loaded = load_kzg_settings_cached(embedded_trusted_setup_text(), {}, file().string(), outcome);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(outcome.kind, TableCacheOutcome::Kind::kLoaded);
  EXPECT_EQ(outcome.ignored, "");
  const KzgSettings& s = **loaded;
  const KzgSettings& fresh = test::mainnet_settings();
  EXPECT_TRUE(s.has_cell_proofs());
  EXPECT_FALSE(s.lagrange_msm().empty());
  ASSERT_EQ(s.fk20_msm().size(), 128u);

  std::mt19937_64 rng(2026);
  for (int round = 0; round < 2; ++round) {
    const auto blob = test::random_blob(rng);
    const auto c1 = blob_to_kzg_commitment(blob, s), c2 = blob_to_kzg_commitment(blob, fresh);
    ASSERT_TRUE(c1.ok() && c2.ok());
    EXPECT_EQ(*c1, *c2);
    const auto p1 = compute_blob_kzg_proof(blob, *c1, s), p2 = compute_blob_kzg_proof(blob, *c2, fresh);
    ASSERT_TRUE(p1.ok() && p2.ok());
    EXPECT_EQ(*p1, *p2);
    const auto v = verify_blob_kzg_proof(blob, *c1, *p1, s);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(*v);
    const auto cp1 = compute_cells_and_kzg_proofs(blob, s), cp2 = compute_cells_and_kzg_proofs(blob, fresh);
    ASSERT_TRUE(cp1.ok() && cp2.ok());
    EXPECT_EQ(cp1->cells, cp2->cells);
    EXPECT_EQ(cp1->proofs, cp2->proofs);
  }
}

TEST_F(TableCache, TheSameTablesGiveTheSameFile) {
  // The file holds the portable tables; settings built on a CPU with a faster backend (AVX-512 IFMA) hold that
  // backend's, so the writer is given settings built portable, as the loader writes from.
  auto setup = load_trusted_setup_text(embedded_trusted_setup_text());
  ASSERT_TRUE(setup.ok());
  KzgSettingsOptions portable;
  portable.msm_backend = MsmBackend::kPortable;
  auto rebuilt = make_kzg_settings(std::move(setup).value(), portable);
  ASSERT_TRUE(rebuilt.ok());
  const fs::path again = *dir_ / "again.cache";
  const auto error = write_table_cache(**rebuilt, embedded_trusted_setup_text(), {}, again.string());
  ASSERT_FALSE(error.has_value()) << error->message;
  EXPECT_EQ(read_bytes(again), *bytes_);
}

TEST_F(TableCache, RefusesACorruptFile) {
  const auto path = variant("flipped.cache", [](auto& b) { b[b.size() / 2] ^= 0x40; });
  EXPECT_EQ(refusal(path), "corrupt: its digest does not match");
}

TEST_F(TableCache, RefusesATruncatedOrExtendedFile) {
  EXPECT_NE(refusal(variant("short.cache", [](auto& b) { b.erase(b.end() - 64, b.end()); })).find("truncated"),
            std::string::npos);
  EXPECT_NE(refusal(variant("long.cache", [](auto& b) { b.push_back(0); })).find("truncated or extended"),
            std::string::npos);
  EXPECT_NE(refusal(variant("header.cache", [](auto& b) { b.erase(b.begin() + 100, b.end()); })).find("truncated"),
            std::string::npos);
  EXPECT_NE(refusal(variant("empty.cache", [](auto& b) { b.clear(); })).find("truncated"), std::string::npos);
}

TEST_F(TableCache, RefusesFilesMadeForSomethingElse) {
  // Another setup: any other bytes, even one more newline.
  std::string other(embedded_trusted_setup_text());
  other += "\n";
  EXPECT_EQ(refusal(file().string(), other), "made for another trusted setup");
  EXPECT_EQ(refusal(file().string(), embedded_trusted_setup_text(), {.cell_proofs = false}),
            "made with other setup options (cell_proofs, fixed_base_msm)");
  EXPECT_EQ(refusal(variant("layout.cache", [](auto& b) { b[20] ^= 1; })),
            "written by a build with another table layout");
  EXPECT_EQ(refusal(variant("magic.cache", [](auto& b) { b[0] = 'X'; })), "not a kzgd table cache (wrong magic)");
  EXPECT_EQ(refusal(variant("version.cache", [](auto& b) { b[8] = 9; })), "format version 9, this build reads 1");
  EXPECT_EQ(refusal((*dir_ / "absent.cache").string()), "no file yet");
  EXPECT_EQ(refusal(dir_->string()), "not a regular file");
  const fs::path fifo = *dir_ / "fifo.cache";  // refused at once, not waited on for a writer
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(refusal(fifo.string()), "not a regular file");
}

TEST_F(TableCache, RefusesADamagedSectionTableEvenWithAGoodDigest) {
  // Section 1's offset moved past the end of the file, the digest recomputed.
  const auto moved = variant("offset.cache", [](auto& b) {
    b[128 + 8 + 7] = 0x7f;
    reseal(b);
  });
  EXPECT_EQ(refusal(moved), "section 1 lies outside the file or overlaps another");
  const auto resized = variant("size.cache", [](auto& b) {
    b[128 + 16] ^= 0x08;
    reseal(b);
  });
  EXPECT_NE(refusal(resized).find("section 1 holds"), std::string::npos);
}

TEST_F(TableCache, RefusesAnUnreducedCoordinateEvenWithAGoodDigest) {
  // The x coordinate of the first Lagrange point set to all ones: not an element of Fp.
  const auto path = variant("unreduced.cache", [](auto& b) {
    std::fill(b.begin() + 4096, b.begin() + 4096 + 48, 0xff);
    reseal(b);
  });
  EXPECT_EQ(refusal(path), "holds a coordinate that is not a reduced field element");
  const auto flag = variant("flag.cache", [](auto& b) {
    b[4096 + offsetof(G1Affine, infinity)] = 7;
    reseal(b);
  });
  EXPECT_EQ(refusal(flag), "holds a coordinate that is not a reduced field element");
}

TEST_F(TableCache, ABadFileIsRebuiltAndReplaced) {
  // Smaller options keep this rebuild cheap: the Lagrange tables only.
  const KzgSettingsOptions options{.cell_proofs = false};
  const auto path = variant("rebuilt.cache", [](auto& b) { b[5000] ^= 1; });
  TableCacheOutcome outcome;
  auto s = load_kzg_settings_cached(embedded_trusted_setup_text(), options, path, outcome);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(outcome.kind, TableCacheOutcome::Kind::kBuilt);
  EXPECT_EQ(outcome.ignored, "made with other setup options (cell_proofs, fixed_base_msm)");
  EXPECT_EQ(outcome.write_error, "");
  EXPECT_FALSE((*s)->has_cell_proofs());
  EXPECT_EQ(refusal(path, embedded_trusted_setup_text(), options), "accepted");
  for (const auto& entry : fs::directory_iterator(*dir_))  // no temporary file left behind
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST_F(TableCache, AnUnwritableCacheCostsOnlyTheSpeedUp) {
  const KzgSettingsOptions options{.cell_proofs = false, .fixed_base_msm = false};
  TableCacheOutcome outcome;
  // A path below a regular file can be neither read nor created.
  auto s =
      load_kzg_settings_cached(embedded_trusted_setup_text(), options, (file() / "sub" / "t.cache").string(), outcome);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(outcome.kind, TableCacheOutcome::Kind::kBuilt);
  EXPECT_NE(outcome.ignored, "");
  EXPECT_NE(outcome.write_error.find("cannot create"), std::string::npos) << outcome.write_error;
  const auto blob = std::vector<std::uint8_t>(kBytesPerBlob, 0);
  EXPECT_TRUE(blob_to_kzg_commitment(blob, **s).ok());
}

TEST_F(TableCache, AnInvalidSetupIsStillAnError) {
  TableCacheOutcome outcome;
  auto s = load_kzg_settings_cached("4096\n65\nnot a point\n", {}, (*dir_ / "bad-setup.cache").string(), outcome);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::invalid_trusted_setup);
  EXPECT_FALSE(fs::exists(*dir_ / "bad-setup.cache"));
}

TEST_F(TableCache, WithoutAPathItOnlyBuilds) {
  TableCacheOutcome outcome;
  auto s = load_kzg_settings_cached(embedded_trusted_setup_text(), {.cell_proofs = false, .fixed_base_msm = false}, "",
                                    outcome);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(outcome.kind, TableCacheOutcome::Kind::kOff);
}

}  // namespace
}  // namespace kzg
