#include "api/json_body.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kzgd {
namespace {

using nlohmann::json;

// Deeper nesting than any operation's input needs is refused; it also bounds the conversion's recursion.
constexpr std::size_t kMaxDepth = 64;

// simdjson validates the whole document (grammar, UTF-8, number ranges) in one vectorized pass, and its
// strings come out as views that are copied in one piece. nlohmann's own lexer appends string characters one by
// one, which dominated the cost of a request whose body is a 262146-character blob.

// The element as a T, which its type says it is (the document is valid by now).
template <class T>
T read(simdjson::dom::element element) {
  T value{};
  if (element.get(value) != simdjson::SUCCESS) return T{};
  return value;
}

json to_nlohmann(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      json object = json::object();
      for (const simdjson::dom::key_value_pair field : read<simdjson::dom::object>(element))
        object[std::string(field.key)] = to_nlohmann(field.value);  // a repeated key: the last one wins
      return object;
    }
    case element_type::ARRAY: {
      json array = json::array();
      for (const simdjson::dom::element item : read<simdjson::dom::array>(element)) array.push_back(to_nlohmann(item));
      return array;
    }
    case element_type::STRING: return std::string(read<std::string_view>(element));
    case element_type::INT64: return read<std::int64_t>(element);
    case element_type::UINT64: return read<std::uint64_t>(element);
    case element_type::DOUBLE: return read<double>(element);
    case element_type::BOOL: return read<bool>(element);
    case element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

kzg::Error invalid_json(const std::string& why) {
  return kzg::make_error("invalid_json", "the body is not valid JSON: " + why, "body");
}

// nlohmann's parser, for numbers simdjson refuses (see below).
kzg::Result<json> parse_with_nlohmann(std::string_view body) {
  try {
    return json::parse(body);
  } catch (const json::exception& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; the rest is the useful part.
    std::string what = e.what();
    if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    return invalid_json(what);
  }
}

}  // namespace

kzg::Result<nlohmann::json> parse_json_body(std::string_view body) {
  // One parser per thread: it keeps its buffers (sized to the largest body seen) from request to request.
  thread_local simdjson::dom::parser parser;
  thread_local bool configured = false;
  if (!configured) {
    // Capacity grows to the largest body seen (bounded by limits.max_body_bytes); the depth limit stays.
    if (parser.allocate(std::size_t{1} << 20, kMaxDepth) != simdjson::SUCCESS)
      return kzg::make_error("internal", "could not allocate the JSON parser", "body");
    configured = true;
  }
  simdjson::dom::element root;
  // realloc_if_needed: the body is copied into a padded buffer, as simdjson reads a little past the end.
  const auto error = parser.parse(body.data(), body.size(), /*realloc_if_needed=*/true).get(root);
  switch (error) {
    case simdjson::SUCCESS: return to_nlohmann(root);
    // simdjson 3.0 refuses integers beyond 64 bits as number errors, where JSON allows them: nlohmann decides
    // those (reading such integers as doubles, refusing what is really malformed).
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE: return parse_with_nlohmann(body);
    case simdjson::DEPTH_ERROR: return invalid_json("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    case simdjson::MEMALLOC: return kzg::make_error("internal", "out of memory parsing the body", "body");
    default: return invalid_json(simdjson::error_message(error));
  }
}

}  // namespace kzgd
