#include "service/engine_backend.hpp"

#include "engine/common/hex.hpp"
#include "engine/common/sha256.hpp"
#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "engine/dispatch/json_codec.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/kzg/eip7594.hpp"
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

// The cell lists as the JSON path encodes them (engine/dispatch/json_codec.hpp).
Outcome from(const kzg::Result<std::vector<kzg::Cell>>& r) {
  if (!r) return {nullptr, r.error()};
  return {kzg::api::encode_cells(*r), std::nullopt};
}

Outcome from(const kzg::Result<kzg::CellsAndProofs>& r) {
  if (!r) return {nullptr, r.error()};
  return {kzg::api::encode_cells_and_proofs(*r), std::nullopt};
}

}  // namespace

EngineBackend::EngineBackend(unsigned engine_threads) : engine_threads_(engine_threads == 0 ? 1 : engine_threads) {
  for (const auto& op : kzg::api::operations()) names_.push_back(op.name);
}

void EngineBackend::set_settings(std::shared_ptr<const kzg::KzgSettings> settings) {
  std::lock_guard lock(owner_mutex_);
  if (owner_ || !settings) return;
  owner_ = std::move(settings);
  kzg::Sha256 h;
  const kzg::TrustedSetup& setup = owner_->setup();
  for (const auto* points : {&setup.g1_lagrange, &setup.g1_monomial})
    for (const kzg::G1Affine& p : *points) {
      std::array<std::uint8_t, 48> bytes{};
      kzg::g1_compress(bytes, p);
      h.update(bytes);
    }
  for (const kzg::G2Affine& p : setup.g2_monomial) {
    std::array<std::uint8_t, 96> bytes{};
    kzg::g2_compress(bytes, p);
    h.update(bytes);
  }
  fingerprint_ = h.finish();
  settings_.store(owner_.get(), std::memory_order_release);
}

std::span<const std::uint8_t> EngineBackend::setup_fingerprint() const {
  if (settings_.load(std::memory_order_acquire) == nullptr) return {};
  return fingerprint_;
}

Outcome EngineBackend::run(std::string_view operation, const nlohmann::json& input) const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  if (s == nullptr) return {nullptr, not_ready()};
  return kzg::api::dispatch(*s, operation, input, engine_threads_);
}

Outcome EngineBackend::run_binary(std::string_view operation, const BinaryInput& input) const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  if (s == nullptr) return {nullptr, not_ready()};
  if (operation == "blob_to_kzg_commitment") return from(kzg::blob_to_kzg_commitment(input.field("blob"), *s));
  if (operation == "compute_blob_kzg_proof")
    return from(kzg::compute_blob_kzg_proof(input.field("blob"), input.field("commitment"), *s));
  if (operation == "verify_kzg_proof")
    return from(
        kzg::verify_kzg_proof(input.field("commitment"), input.field("z"), input.field("y"), input.field("proof"), *s));
  if (operation == "verify_blob_kzg_proof")
    return from(kzg::verify_blob_kzg_proof(input.field("blob"), input.field("commitment"), input.field("proof"), *s));
  if (operation == "compute_cells") return from(kzg::compute_cells(input.field("blob"), *s));
  if (operation == "compute_cells_and_kzg_proofs")
    return from(kzg::compute_cells_and_kzg_proofs(input.field("blob"), *s, engine_threads_));
  return {nullptr, kzg::make_error(kzg::ErrorCode::unsupported_media_type,
                                   std::string(operation) + " has no application/octet-stream form", "body")};
}

bool EngineBackend::runs_together(std::string_view operation) const {
  const OperationEntry* entry = find_operation_entry(operation);
  return entry != nullptr && entry->coalesce;
}

namespace {

// One request's named byte strings for run_together: views into its binary body, or its JSON fields decoded as
// dispatch decodes them (owned here). A JSON request whose fields do not decode is left out and run alone, which
// answers its error.
struct FieldViews {
  std::vector<kzg::api::ByteString> owned;
  std::vector<std::span<const std::uint8_t>> views;
};

struct FieldSpec {
  const char* name;
  std::size_t size;
};

std::optional<FieldViews> field_views(const OperationInput& input, std::span<const FieldSpec> fields) {
  FieldViews out;
  out.owned.reserve(fields.size());
  for (const FieldSpec& f : fields) {
    if (input.binary) {
      out.views.push_back(input.binary->field(f.name));
      continue;
    }
    auto bytes = kzg::api::bytes_field(*input.json, f.name, f.size);
    if (!bytes) return std::nullopt;
    out.owned.push_back(std::move(bytes).value());
  }
  if (!input.binary)
    for (const auto& b : out.owned) out.views.emplace_back(b);
  return out;
}

// One verify_cell_kzg_proof_batch request, decoded as dispatch decodes it.
struct CellBatch {
  std::vector<kzg::api::ByteString> commitments, cells, proofs;
  std::vector<std::uint64_t> cell_indices;
};

std::optional<CellBatch> cell_batch(const nlohmann::json& in) {
  auto commitments = kzg::api::bytes_list_field(in, "commitments", kzg::kBytesPerCommitment);
  auto cell_indices = kzg::api::uint_list_field(in, "cell_indices");
  auto cells = kzg::api::bytes_list_field(in, "cells", kzg::kBytesPerCell);
  auto proofs = kzg::api::bytes_list_field(in, "proofs", kzg::kBytesPerProof);
  if (!commitments || !cell_indices || !cells || !proofs) return std::nullopt;
  const std::size_t n = commitments->size();
  // Lists of unequal lengths are an error the request must get alone: joined to others they could pair up.
  if (cell_indices->size() != n || cells->size() != n || proofs->size() != n) return std::nullopt;
  return CellBatch{std::move(commitments).value(), std::move(cells).value(), std::move(proofs).value(),
                   std::move(cell_indices).value()};
}

// Several verify_cell_kzg_proof_batch requests as one: their lists joined are one batch, true exactly when
// every request's batch is (a random linear combination over all the cells). When it is false or an error, the
// requests are split in halves, down to single requests, which get their own answers.
void settle_cell_batches(std::span<const CellBatch* const> group, std::span<Outcome* const> outcomes,
                         const kzg::KzgSettings& s) {
  std::vector<std::span<const std::uint8_t>> commitments, cells, proofs;
  std::vector<std::uint64_t> cell_indices;
  for (const CellBatch* b : group) {
    for (const auto& c : b->commitments) commitments.emplace_back(c);
    for (const auto& c : b->cells) cells.emplace_back(c);
    for (const auto& p : b->proofs) proofs.emplace_back(p);
    cell_indices.insert(cell_indices.end(), b->cell_indices.begin(), b->cell_indices.end());
  }
  const kzg::Result<bool> all = kzg::verify_cell_kzg_proof_batch(commitments, cell_indices, cells, proofs, s);
  if (group.size() == 1 || (all && *all)) {
    for (Outcome* o : outcomes) *o = from(all);
    return;
  }
  const std::size_t half = group.size() / 2;
  settle_cell_batches(group.first(half), outcomes.first(half), s);
  settle_cell_batches(group.subspan(half), outcomes.subspan(half), s);
}

}  // namespace

