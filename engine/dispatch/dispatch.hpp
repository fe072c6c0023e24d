// JSON operation dispatch: one entry point that takes a spec function name and its `input` object,
// encoded exactly as in the consensus-spec test vectors, and returns the `output` value in the same
// encoding. Shared by `kzg eval`, the kzgd HTTP API and the tests.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/kzg/settings.hpp"

namespace kzg::api {

// An operation's name; what the service makes of it (permission, cost, deadline) is the service's business
// (service/catalogue/operation_catalogue.hpp).
struct OperationInfo {
  std::string name;  // spec function name, e.g. "verify_blob_kzg_proof"
};

// Every operation dispatch() knows, in a stable order.
const std::vector<OperationInfo>& operations();
const OperationInfo* find_operation(std::string_view name);

struct Outcome {
  nlohmann::json output;       // null when error is set
  std::optional<Error> error;  // set when the spec function would raise, or the input is malformed
};

// Never throws on any input; unknown operations give error code "unknown_operation". The operations that can use
// threads (the two batch verifications, compute_cells_and_kzg_proofs and recover_cells_and_kzg_proofs) use up to
// `threads` (0 counts as 1).
Outcome dispatch(const KzgSettings& settings, std::string_view op, const nlohmann::json& input, unsigned threads = 1);

}  // namespace kzg::api
