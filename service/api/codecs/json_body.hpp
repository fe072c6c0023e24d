// Parsing request bodies as JSON, with errors a client can act on (what and where).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "engine/common/result.hpp"

namespace kzgd {

inline constexpr std::size_t kAnyRequestCount = static_cast<std::size_t>(-1);

// The body as a JSON value; error code "invalid_json", field "body", message with the byte offset. With
// max_requests, an object whose "requests" array is longer is refused ("batch_too_large", field "requests")
// before any of it is converted.
kzg::Result<nlohmann::json> parse_json_body(std::string_view body, std::size_t max_requests = kAnyRequestCount);

// What this thread's parser keeps allocated between requests (0 when it has none): at most about 14 times
// 2 MiB, whatever the largest body was.
std::size_t json_parser_retained_bytes();

}  // namespace kzgd
