#include "service/engine_backend.hpp"

#include "engine/common/hex.hpp"
#include "engine/dispatch/json_codec.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/setup/trusted_setup.hpp"
#include "service/catalogue/operation_catalogue.hpp"
#include "service/engine_self_test.hpp"

namespace kzgd {
namespace {

kzg::Error not_ready() { return kzg::make_error(kzg::ErrorCode::not_ready, "the trusted setup is still loading"); }

Outcome from(const kzg::Result<kzg::Bytes48>& r) {
  if (!r) return {nullptr, r.error()};
  return {kzg::hex_encode(*r), std::nullopt};
}

Outcome from(const kzg::Result<bool>& r) {
  if (!r) return {nullptr, r.error()};
  return {*r, std::nullopt};
}

}  // namespace

EngineBackend::EngineBackend() {
  for (const auto& op : kzg::api::operations()) names_.push_back(op.name);
}

void EngineBackend::set_settings(std::shared_ptr<const kzg::KzgSettings> settings) {
  std::lock_guard lock(owner_mutex_);
  if (owner_ || !settings) return;
  owner_ = std::move(settings);
  settings_.store(owner_.get(), std::memory_order_release);
}

Outcome EngineBackend::run(std::string_view operation, const nlohmann::json& input) const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  if (s == nullptr) return {nullptr, not_ready()};
  return kzg::api::dispatch(*s, operation, input);
}

Outcome EngineBackend::run_binary(std::string_view operation, const BinaryInput& input) const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  if (s == nullptr) return {nullptr, not_ready()};
  if (operation == "blob_to_kzg_commitment") return from(kzg::blob_to_kzg_commitment(input.field("blob"), *s));
  if (operation == "compute_blob_kzg_proof")
    return from(kzg::compute_blob_kzg_proof(input.field("blob"), input.field("commitment"), *s));
  if (operation == "verify_blob_kzg_proof")
    return from(kzg::verify_blob_kzg_proof(input.field("blob"), input.field("commitment"), input.field("proof"), *s));
  return {nullptr, kzg::make_error(kzg::ErrorCode::unsupported_media_type,
                                   std::string(operation) + " has no application/octet-stream form", "body")};
}

bool EngineBackend::runs_together(std::string_view operation) const {
  const OperationEntry* entry = find_operation_entry(operation);
  return entry != nullptr && entry->coalesce;
}

std::vector<Outcome> EngineBackend::run_together(std::string_view operation,
                                                 std::span<const OperationInput> inputs) const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  // Only verify_blob_kzg_proof has a batch form; any other operation runs each request alone.
  if (s == nullptr || operation != "verify_blob_kzg_proof") return OperationBackend::run_together(operation, inputs);

  // The three byte strings of each request, decoded as dispatch decodes them (JSON) or viewed in the body
  // (binary); a request that does not decode is run alone, which answers its error.
  struct Decoded {
    std::size_t index;
    kzg::api::ByteString blob, commitment, proof;  // JSON inputs only
    std::span<const std::uint8_t> blob_view, commitment_view, proof_view;
  };
  std::vector<Outcome> outcomes(inputs.size());
  std::vector<Decoded> decoded;
  decoded.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Decoded d{i, {}, {}, {}, {}, {}, {}};
    if (inputs[i].binary) {
      d.blob_view = inputs[i].binary->field("blob");
      d.commitment_view = inputs[i].binary->field("commitment");
      d.proof_view = inputs[i].binary->field("proof");
    } else {
      auto blob = kzg::api::bytes_field(*inputs[i].json, "blob", kzg::kBytesPerBlob);
      auto commitment = kzg::api::bytes_field(*inputs[i].json, "commitment", kzg::kBytesPerCommitment);
      auto proof = kzg::api::bytes_field(*inputs[i].json, "proof", kzg::kBytesPerProof);
      if (!blob || !commitment || !proof) {
        outcomes[i] = run(operation, *inputs[i].json);
        continue;
      }
      d.blob = std::move(*blob);
      d.commitment = std::move(*commitment);
      d.proof = std::move(*proof);
      d.blob_view = d.blob;
      d.commitment_view = d.commitment;
      d.proof_view = d.proof;
    }
    decoded.push_back(std::move(d));
  }

  if (decoded.size() >= 2) {
    std::vector<std::span<const std::uint8_t>> blobs, commitments, proofs;
    for (const Decoded& d : decoded) {
      blobs.push_back(d.blob_view);
      commitments.push_back(d.commitment_view);
      proofs.push_back(d.proof_view);
    }
    const kzg::Result<bool> all = kzg::verify_blob_kzg_proof_batch(blobs, commitments, proofs, *s);
    if (all && *all) {
      for (const Decoded& d : decoded) outcomes[d.index] = {true, std::nullopt};
      return outcomes;
    }
  }
  for (const Decoded& d : decoded)
    outcomes[d.index] = from(kzg::verify_blob_kzg_proof(d.blob_view, d.commitment_view, d.proof_view, *s));
  return outcomes;
}

std::optional<kzg::Error> EngineBackend::self_test() const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  if (s == nullptr) return not_ready();
  return run_engine_self_test(*s);
}

kzg::Result<std::shared_ptr<const kzg::KzgSettings>> load_kzg_settings(const ServiceConfig::Setup& setup) {
  kzg::KzgSettingsOptions options;
  options.cell_proofs = setup.cell_proofs;
  options.fixed_base_msm = setup.fixed_base_msm;
  if (setup.path.empty()) return kzg::load_default_kzg_settings(options);
  auto loaded = kzg::load_trusted_setup_file(setup.path);
  if (!loaded) return loaded.error();
  return kzg::make_kzg_settings(std::move(loaded).value(), options);
}

}  // namespace kzgd
