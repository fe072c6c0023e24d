// Randomized tests of the PeerDAS cell functions: FK20 against per-cell openings, recovery from random
// subsets, rejection of bad indices, and tampering.
#include "engine/kzg/eip7594.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/kzg/decode.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/poly/domain.hpp"
#include "engine/poly/fft.hpp"
#include "tests/support/random_blobs.hpp"
#include "tests/support/spec_vectors.hpp"
#include "tests/support/verdicts.hpp"

namespace kzg {
namespace {

using test::accepted;
using test::mainnet_settings;
using test::rejected;

std::vector<std::span<const std::uint8_t>> views(const auto& v) {
  std::vector<std::span<const std::uint8_t>> out;
  out.reserve(v.size());
  for (const auto& x : v) out.emplace_back(x);
  return out;
}

class Eip7594 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::mt19937_64 rng(7);
    blob_ = new std::vector<std::uint8_t>(test::random_blob(rng));
    auto r = compute_cells_and_kzg_proofs(*blob_, mainnet_settings());
    ASSERT_TRUE(r.ok());
    cp_ = new CellsAndProofs(std::move(r).value());
  }
  static void TearDownTestSuite() {
    delete blob_;
    delete cp_;
  }
  static std::vector<std::uint8_t>* blob_;
  static CellsAndProofs* cp_;
};
std::vector<std::uint8_t>* Eip7594::blob_ = nullptr;
CellsAndProofs* Eip7594::cp_ = nullptr;

TEST_F(Eip7594, CellsExtendTheBlob) {
  const auto cells = compute_cells(*blob_, mainnet_settings());
  ASSERT_TRUE(cells.ok());
  ASSERT_EQ(cells->size(), kCellsPerExtBlob);
  EXPECT_EQ(*cells, cp_->cells);
  // In bit-reversed order the first half of the extension is the blob itself.
  for (std::size_t i = 0; i < kCellsPerExtBlob / 2; ++i)
    EXPECT_TRUE(std::equal((*cells)[i].begin(), (*cells)[i].end(), blob_->begin() + i * kBytesPerCell)) << i;
}

TEST_F(Eip7594, Fk20ProofsEqualPerCellOpenings) {
  const auto& s = mainnet_settings();
  std::vector<Fr> poly;
  ASSERT_FALSE(blob_to_polynomial(poly, *blob_, "blob"));
  bit_reversal_permutation(std::span<Fr>(poly));
  fft_fr(poly, s.roots_of_unity(), true);  // coefficients
  for (std::size_t cell : {0u, 5u, 127u}) {
    // Quotient of p by X^64 - h^64 by long division, committed with the monomial setup.
    const Fr c = s.roots_of_unity_ext()[reverse_bits(cell, 7)].pow(std::uint64_t{64});
    std::vector<Fr> rem = poly, q(kFieldElementsPerBlob, Fr::zero());
    for (std::size_t d = kFieldElementsPerBlob - 1; d >= 64; --d) {
      q[d - 64] = rem[d];
      rem[d - 64] += rem[d] * c;
      rem[d] = Fr::zero();
    }
    const G1Projective expected = g1_msm(s.setup().g1_monomial, q);
    EXPECT_EQ(cp_->proofs[cell], g1_to_bytes(expected)) << "cell " << cell;
  }
}

TEST_F(Eip7594, BatchVerificationAcceptsAllAndRejectsTampering) {
  const auto& s = mainnet_settings();
  const auto c = blob_to_kzg_commitment(*blob_, s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::vector<Bytes48> cs(kCellsPerExtBlob, *c);
  std::vector<std::uint64_t> idx(kCellsPerExtBlob);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  EXPECT_TRUE(accepted(verify_cell_kzg_proof_batch(views(cs), idx, views(cp_->cells), views(cp_->proofs), s)));
  auto cells = cp_->cells;
  cells[9][40] ^= 1;
  EXPECT_TRUE(rejected(verify_cell_kzg_proof_batch(views(cs), idx, views(cells), views(cp_->proofs), s)));
  auto proofs = cp_->proofs;
  std::swap(proofs[3], proofs[4]);
  EXPECT_TRUE(rejected(verify_cell_kzg_proof_batch(views(cs), idx, views(cp_->cells), views(proofs), s)));
  auto bad_idx = idx;
  bad_idx[2] = 128;
  const auto e = verify_cell_kzg_proof_batch(views(cs), bad_idx, views(cp_->cells), views(cp_->proofs), s);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "cell_indices[2]");
}

