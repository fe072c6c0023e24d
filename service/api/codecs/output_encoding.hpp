// Encoding an operation's outcome for the wire: {"output": ...} JSON, or raw bytes for
// Accept: application/octet-stream (a byte-string output as its bytes, a boolean as one byte 0x00 or 0x01).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "service/api/codecs/responses.hpp"
#include "service/api/operation_backend.hpp"

namespace kzgd {

// The raw bytes of an output, or nullopt when it has no binary form (lists, pairs, ...).
std::optional<std::string> binary_output(const nlohmann::json& output);

// The whole answer to one operation.
HttpResponse outcome_response(const Outcome& outcome, bool binary_wanted, unsigned version);

// One item of a batch answer: {"output": ...} or {"output": null, "error": {...}}.
nlohmann::json outcome_json(Outcome&& outcome);

}  // namespace kzgd
