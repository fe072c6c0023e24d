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

const std::array<OperationEntry, 13> kCatalogue{{
    // deneb (EIP-4844)
    {.name = "blob_to_kzg_commitment", .permission = Permission::commit, .cost = 11, .binary = kBlob},
    {.name = "compute_kzg_proof", .permission = Permission::prove, .cost = 12},
    {.name = "compute_blob_kzg_proof", .permission = Permission::prove, .cost = 13, .binary = kBlobCommitment},
    {.name = "verify_kzg_proof", .permission = Permission::verify, .cost = 1},
    {.name = "verify_blob_kzg_proof",
     .permission = Permission::verify,
     .cost = 2,
     .binary = kBlobCommitmentProof,
     .coalesce = true},
    {.name = "verify_blob_kzg_proof_batch",
     .permission = Permission::verify,
     .cost = 1,
     .items = "blobs",
     .item_json_bytes = kBlobJsonBytes,
     .deadline_seconds = 30},
    // The Fiat-Shamir challenges are steps of verification.
    {.name = "compute_challenge", .permission = Permission::verify, .cost = 1},
    // fulu (EIP-7594)
    {.name = "compute_cells", .permission = Permission::cells, .cost = 4},
    {.name = "compute_cells_and_kzg_proofs", .permission = Permission::cells, .cost = 105},
    {.name = "recover_cells_and_kzg_proofs", .permission = Permission::cells, .cost = 120},
    {.name = "recover_cells", .permission = Permission::cells, .cost = 15},
    {.name = "verify_cell_kzg_proof_batch",
     .permission = Permission::verify,
     .cost = 0.125,
     .items = "cells",
     .item_json_bytes = kCellJsonBytes,
     .deadline_seconds = 30},
    {.name = "compute_verify_cell_kzg_proof_batch_challenge", .permission = Permission::verify, .cost = 1},
}};

}  // namespace

std::span<const OperationEntry> operation_catalogue() { return kCatalogue; }

const OperationEntry* find_operation_entry(std::string_view name) {
  for (const OperationEntry& e : kCatalogue)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace kzgd
