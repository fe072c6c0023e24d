// TestBackend: a deterministic stand-in for the KZG engine (a test double; the product uses EngineBackend).
//
//   echo                     output = the input object
//   fail                     error {"code": "invalid_input", "field": "x"}
//   block                    waits until release() (or the backend is destroyed), then outputs true
//   sleep                    sleeps input.ms milliseconds, outputs input.id (for ordering and parallelism)
//   blob_to_kzg_commitment   fake: "0x" + hex of the blob's first 48 bytes (JSON "blob" or binary body)
//   compute_blob_kzg_proof   fake: hex of the commitment with every byte + 1
//   verify_blob_kzg_proof    fake: true when proof == commitment with every byte + 1
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "service/api/operation_backend.hpp"

namespace kzgd::testing {

class TestBackend : public OperationBackend {
 public:
  TestBackend();
  ~TestBackend() override;

  const std::vector<std::string>& operations() const override { return names_; }
  bool ready() const override { return ready_.load(); }
  Outcome run(std::string_view operation, const nlohmann::json& input) const override;
  Outcome run_binary(std::string_view operation, const BinaryInput& input) const override;
  // Known answer of the fake crypto: the fake commitment of bytes 0, 1, ..., 47, unless set_self_test_broken.
  std::optional<kzg::Error> self_test() const override;
  void set_self_test_broken(bool broken) { self_test_broken_ = broken; }
  int self_test_runs() const { return self_test_runs_.load(); }

  void set_ready(bool ready) { ready_ = ready; }
  // Lets every blocked (and future) "block" call finish.
  void release();
  // Waits until at least n "block" calls have started; false on timeout.
  bool wait_blocked(int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // The most operations that ran at the same time.
  int max_concurrency() const { return max_running_.load(); }

 private:
  Outcome run_fake_crypto(std::string_view operation, const BinaryInput& input) const;

  std::vector<std::string> names_;
  std::atomic<bool> ready_{true};
  std::atomic<bool> self_test_broken_{false};
  mutable std::atomic<int> self_test_runs_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable int blocked_ = 0;
  bool released_ = false;
  mutable std::atomic<int> running_{0};
  mutable std::atomic<int> max_running_{0};
};

// The fake crypto's encodings, for assertions.
std::string fake_commitment_hex(std::span<const std::uint8_t> blob);
std::string fake_proof_hex(std::span<const std::uint8_t> commitment);

}  // namespace kzgd::testing
