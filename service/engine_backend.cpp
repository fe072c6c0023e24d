#include "engine_backend.hpp"

#include "common/hex.hpp"
#include "engine_self_test.hpp"
#include "kzg/eip4844.hpp"
#include "setup/trusted_setup.hpp"

namespace kzgd {
namespace {

kzg::Error not_ready() { return kzg::make_error("not_ready", "the trusted setup is still loading"); }

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
    return from(
        kzg::verify_blob_kzg_proof(input.field("blob"), input.field("commitment"), input.field("proof"), *s));
  return {nullptr, kzg::make_error("unsupported_media_type",
                                   std::string(operation) + " has no application/octet-stream form", "body")};
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
