#include "service/catalogue/operation_catalogue.hpp"

#include <array>

#include "engine/common/bytes.hpp"

namespace kzgd {
namespace {

constexpr std::size_t kBlobJsonBytes = 2 * kzg::kBytesPerBlob;  // the hex of a blob
constexpr std::size_t kCellJsonBytes = 2 * kzg::kBytesPerCell;  // the hex of a cell

constexpr std::array<BinaryPart, 1> kBlob{{{"blob", kzg::kBytesPerBlob}}};
constexpr std::array<BinaryPart, 2> kBlobCommitment{
    {{"blob", kzg::kBytesPerBlob}, {"commitment", kzg::kBytesPerCommitment}}};
constexpr std::array<BinaryPart, 3> kBlobCommitmentProof{
    {{"blob", kzg::kBytesPerBlob}, {"commitment", kzg::kBytesPerCommitment}, {"proof", kzg::kBytesPerProof}}};
constexpr std::array<BinaryPart, 4> kCommitmentZYProof{{{"commitment", kzg::kBytesPerCommitment},
                                                        {"z", kzg::kBytesPerFieldElement},
                                                        {"y", kzg::kBytesPerFieldElement},
                                                        {"proof", kzg::kBytesPerProof}}};

// The JSON contract: parameter and output shapes (the engine's decoders enforce the same limits).
constexpr std::uint32_t kListMax = 1u << 16;  // the dispatch's bound on every list
constexpr std::uint32_t kCells = kzg::kCellsPerExtBlob;
constexpr WireValue kBlobValue{WireType::blob}, kFieldValue{WireType::field_element}, kPointValue{WireType::g1_point},
    kBoolValue{WireType::boolean};
constexpr WireValue kBlobs{WireType::blob, kListMax}, kPoints{WireType::g1_point, kListMax},
    kCellList{WireType::cell, kListMax}, kIndices{WireType::index, kListMax};
constexpr WireValue kAllCells{WireType::cell, kCells}, kAllProofs{WireType::g1_point, kCells};

constexpr std::array<Parameter, 1> kInBlob{{{"blob", kBlobValue}}};
constexpr std::array<Parameter, 2> kInBlobZ{{{"blob", kBlobValue}, {"z", kFieldValue}}};
constexpr std::array<Parameter, 2> kInBlobCommitment{{{"blob", kBlobValue}, {"commitment", kPointValue}}};
constexpr std::array<Parameter, 4> kInVerifyKzgProof{
    {{"commitment", kPointValue}, {"z", kFieldValue}, {"y", kFieldValue}, {"proof", kPointValue}}};
constexpr std::array<Parameter, 3> kInVerifyBlobKzgProof{
    {{"blob", kBlobValue}, {"commitment", kPointValue}, {"proof", kPointValue}}};
constexpr std::array<Parameter, 3> kInVerifyBlobKzgProofBatch{
    {{"blobs", kBlobs}, {"commitments", kPoints}, {"proofs", kPoints}}};
constexpr std::array<Parameter, 2> kInRecover{
    {{"cell_indices", {WireType::index, kCells}}, {"cells", {WireType::cell, kCells}}}};
constexpr std::array<Parameter, 4> kInVerifyCellBatch{
    {{"commitments", kPoints}, {"cell_indices", kIndices}, {"cells", kCellList}, {"proofs", kPoints}}};
constexpr std::array<Parameter, 5> kInCellBatchChallenge{
    {{"commitments", kPoints},
     {"commitment_indices", kIndices},
     {"cell_indices", kIndices},
     {"cosets_evals", {WireType::field_element, kListMax, static_cast<std::uint32_t>(kzg::kFieldElementsPerCell)}},
     {"proofs", kPoints}}};

constexpr std::array<WireValue, 1> kOutBool{{kBoolValue}};
constexpr std::array<WireValue, 1> kOutPoint{{kPointValue}};
constexpr std::array<WireValue, 1> kOutField{{kFieldValue}};
constexpr std::array<WireValue, 2> kOutProofAndY{{kPointValue, kFieldValue}};
constexpr std::array<WireValue, 1> kOutCells{{kAllCells}};
constexpr std::array<WireValue, 2> kOutCellsAndProofs{{kAllCells, kAllProofs}};

const std::array<OperationEntry, 13> kCatalogue{{
    // deneb (EIP-4844)
    {.name = "blob_to_kzg_commitment",
     .permission = Permission::commit,
     .cost = 11,
     .binary = kBlob,
     .parameters = kInBlob,
     .output = kOutPoint},
    {.name = "compute_kzg_proof",
     .permission = Permission::prove,
     .cost = 12,
     .parameters = kInBlobZ,
     .output = kOutProofAndY},
    {.name = "compute_blob_kzg_proof",
     .permission = Permission::prove,
     .cost = 13,
     .binary = kBlobCommitment,
     .parameters = kInBlobCommitment,
     .output = kOutPoint},
    {.name = "verify_kzg_proof",
     .permission = Permission::verify,
     .cost = 1,
     .binary = kCommitmentZYProof,
     .coalesce = true,
     .parameters = kInVerifyKzgProof,
     .output = kOutBool},
    {.name = "verify_blob_kzg_proof",
     .permission = Permission::verify,
     .cost = 2,
     .binary = kBlobCommitmentProof,
     .coalesce = true,
     .parameters = kInVerifyBlobKzgProof,
     .output = kOutBool},
    {.name = "verify_blob_kzg_proof_batch",
     .permission = Permission::verify,
     .cost = 1,
     .items = "blobs",
     .item_json_bytes = kBlobJsonBytes,
     .deadline_seconds = 30,
     .parameters = kInVerifyBlobKzgProofBatch,
     .output = kOutBool},
    // The Fiat-Shamir challenges are steps of verification.
    {.name = "compute_challenge",
     .permission = Permission::verify,
     .cost = 1,
     .parameters = kInBlobCommitment,
     .output = kOutField},
    // fulu (EIP-7594)
    {.name = "compute_cells",
     .permission = Permission::cells,
     .cost = 4,
     .binary = kBlob,
     .parameters = kInBlob,
     .output = kOutCells},
    {.name = "compute_cells_and_kzg_proofs",
     .permission = Permission::cells,
     .cost = 105,
     .binary = kBlob,
     .parameters = kInBlob,
     .output = kOutCellsAndProofs},
    {.name = "recover_cells_and_kzg_proofs",
     .permission = Permission::cells,
     .cost = 120,
     .parameters = kInRecover,
     .output = kOutCellsAndProofs},
    {.name = "recover_cells",
     .permission = Permission::cells,
     .cost = 15,
     .parameters = kInRecover,
     .output = kOutCells},
    {.name = "verify_cell_kzg_proof_batch",
     .permission = Permission::verify,
     .cost = 0.125,
     .items = "cells",
     .item_json_bytes = kCellJsonBytes,
     .deadline_seconds = 30,
     .coalesce = true,
     .parameters = kInVerifyCellBatch,
     .output = kOutBool},
    {.name = "compute_verify_cell_kzg_proof_batch_challenge",
     .permission = Permission::verify,
     .cost = 1,
     .parameters = kInCellBatchChallenge,
     .output = kOutField},
}};

}  // namespace

std::span<const OperationEntry> operation_catalogue() { return kCatalogue; }

std::size_t wire_bytes(WireType type) {
  switch (type) {
    case WireType::blob:
      return kzg::kBytesPerBlob;
    case WireType::field_element:
      return kzg::kBytesPerFieldElement;
    case WireType::g1_point:
      return kzg::kBytesPerCommitment;
    case WireType::cell:
      return kzg::kBytesPerCell;
    case WireType::index:
    case WireType::boolean:
      return 0;
  }
  return 0;
}

const OperationEntry* find_operation_entry(std::string_view name) {
  for (const OperationEntry& e : kCatalogue)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace kzgd