std::vector<Outcome> EngineBackend::run_together(std::string_view operation,
                                                 std::span<const OperationInput> inputs) const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  const bool kzg_proof = operation == "verify_kzg_proof";
  const bool blob_proof = operation == "verify_blob_kzg_proof";
  if (s != nullptr && operation == "verify_cell_kzg_proof_batch") return run_cell_batches_together(inputs, *s);
  if (s == nullptr || (!kzg_proof && !blob_proof)) return OperationBackend::run_together(operation, inputs);

  static constexpr FieldSpec kKzgProofFields[] = {{"commitment", kzg::kBytesPerCommitment},
                                                  {"z", kzg::kBytesPerFieldElement},
                                                  {"y", kzg::kBytesPerFieldElement},
                                                  {"proof", kzg::kBytesPerProof}};
  static constexpr FieldSpec kBlobProofFields[] = {
      {"blob", kzg::kBytesPerBlob}, {"commitment", kzg::kBytesPerCommitment}, {"proof", kzg::kBytesPerProof}};
  const std::span<const FieldSpec> fields =
      kzg_proof ? std::span<const FieldSpec>(kKzgProofFields) : std::span<const FieldSpec>(kBlobProofFields);

  std::vector<Outcome> outcomes(inputs.size());
  std::vector<std::size_t> members;  // the request behind each claim
  std::vector<FieldViews> views;
  views.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto v = field_views(inputs[i], fields);
    if (!v) {
      outcomes[i] = run(operation, *inputs[i].json);
      continue;
    }
    members.push_back(i);
    views.push_back(std::move(*v));
  }
  // Every claim gets the answer it would get alone; false claims are found by bisection (engine/kzg/eip4844.hpp).
  std::vector<kzg::Result<bool>> answers;
  if (kzg_proof) {
    std::vector<kzg::KzgProofClaim> claims;
    claims.reserve(views.size());
    for (const FieldViews& v : views) claims.push_back({v.views[0], v.views[1], v.views[2], v.views[3]});
    answers = kzg::verify_kzg_proof_each(claims, *s);
  } else {
    std::vector<kzg::BlobProofClaim> claims;
    claims.reserve(views.size());
    for (const FieldViews& v : views) claims.push_back({v.views[0], v.views[1], v.views[2]});
    answers = kzg::verify_blob_kzg_proof_each(claims, *s);
  }
  for (std::size_t k = 0; k < members.size(); ++k) outcomes[members[k]] = from(answers[k]);
  return outcomes;
}

std::vector<Outcome> EngineBackend::run_cell_batches_together(std::span<const OperationInput> inputs,
                                                              const kzg::KzgSettings& s) const {
  std::vector<Outcome> outcomes(inputs.size());
  std::vector<CellBatch> batches;
  batches.reserve(inputs.size());
  std::vector<std::size_t> members;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto b = inputs[i].json ? cell_batch(*inputs[i].json) : std::nullopt;
    if (!b) {
      outcomes[i] = inputs[i].json ? run("verify_cell_kzg_proof_batch", *inputs[i].json)
                                   : run_binary("verify_cell_kzg_proof_batch", *inputs[i].binary);
      continue;
    }
    members.push_back(i);
    batches.push_back(std::move(*b));
  }
  std::vector<const CellBatch*> group;
  std::vector<Outcome*> group_outcomes;
  for (std::size_t k = 0; k < members.size(); ++k) {
    group.push_back(&batches[k]);
    group_outcomes.push_back(&outcomes[members[k]]);
  }
  if (!group.empty()) settle_cell_batches(group, group_outcomes, s);
  return outcomes;
}

std::optional<kzg::Error> EngineBackend::self_test() const {
  const kzg::KzgSettings* s = settings_.load(std::memory_order_acquire);
  if (s == nullptr) return not_ready();
  return run_engine_self_test(*s);
}

kzg::Result<std::shared_ptr<const kzg::KzgSettings>> load_kzg_settings(const ServiceConfig::Setup& setup,
                                                                       kzg::TableCacheOutcome& outcome) {
  kzg::KzgSettingsOptions options;
  options.cell_proofs = setup.cell_proofs;
  options.fixed_base_msm = setup.fixed_base_msm;
  return kzg::load_kzg_settings_cached_from(setup.path, options, setup.table_cache, outcome);
}

}  // namespace kzgd
