// Parsing request bodies as JSON, with errors a client can act on (what and where).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/result.hpp"

namespace kzgd {

// The body as a JSON value; error code "invalid_json", field "body", message with the byte offset.
kzg::Result<nlohmann::json> parse_json_body(std::string_view body);

}  // namespace kzgd
