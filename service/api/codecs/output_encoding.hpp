// Encoding an operation's outcome for the wire: {"output": ...} JSON, or raw bytes for
// Accept: application/octet-stream: a boolean as one byte 0x00 or 0x01, a byte string as its bytes, and a list
// of byte strings, or a pair of such lists, as all of their bytes in order (compute_cells: the 128 cells,
// 262144 bytes; compute_cells_and_kzg_proofs: the cells, then the 128 proofs, 268288 bytes).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "service/api/codecs/responses.hpp"
#include "service/api/operation_backend.hpp"

namespace kzgd {

// The raw bytes of an output, or nullopt when it has no binary form (numbers, lists of numbers, ...).
std::optional<std::string> binary_output(const nlohmann::json& output);

// The whole answer to one operation.
HttpResponse outcome_response(const Outcome& outcome, bool binary_wanted, unsigned version);

// One item of a batch answer: {"output": ...} or {"output": null, "error": {...}}.
nlohmann::json outcome_json(Outcome&& outcome);

}  // namespace kzgd
