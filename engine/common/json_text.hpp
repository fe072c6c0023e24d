// JSON text in and out, fast enough that a blob's 262,146-character hex string costs about a copy: the one codec
// behind `kzg eval`, the kzgd HTTP API (single operations and /v1/batch) and whatever speaks JSON next.
//
// Parsing validates the whole text with simdjson (one vectorized pass: grammar, UTF-8, depth) and builds the
// nlohmann value the operations read, copying each string in one piece. nlohmann's own lexer appends a string
// one character at a time, which made a blob's JSON cost more than verifying it. Writing copies every string
// that needs no escaping (hex always) in one piece, where nlohmann's dump decodes UTF-8 byte by byte; the
// output is byte for byte what dump(-1, ' ', false, error_handler_t::replace) writes.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"

namespace kzg {

struct JsonTextLimits {
  // Deeper nesting is refused; it also bounds the recursion of building the value.
  std::size_t max_depth = 64;
  // With a value, a top-level object whose "requests" array is longer is refused (error code batch_too_large,
  // field "requests") before any of it is built.
  std::size_t max_requests = static_cast<std::size_t>(-1);
  // This thread's parser keeps its buffers (about 14 times the document's size) for the next document when the
  // document was at most this large, and frees them otherwise: a server's worker keeps little for ever, a
  // command-line loop of 64-blob batches does not fault in a few hundred megabytes for every line.
  std::size_t retain_bytes = std::size_t{2} << 20;
};

// The text as a JSON value. Errors: invalid_json (field "body", the reason), also for a key repeated in one
// object (a proxy that keeps the other copy would see another request); batch_too_large; resource_exhausted.
// Integers beyond 64 bits, valid JSON that simdjson refuses, are read by nlohmann's parser instead.
Result<nlohmann::json> parse_json_text(std::string_view text, const JsonTextLimits& limits = {});
// The same for text the caller owns: its capacity is grown by the parser's padding, so the text is read where it
// is instead of being copied first (a 64-blob batch is 17 MB).
Result<nlohmann::json> parse_json_text(std::string& text, const JsonTextLimits& limits = {});

// What this thread's parser keeps allocated between documents (0 when it has none): at most about 14 times the
// largest retain_bytes it was called with.
std::size_t json_parser_retained_bytes();

// Appends the value as compact JSON text (no spaces), as nlohmann's dump with error_handler_t::replace would.
void append_json_text(std::string& out, const nlohmann::json& value);
std::string json_text(const nlohmann::json& value);

}  // namespace kzg