// The parallel decoding gives the serial answers, and the same first error (in cell order) for bad input.
TEST_F(Eip7594, BatchVerificationOnThreadsMatchesSerial) {
  const auto& s = mainnet_settings();
  const auto c = blob_to_kzg_commitment(*blob_, s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::vector<Bytes48> cs(kCellsPerExtBlob, *c);
  std::vector<std::uint64_t> idx(kCellsPerExtBlob);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  EXPECT_TRUE(accepted(verify_cell_kzg_proof_batch(views(cs), idx, views(cp_->cells), views(cp_->proofs), s, 3)));
  auto proofs = cp_->proofs;
  std::swap(proofs[3], proofs[4]);
  EXPECT_TRUE(rejected(verify_cell_kzg_proof_batch(views(cs), idx, views(cp_->cells), views(proofs), s, 3)));
  // Errors at several cells and of several kinds: the serial pass meets cells[5] first.
  auto cells = cp_->cells;
  cells[5][0] = 0xff;  // field element not canonical
  proofs = cp_->proofs;
  proofs[7][0] = 0x00;  // no compression flag
  auto bad_cs = cs;
  bad_cs[9][0] = 0x00;
  auto bad_idx = idx;
  bad_idx[20] = 500;
  for (unsigned threads : {1u, 2u, 4u}) {
    const auto e = verify_cell_kzg_proof_batch(views(bad_cs), bad_idx, views(cells), views(proofs), s, threads);
    ASSERT_FALSE(e.ok()) << threads;
    EXPECT_EQ(e.error().field.rfind("cells[5]", 0), 0u) << e.error().field;
  }
  const auto commitment_first =
      verify_cell_kzg_proof_batch(views(bad_cs), bad_idx, views(cp_->cells), views(cp_->proofs), s, 4);
  ASSERT_FALSE(commitment_first.ok());
  EXPECT_EQ(commitment_first.error().field, "commitments[9]");
  const auto index_last = verify_cell_kzg_proof_batch(views(cs), bad_idx, views(cp_->cells), views(cp_->proofs), s, 4);
  ASSERT_FALSE(index_last.ok());
  EXPECT_EQ(index_last.error().field, "cell_indices[20]");
}

TEST_F(Eip7594, CellProofsOnThreadsEqualSerial) {
  const auto& s = mainnet_settings();
  for (unsigned threads : {2u, 3u}) {
    const auto r = compute_cells_and_kzg_proofs(*blob_, s, threads);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->cells, cp_->cells) << threads;
    EXPECT_EQ(r->proofs, cp_->proofs) << threads;
  }
  // Recovery on threads, by both paths: the data cells (the fast path) and every other cell (erasure decoding).
  for (std::uint64_t first : {0u, 1u}) {
    std::vector<std::uint64_t> idx;
    std::vector<Cell> cells;
    for (std::uint64_t i = 0; i < kCellsPerExtBlob; ++i)
      if (first == 0 ? i < kCellsPerExtBlob / 2 : i % 2 == 1) {
        idx.push_back(i);
        cells.push_back(cp_->cells[i]);
      }
    const auto r = recover_cells_and_kzg_proofs(idx, views(cells), s, 2);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->cells, cp_->cells) << first;
    EXPECT_EQ(r->proofs, cp_->proofs) << first;
  }
}

TEST_F(Eip7594, RecoveryFromRandomSubsets) {
  const auto& s = mainnet_settings();
  std::mt19937_64 rng(8);
  for (std::size_t keep : {64u, 65u, 100u, 127u}) {
    std::vector<std::uint64_t> all(kCellsPerExtBlob);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::shuffle(all.begin(), all.end(), rng);
    std::vector<std::uint64_t> idx(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep));
    std::sort(idx.begin(), idx.end());
    std::vector<Cell> cells;
    cells.reserve(idx.size());
    for (auto i : idx) cells.push_back(cp_->cells[i]);
    const auto cells_only = recover_cells(idx, views(cells), s);
    ASSERT_TRUE(cells_only.ok());
    EXPECT_EQ(*cells_only, cp_->cells) << keep;
    if (keep == 64 || keep == 127) {
      const auto r = recover_cells_and_kzg_proofs(idx, views(cells), s);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->cells, cp_->cells);
      EXPECT_EQ(r->proofs, cp_->proofs);
    }
  }
}

