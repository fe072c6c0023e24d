// EngineBackend: the product's OperationBackend, the KZG engine. JSON inputs go through the engine's
// dispatch (engine/dispatch/dispatch.hpp); binary bodies call the spec functions directly on views of the body.
// It becomes ready when its settings are set, so the server can listen while the setup loads.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/kzg/settings.hpp"
#include "engine/kzg/table_cache.hpp"
#include "service/api/operation_backend.hpp"
#include "service/service_config.hpp"

namespace kzgd {

class EngineBackend : public OperationBackend {
 public:
  // engine_threads: the threads one request may use (workers.engine_threads; kzg::api::dispatch).
  explicit EngineBackend(unsigned engine_threads = 1);

  // Makes the backend ready; later calls are ignored.
  void set_settings(std::shared_ptr<const kzg::KzgSettings> settings);

  const std::vector<std::string>& operations() const override { return names_; }
  bool ready() const override { return settings_.load(std::memory_order_acquire) != nullptr; }
  Outcome run(std::string_view operation, const nlohmann::json& input) const override;
  Outcome run_binary(std::string_view operation, const BinaryInput& input) const override;
  // verify_kzg_proof, verify_blob_kzg_proof and verify_cell_kzg_proof_batch: the requests' claims are checked
  // together by one random linear combination; when that check fails it is split in halves down to the false
  // requests, and a request whose input does not decode is run alone, so every request gets exactly the answer
  // it would get by itself.
  bool runs_together(std::string_view operation) const override;
  std::vector<Outcome> run_together(std::string_view operation, std::span<const OperationInput> inputs) const override;
  // SHA-256 of the setup's points (compressed): G1 Lagrange, G1 monomial, G2 monomial.
  std::span<const std::uint8_t> setup_fingerprint() const override;
  // The known-answer test of engine_self_test.hpp on the current settings.
  std::optional<kzg::Error> self_test() const override;

 private:
  std::vector<Outcome> run_cell_batches_together(std::span<const OperationInput> inputs,
                                                 const kzg::KzgSettings& s) const;

  std::vector<std::string> names_;
  unsigned engine_threads_ = 1;
  std::mutex owner_mutex_;
  std::shared_ptr<const kzg::KzgSettings> owner_;
  std::array<std::uint8_t, 32> fingerprint_{};  // written before settings_ is published
  std::atomic<const kzg::KzgSettings*> settings_{nullptr};
};

// The settings the setup.* keys describe: setup.path's setup (c-kzg text or ceremony JSON), or the embedded
// mainnet setup when empty, with the precomputed tables setup.cell_proofs and setup.fixed_base_msm ask for,
// mapped from setup.table_cache when that file holds them (`outcome` says what happened to the file).
kzg::Result<std::shared_ptr<const kzg::KzgSettings>> load_kzg_settings(const ServiceConfig::Setup& setup,
                                                                       kzg::TableCacheOutcome& outcome);

}  // namespace kzgd
