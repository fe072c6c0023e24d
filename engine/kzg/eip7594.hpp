// EIP-7594 (PeerDAS) cell functions: consensus-specs, specs/fulu/polynomial-commitments-sampling.md.
// Inputs are untrusted byte strings; every failure is an Error naming the parameter at fault.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/common/result.hpp"
#include "engine/kzg/settings.hpp"

namespace kzg {

using Cell = std::array<std::uint8_t, kBytesPerCell>;
using ByteSpans = std::span<const std::span<const std::uint8_t>>;

struct CellsAndProofs {
  std::vector<Cell> cells;       // CELLS_PER_EXT_BLOB cells, in cell-index order
  std::vector<KzgProof> proofs;  // one proof per cell
};

// "compute_cells": the 128 cells of the blob's extension (no proofs).
Result<std::vector<Cell>> compute_cells(std::span<const std::uint8_t> blob, const KzgSettings& s);
// "compute_cells_and_kzg_proofs": cells and all 128 proofs at once (FK20), the proofs on up to `threads` threads.
Result<CellsAndProofs> compute_cells_and_kzg_proofs(std::span<const std::uint8_t> blob, const KzgSettings& s,
                                                    unsigned threads = 1);
// "recover_cells_and_kzg_proofs": from at least half of the cells (indices strictly increasing), all cells
// and proofs (those on up to `threads` threads).
Result<CellsAndProofs> recover_cells_and_kzg_proofs(std::span<const std::uint64_t> cell_indices, ByteSpans cells,
                                                    const KzgSettings& s, unsigned threads = 1);
// Recovery of the cells only (same rules, no proofs): the cheap path data-availability samplers need.
// Both recoveries take a fast path when the 64 data cells (indices 0 to 63: the blob itself) are all given: the
// polynomial is read from them with one inverse transform, no erasure decoding. Any other cell given must then
// equal its extension, or the full decoding runs, so the answer is always the spec's.
Result<std::vector<Cell>> recover_cells(std::span<const std::uint64_t> cell_indices, ByteSpans cells,
                                        const KzgSettings& s);
namespace detail {
// recover_cells without the fast path: the spec's erasure decoding for every input, for the tests.
Result<std::vector<Cell>> recover_cells_by_erasure_decoding(std::span<const std::uint64_t> cell_indices,
                                                            ByteSpans cells, const KzgSettings& s);
}  // namespace detail
// "verify_cell_kzg_proof_batch": true when every proofs[k] shows cells[k] is cell cell_indices[k] of the
// blob committed to by commitments[k]. An empty batch is true. Decoding the points and cells (with the
// subgroup checks, most of the work) runs on up to `threads` threads; the answer, and the error for invalid
// input, do not depend on it.
Result<bool> verify_cell_kzg_proof_batch(ByteSpans commitments, std::span<const std::uint64_t> cell_indices,
                                         ByteSpans cells, ByteSpans proofs, const KzgSettings& s, unsigned threads = 1);
// "compute_verify_cell_kzg_proof_batch_challenge": the batch's Fiat-Shamir challenge, as 32 bytes.
// cosets_evals[k] holds the 64 field elements (32 bytes each) of the k-th cell.
Result<Bytes32> compute_verify_cell_kzg_proof_batch_challenge(
    ByteSpans commitments, std::span<const std::uint64_t> commitment_indices,
    std::span<const std::uint64_t> cell_indices,
    std::span<const std::vector<std::span<const std::uint8_t>>> cosets_evals, ByteSpans proofs);

}  // namespace kzg
