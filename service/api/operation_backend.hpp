// OperationBackend: what the HTTP API runs. The product wires the KZG engine (engine_backend.hpp); tests inject
// small deterministic doubles, so the server is tested without the crypto.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/dispatch/dispatch.hpp"

namespace kzgd {

using kzg::api::Outcome;

// The parts of an application/octet-stream body, by spec parameter name, viewing the request body.
struct BinaryInput {
  std::vector<std::pair<std::string_view, std::span<const std::uint8_t>>> fields;

  std::span<const std::uint8_t> field(std::string_view name) const {
    for (const auto& [n, bytes] : fields)
      if (n == name) return bytes;
    return {};
  }
};

// One request's input for run_together: its JSON input object or its split binary body (one of the two).
struct OperationInput {
  const nlohmann::json* json = nullptr;
  const BinaryInput* binary = nullptr;
};

class OperationBackend {
 public:
  virtual ~OperationBackend() = default;

  // The spec function names served as POST /v1/<name>, in a stable order.
  virtual const std::vector<std::string>& operations() const = 0;
  // False until the backend can run operations (the trusted setup is loaded).
  virtual bool ready() const = 0;
  // Runs an operation on its JSON input object (consensus-spec test vector encoding). Called on worker
  // threads, concurrently; never throws.
  virtual Outcome run(std::string_view operation, const nlohmann::json& input) const = 0;
  // Runs an operation on a binary body already split by its layout (service/api/codecs/binary_layout.hpp); the output
  // is encoded as by run(). Called on worker threads, concurrently; never throws.
  virtual Outcome run_binary(std::string_view operation, const BinaryInput& input) const = 0;

  // True when run_together does several requests of this operation for less than one by one.
  virtual bool runs_together(std::string_view /*operation*/) const { return false; }
  // Runs several independent requests of one operation; one outcome per input, in order, each the outcome
  // run() or run_binary() would give that input alone. The default runs them one by one.
  virtual std::vector<Outcome> run_together(std::string_view operation, std::span<const OperationInput> inputs) const {
    std::vector<Outcome> outcomes;
    outcomes.reserve(inputs.size());
    for (const OperationInput& in : inputs)
      outcomes.push_back(in.binary ? run_binary(operation, *in.binary) : run(operation, *in.json));
    return outcomes;
  }

  // A digest of the trusted setup the answers depend on (the result cache's keys include it); empty until ready,
  // and for backends whose answers must not be cached.
  virtual std::span<const std::uint8_t> setup_fingerprint() const { return {}; }

  // A known-answer test of the backend's computations (GET /debug/health, and once at start-up before the
  // backend becomes ready): nullopt when it passed, else what failed. Backends without one fail it.
  virtual std::optional<kzg::Error> self_test() const {
    return kzg::make_error(kzg::ErrorCode::no_self_test, "this backend has no self-test");
  }
};

}  // namespace kzgd
