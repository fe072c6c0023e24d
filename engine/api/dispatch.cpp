#include "api/dispatch.hpp"

#include <functional>

#include "api/json_codec.hpp"
#include "kzg/eip4844.hpp"

namespace kzg::api {
namespace {

using nlohmann::json;
using Handler = std::function<Outcome(const KzgSettings&, const json&)>;

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

// Decodes each named field, returning early with its error.
#define KZG_FIELD(var, expr)      \
  auto var = (expr);              \
  if (!var) return Outcome{nullptr, var.error()}

std::vector<Operation> make_operations() {
  std::vector<Operation> ops;
  ops.push_back({{"blob_to_kzg_commitment", OperationClass::commit, 30}, [](const KzgSettings& s, const json& in) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   return from_result(blob_to_kzg_commitment(*blob, s), encode_b48);
                 }});
  ops.push_back({{"compute_kzg_proof", OperationClass::prove, 32}, [](const KzgSettings& s, const json& in) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(z, bytes_field(in, "z", kBytesPerFieldElement));
                   return from_result(compute_kzg_proof(*blob, *z, s), encode_proof_and_y);
                 }});
  ops.push_back({{"compute_blob_kzg_proof", OperationClass::prove, 32}, [](const KzgSettings& s, const json& in) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   return from_result(compute_blob_kzg_proof(*blob, *commitment, s), encode_b48);
                 }});
  ops.push_back({{"verify_kzg_proof", OperationClass::verify, 1}, [](const KzgSettings& s, const json& in) {
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   KZG_FIELD(z, bytes_field(in, "z", kBytesPerFieldElement));
                   KZG_FIELD(y, bytes_field(in, "y", kBytesPerFieldElement));
                   KZG_FIELD(proof, bytes_field(in, "proof", kBytesPerProof));
                   return from_result(verify_kzg_proof(*commitment, *z, *y, *proof, s), encode_bool);
                 }});
  ops.push_back({{"verify_blob_kzg_proof", OperationClass::verify, 2}, [](const KzgSettings& s, const json& in) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   KZG_FIELD(proof, bytes_field(in, "proof", kBytesPerProof));
                   return from_result(verify_blob_kzg_proof(*blob, *commitment, *proof, s), encode_bool);
                 }});
  ops.push_back({{"verify_blob_kzg_proof_batch", OperationClass::verify, 2}, [](const KzgSettings& s, const json& in) {
                   KZG_FIELD(blobs, bytes_list_field(in, "blobs", kBytesPerBlob));
                   KZG_FIELD(commitments, bytes_list_field(in, "commitments", kBytesPerCommitment));
                   KZG_FIELD(proofs, bytes_list_field(in, "proofs", kBytesPerProof));
                   return from_result(verify_blob_kzg_proof_batch(spans(*blobs), spans(*commitments), spans(*proofs), s),
                                      encode_bool);
                 }});
  ops.push_back({{"compute_challenge", OperationClass::verify, 1}, [](const KzgSettings&, const json& in) {
                   KZG_FIELD(blob, bytes_field(in, "blob", kBytesPerBlob));
                   KZG_FIELD(commitment, bytes_field(in, "commitment", kBytesPerCommitment));
                   return from_result(compute_challenge(*blob, *commitment), encode_b32);
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

Outcome dispatch(const KzgSettings& settings, std::string_view op, const nlohmann::json& input) {
  for (const auto& o : table()) {
    if (o.info.name != op) continue;
    if (!input.is_object()) return {nullptr, make_error("invalid_input", "input must be a JSON object", "input")};
    try {
      return o.run(settings, input);
    } catch (const std::bad_alloc&) {
      return {nullptr, make_error("resource_exhausted", "out of memory")};
    }
  }
  return {nullptr, make_error("unknown_operation", "unknown operation \"" + std::string(op) + "\"", "op")};
}

}  // namespace kzg::api
