#include "engine/dispatch/dispatch.hpp"

#include <functional>

#include "engine/dispatch/json_codec.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/kzg/eip7594.hpp"

namespace kzg::api {
namespace {

using nlohmann::json;
// The largest cell batch accepted (a whole block's worth of cells fits easily).
constexpr std::size_t kMaxBatchCells = std::size_t{1} << 16;
using Handler = std::function<Outcome(const KzgSettings&, const json&, unsigned threads)>;

struct Operation {
  OperationInfo info;
  Handler run;
};

template <class T>
Outcome from_result(const Result<T>& r, json (*encode)(const T&)) {
  if (!r) return {nullptr, r.error()};
  return {encode(*r), std::nullopt};
}

json encode_bool(const bool& b) { return b; }
json encode_b48(const Bytes48& b) { return hex_encode(b); }
json encode_b32(const Bytes32& b) { return hex_encode(b); }
json encode_proof_and_y(const ProofAndY& p) { return json::array({hex_encode(p.proof), hex_encode(p.y)}); }

// Decodes each named field, returning early with its error. `var` is the name it declares, so it cannot be
// parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define KZG_FIELD(var, expr) \
  auto var = (expr);         \
  if (!var) return Outcome { \
      nullptr, var.error()   \
    }
// NOLINTEND(bugprone-macro-parentheses)

std::vector<Operation> make_operations() {
  std::vector<Operation> ops;
  ops.push_back({{"blob_to_kzg_commitment"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   return from_result(blob_to_kzg_commitment(*blob, s), encode_b48);
                 }});
  ops.push_back({{"compute_kzg_proof"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(z, bytes_field(in, "z", kBytesPerFieldElement));
                   return from_result(compute_kzg_proof(*blob, *z, s), encode_proof_and_y);
                 }});
  ops.push_back({{"compute_blob_kzg_proof"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   return from_result(compute_blob_kzg_proof(*blob, *commitment, s), encode_b48);
                 }});
  ops.push_back({{"verify_kzg_proof"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   KZG_FIELD(z, bytes_field(in, "z", kBytesPerFieldElement));
                   KZG_FIELD(y, bytes_field(in, "y", kBytesPerFieldElement));
                   KZG_FIELD(proof, bytes_field(in, "proof", kBytesPerProof));
                   return from_result(verify_kzg_proof(*commitment, *z, *y, *proof, s), encode_bool);
                 }});
  ops.push_back({{"verify_blob_kzg_proof"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   KZG_FIELD(proof, bytes_field(in, "proof", kBytesPerProof));
                   return from_result(verify_blob_kzg_proof(*blob, *commitment, *proof, s), encode_bool);
                 }});
  ops.push_back({{"verify_blob_kzg_proof_batch"}, [](const KzgSettings& s, const json& in, unsigned threads) {
                   KZG_FIELD(blobs, bytes_list_field(in, "blobs", kBytesPerBlob));
                   KZG_FIELD(commitments, bytes_list_field(in, "commitments", kBytesPerCommitment));
                   KZG_FIELD(proofs, bytes_list_field(in, "proofs", kBytesPerProof));
                   return from_result(
                       verify_blob_kzg_proof_batch(spans(*blobs), spans(*commitments), spans(*proofs), s, threads),
                       encode_bool);
                 }});
  ops.push_back({{"compute_challenge"}, [](const KzgSettings&, const json& in, unsigned) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   return from_result(compute_challenge(*blob, *commitment), encode_b32);
                 }});
  ops.push_back({{"compute_cells"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   return from_result(compute_cells(*blob, s), encode_cells);
                 }});
  ops.push_back({{"compute_cells_and_kzg_proofs"}, [](const KzgSettings& s, const json& in, unsigned threads) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   return from_result(compute_cells_and_kzg_proofs(*blob, s, threads), encode_cells_and_proofs);
                 }});
  ops.push_back({{"recover_cells_and_kzg_proofs"}, [](const KzgSettings& s, const json& in, unsigned threads) {
                   KZG_FIELD(cell_indices, uint_list_field(in, "cell_indices", kCellsPerExtBlob));
                   KZG_FIELD(cells, bytes_list_field(in, "cells", kBytesPerCell, kCellsPerExtBlob));
                   return from_result(recover_cells_and_kzg_proofs(*cell_indices, spans(*cells), s, threads),
                                      encode_cells_and_proofs);
                 }});
  ops.push_back({{"recover_cells"}, [](const KzgSettings& s, const json& in, unsigned) {
                   KZG_FIELD(cell_indices, uint_list_field(in, "cell_indices", kCellsPerExtBlob));
                   KZG_FIELD(cells, bytes_list_field(in, "cells", kBytesPerCell, kCellsPerExtBlob));
                   return from_result(recover_cells(*cell_indices, spans(*cells), s), encode_cells);
                 }});
  ops.push_back({{"verify_cell_kzg_proof_batch"}, [](const KzgSettings& s, const json& in, unsigned threads) {
                   KZG_FIELD(commitments, bytes_list_field(in, "commitments", kBytesPerCommitment, kMaxBatchCells));
                   KZG_FIELD(cell_indices, uint_list_field(in, "cell_indices", kMaxBatchCells));
                   KZG_FIELD(cells, bytes_list_field(in, "cells", kBytesPerCell, kMaxBatchCells));
                   KZG_FIELD(proofs, bytes_list_field(in, "proofs", kBytesPerProof, kMaxBatchCells));
                   return from_result(verify_cell_kzg_proof_batch(spans(*commitments), *cell_indices, spans(*cells),
                                                                  spans(*proofs), s, threads),
                                      encode_bool);
                 }});
  ops.push_back({{"compute_verify_cell_kzg_proof_batch_challenge"}, [](const KzgSettings&, const json& in, unsigned) {
                   KZG_FIELD(commitments, bytes_list_field(in, "commitments", kBytesPerCommitment, kMaxBatchCells));
                   KZG_FIELD(commitment_indices, uint_list_field(in, "commitment_indices", kMaxBatchCells));
                   KZG_FIELD(cell_indices, uint_list_field(in, "cell_indices", kMaxBatchCells));
                   KZG_FIELD(proofs, bytes_list_field(in, "proofs", kBytesPerProof, kMaxBatchCells));
                   const auto it = in.find("cosets_evals");
                   if (it == in.end() || !it->is_array() || it->size() > kMaxBatchCells)
                     return Outcome{nullptr, make_error(ErrorCode::invalid_type,
                                                        "expected a list of cells' field elements", "cosets_evals")};
                   std::vector<std::vector<ByteString>> evals;
                   std::vector<std::vector<std::span<const std::uint8_t>>> eval_spans;
                   for (std::size_t k = 0; k < it->size(); ++k) {
                     // Read in place: copying a hostile, deeply nested item would recurse once per level.
                     auto list = bytes_list((*it)[k], "cosets_evals[" + std::to_string(k) + "]", kBytesPerFieldElement,
                                            kFieldElementsPerCell);
                     if (!list) return Outcome{nullptr, list.error()};
                     evals.push_back(std::move(list).value());
                   }
                   eval_spans.reserve(evals.size());
                   for (const auto& e : evals) eval_spans.push_back(spans(e));
                   return from_result(
                       compute_verify_cell_kzg_proof_batch_challenge(spans(*commitments), *commitment_indices,
                                                                     *cell_indices, eval_spans, spans(*proofs)),
                       encode_b32);
                 }});
  return ops;
}

#undef KZG_FIELD

const std::vector<Operation>& table() {
  static const std::vector<Operation> ops = make_operations();
  return ops;
}

}  // namespace

const std::vector<OperationInfo>& operations() {
  static const std::vector<OperationInfo> infos = [] {
    std::vector<OperationInfo> v;
    for (const auto& op : table()) v.push_back(op.info);
    return v;
  }();
  return infos;
}

const OperationInfo* find_operation(std::string_view name) {
  for (const auto& info : operations())
    if (info.name == name) return &info;
  return nullptr;
}

Outcome dispatch(const KzgSettings& settings, std::string_view op, const nlohmann::json& input, unsigned threads) {
  for (const auto& o : table()) {
    if (o.info.name != op) continue;
    if (!input.is_object())
      return {nullptr, make_error(ErrorCode::invalid_input, "input must be a JSON object", "input")};
    try {
      return o.run(settings, input, threads == 0 ? 1 : threads);
    } catch (const std::bad_alloc&) {
      return {nullptr, make_error(ErrorCode::resource_exhausted, "out of memory")};
    }
  }
  return {nullptr, make_error(ErrorCode::unknown_operation, "unknown operation \"" + std::string(op) + "\"", "op")};
}

}  // namespace kzg::api
