#include "tests/service/support/test_backend.hpp"

#include <thread>

namespace kzgd::testing {
namespace {

std::string hex(std::span<const std::uint8_t> bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (auto b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

std::optional<std::vector<std::uint8_t>> unhex(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() < 2 || s.size() % 2 != 0 || s.compare(0, 2, "0x") != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 2; i < s.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}

std::vector<std::uint8_t> plus_one(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> out(bytes.begin(), bytes.end());
  for (auto& b : out) b = static_cast<std::uint8_t>(b + 1);
  return out;
}

// Counts concurrent calls.
struct RunningScope {
  std::atomic<int>& running;
  RunningScope(std::atomic<int>& r, std::atomic<int>& max) : running(r) {
    const int now = ++running;
    int seen = max.load();
    while (now > seen && !max.compare_exchange_weak(seen, now)) {
    }
  }
  ~RunningScope() { --running; }
};

}  // namespace

std::string fake_commitment_hex(std::span<const std::uint8_t> blob) { return hex(blob.first(48)); }
std::string fake_proof_hex(std::span<const std::uint8_t> commitment) { return hex(plus_one(commitment)); }

TestBackend::TestBackend()
    : names_{"echo",
             "fail",
             "block",
             "sleep",
             "blob_to_kzg_commitment",
             "compute_blob_kzg_proof",
             "verify_blob_kzg_proof"} {}

TestBackend::~TestBackend() { release(); }

void TestBackend::release() {
  std::lock_guard lock(mutex_);
  released_ = true;
  changed_.notify_all();
}

bool TestBackend::wait_blocked(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return blocked_ >= n; });
}

Outcome TestBackend::run(std::string_view operation, const nlohmann::json& input) const {
  RunningScope scope(running_, max_running_);
  if (operation == "echo") return {input, std::nullopt};
  if (operation == "fail") return {nullptr, kzg::make_error(kzg::ErrorCode::invalid_input, "the test says no", "x")};
  if (operation == "block") {
    std::unique_lock lock(mutex_);
    ++blocked_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_; });
    return {true, std::nullopt};
  }
  if (operation == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(input.value("ms", 0)));
    return {input.value("id", nlohmann::json(nullptr)), std::nullopt};
  }
  BinaryInput parts;
  std::vector<std::vector<std::uint8_t>> storage;
  for (const char* name : {"blob", "commitment", "proof"}) {
    if (!input.contains(name)) continue;
    auto bytes = unhex(input[name]);
    if (!bytes) return {nullptr, kzg::make_error(kzg::ErrorCode::invalid_hex, "expected 0x-hex", name)};
    storage.push_back(std::move(*bytes));
  }
  std::size_t k = 0;
  for (const char* name : {"blob", "commitment", "proof"})
    if (input.contains(name)) parts.fields.emplace_back(name, storage[k++]);
  return run_fake_crypto(operation, parts);
}

Outcome TestBackend::run_binary(std::string_view operation, const BinaryInput& input) const {
  RunningScope scope(running_, max_running_);
  return run_fake_crypto(operation, input);
}

Outcome TestBackend::run_fake_crypto(std::string_view operation, const BinaryInput& input) const {
  const auto blob = input.field("blob");
  if (blob.size() != 131072)
    return {nullptr, kzg::make_error(kzg::ErrorCode::invalid_length, "expected 131072 bytes", "blob")};
  if (operation == "blob_to_kzg_commitment") return {fake_commitment_hex(blob), std::nullopt};
  const auto commitment = input.field("commitment");
  if (commitment.size() != 48)
    return {nullptr, kzg::make_error(kzg::ErrorCode::invalid_length, "expected 48 bytes", "commitment")};
  if (operation == "compute_blob_kzg_proof") return {fake_proof_hex(commitment), std::nullopt};
  const auto proof = input.field("proof");
  if (proof.size() != 48)
    return {nullptr, kzg::make_error(kzg::ErrorCode::invalid_length, "expected 48 bytes", "proof")};
  const auto expected = plus_one(commitment);
  return {std::equal(expected.begin(), expected.end(), proof.begin(), proof.end()), std::nullopt};
}

std::optional<kzg::Error> TestBackend::self_test() const {
  ++self_test_runs_;
  std::vector<std::uint8_t> blob(48);
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<std::uint8_t>(self_test_broken_ ? i + 1 : i);
  const std::string expected =
      "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f";
  if (fake_commitment_hex(blob) != expected)
    return kzg::make_error(kzg::ErrorCode::self_test_failed, "fake commitment mismatch");
  return std::nullopt;
}

}  // namespace kzgd::testing