// The data-cell fast path gives the erasure decoding's answer: with exactly the 64 data cells, with extra cells
// that agree, and with an extra cell that does not (then the full decoding runs, whose answer differs from the
// blob's extension).
TEST_F(Eip7594, RecoveryFromTheDataCellsEqualsErasureDecoding) {
  const auto& s = mainnet_settings();
  std::mt19937_64 rng(9);
  auto subset = [&](std::size_t extra) {
    std::vector<std::uint64_t> idx;
    for (std::uint64_t i = 0; i < kCellsPerExtBlob / 2; ++i) idx.push_back(i);
    std::vector<std::uint64_t> rest;
    for (std::uint64_t i = kCellsPerExtBlob / 2; i < kCellsPerExtBlob; ++i) rest.push_back(i);
    std::shuffle(rest.begin(), rest.end(), rng);
    idx.insert(idx.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(extra));
    std::sort(idx.begin(), idx.end());
    return idx;
  };
  for (std::size_t extra : {0u, 1u, 30u, 64u}) {
    const auto idx = subset(extra);
    std::vector<Cell> cells;
    cells.reserve(idx.size());
    for (auto i : idx) cells.push_back(cp_->cells[i]);
    const auto fast = recover_cells(idx, views(cells), s);
    const auto plain = detail::recover_cells_by_erasure_decoding(idx, views(cells), s);
    ASSERT_TRUE(fast.ok()) << fast.error().message;
    ASSERT_TRUE(plain.ok()) << plain.error().message;
    EXPECT_EQ(*fast, *plain) << extra;
    EXPECT_EQ(*fast, cp_->cells) << extra;
    const auto with_proofs = recover_cells_and_kzg_proofs(idx, views(cells), s);
    ASSERT_TRUE(with_proofs.ok()) << with_proofs.error().message;
    EXPECT_EQ(with_proofs->cells, cp_->cells) << extra;
    EXPECT_EQ(with_proofs->proofs, cp_->proofs) << extra;
  }
  // An extra cell that is not the extension's: the inputs are not one blob's cells.
  const auto idx = subset(3);
  std::vector<Cell> cells;
  cells.reserve(idx.size());
  for (auto i : idx) cells.push_back(cp_->cells[i]);
  cells.back()[31] ^= 1;
  const auto fast = recover_cells(idx, views(cells), s);
  const auto plain = detail::recover_cells_by_erasure_decoding(idx, views(cells), s);
  ASSERT_TRUE(fast.ok()) << fast.error().message;
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(*fast, *plain);
  EXPECT_NE(*fast, cp_->cells);
  const auto with_proofs = recover_cells_and_kzg_proofs(idx, views(cells), s);
  ASSERT_TRUE(with_proofs.ok()) << with_proofs.error().message;
  EXPECT_EQ(with_proofs->cells, *plain);
}

TEST_F(Eip7594, RecoveryRejectsBadIndices) {
  const auto& s = mainnet_settings();
  auto run = [&](std::vector<std::uint64_t> idx) {
    std::vector<Cell> cells;
    cells.reserve(idx.size());
    for (auto i : idx) cells.push_back(cp_->cells[i % kCellsPerExtBlob]);
    return recover_cells(idx, views(cells), s);
  };
  std::vector<std::uint64_t> few(63);
  for (std::size_t i = 0; i < few.size(); ++i) few[i] = i;
  EXPECT_EQ(run(few).error().code, kzg::ErrorCode::invalid_cell_count);
  std::vector<std::uint64_t> dup(64);
  for (std::size_t i = 0; i < dup.size(); ++i) dup[i] = i;
  dup[10] = 9;
  EXPECT_EQ(run(dup).error().message, "duplicate cell index");
  EXPECT_EQ(run(dup).error().field, "cell_indices[10]");
  auto out_of_range = few;
  out_of_range.push_back(200);
  EXPECT_EQ(run(out_of_range).error().code, kzg::ErrorCode::invalid_cell_index);
  auto shuffled = few;
  shuffled.push_back(70);
  std::swap(shuffled[0], shuffled[1]);
  EXPECT_FALSE(run(shuffled).ok());
}

}  // namespace
}  // namespace kzg
