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

#include "api/dispatch.hpp"

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
  // Runs an operation on a binary body already split by its layout (api/binary_layout.hpp); the output is
  // encoded as by run(). Called on worker threads, concurrently; never throws.
  virtual Outcome run_binary(std::string_view operation, const BinaryInput& input) const = 0;
  // A known-answer test of the backend's computations (GET /debug/health, and once at start-up before the
  // backend becomes ready): nullopt when it passed, else what failed. Backends without one fail it.
  virtual std::optional<kzg::Error> self_test() const {
    return kzg::make_error("no_self_test", "this backend has no self-test");
  }
};

}  // namespace kzgd
