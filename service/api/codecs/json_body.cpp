#include "service/api/codecs/json_body.hpp"

#include <malloc.h>
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

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

// A key repeated in one object is refused: a proxy or client library that keeps the first would see another
// request than kzgd (RFC 8259 leaves the meaning open). `duplicate` receives the first such key.
json to_nlohmann(simdjson::dom::element element, std::optional<std::string>& duplicate) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      json object = json::object();
      for (const simdjson::dom::key_value_pair field : read<simdjson::dom::object>(element)) {
        std::string key(field.key);
        if (object.contains(key)) {
          if (!duplicate) duplicate = std::move(key);
          continue;
        }
        object.emplace(std::move(key), to_nlohmann(field.value, duplicate));
      }
      return object;
    }
    case element_type::ARRAY: {
      json array = json::array();
      for (const simdjson::dom::element item : read<simdjson::dom::array>(element))
        array.push_back(to_nlohmann(item, duplicate));
      return array;
    }
    case element_type::STRING:
      return std::string(read<std::string_view>(element));
    case element_type::INT64:
      return read<std::int64_t>(element);
    case element_type::UINT64:
      return read<std::uint64_t>(element);
    case element_type::DOUBLE:
      return read<double>(element);
    case element_type::BOOL:
      return read<bool>(element);
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

kzg::Error invalid_json(const std::string& why) {
  return kzg::make_error(kzg::ErrorCode::invalid_json, "the body is not valid JSON: " + why, "body");
}

kzg::Error duplicate_key(const std::string& key) {
  return kzg::make_error(kzg::ErrorCode::invalid_json, "the key \"" + key + "\" appears twice in one object", "body");
}

// nlohmann's parser, for numbers simdjson refuses (see below).
kzg::Result<json> parse_with_nlohmann(std::string_view body) {
  try {
    // One set of keys per open object, to refuse a repeated key as the simdjson path does.
    std::vector<std::set<std::string>> open;
    std::optional<std::string> duplicate;
    json parsed = json::parse(body, [&](int, json::parse_event_t event, json& value) {
      if (event == json::parse_event_t::object_start) open.emplace_back();
      if (event == json::parse_event_t::object_end && !open.empty()) open.pop_back();
      if (event == json::parse_event_t::key && !open.empty() && !open.back().insert(value.get<std::string>()).second &&
          !duplicate)
        duplicate = value.get<std::string>();
      return true;
    });
    if (duplicate) return duplicate_key(*duplicate);
    return parsed;
  } catch (const json::exception& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; the rest is the useful part.
    std::string what = e.what();
    if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    return invalid_json(what);
  }
}

// This thread's parser. It keeps its buffers (about 14 times the largest document it parsed) from request to
// request, which saves allocating them each time; after a document larger than kRetainedCapacity it is dropped
// (parse_json_body), so one large body cannot pin hundreds of megabytes per worker for ever.
thread_local std::unique_ptr<simdjson::dom::parser> t_parser;

// The largest document whose buffers a parser keeps: a batch of a few blobs; every single-blob request fits.
constexpr std::size_t kRetainedCapacity = std::size_t{2} << 20;

}  // namespace

std::size_t json_parser_retained_bytes() { return t_parser ? t_parser->capacity() : 0; }

kzg::Result<nlohmann::json> parse_json_body(std::string_view body, std::size_t max_requests) {
  if (!t_parser) {
    auto fresh = std::make_unique<simdjson::dom::parser>();
    // Capacity grows to the body being parsed (bounded by limits.max_body_bytes); the depth limit stays.
    if (fresh->allocate(std::size_t{1} << 20, kMaxDepth) != simdjson::SUCCESS)
      return kzg::make_error(kzg::ErrorCode::resource_exhausted, "could not allocate the JSON parser", "body");
    t_parser = std::move(fresh);
  }
  // Whatever the outcome, a parser grown past the retained size is released with its buffers.
  struct Shrink {
    ~Shrink() {
      if (t_parser && t_parser->capacity() > kRetainedCapacity) {
        t_parser.reset();
        malloc_trim(0);  // hand the large blocks back to the system now, not at some later free
      }
    }
  } shrink;
  simdjson::dom::parser& parser = *t_parser;
  simdjson::dom::element root;
  // realloc_if_needed: the body is copied into a padded buffer, as simdjson reads a little past the end.
  const auto error = parser.parse(body.data(), body.size(), /*realloc_if_needed=*/true).get(root);
  // A batch is counted before any item is built: a 100,000-item body is refused for its count alone.
  if (error == simdjson::SUCCESS && max_requests != kAnyRequestCount && root.is_object()) {
    simdjson::dom::array requests;
    if (root["requests"].get(requests) == simdjson::SUCCESS && requests.size() > max_requests)
      return kzg::make_error(kzg::ErrorCode::batch_too_large,
                             "the batch has " + std::to_string(requests.size()) + " requests; at most " +
                                 std::to_string(max_requests) + " are accepted (limits.max_batch_items)",
                             "requests");
  }
  switch (error) {
    case simdjson::SUCCESS: {
      std::optional<std::string> duplicate;
      json converted = to_nlohmann(root, duplicate);
      if (duplicate) return duplicate_key(*duplicate);
      return converted;
    }
    // simdjson 3.0 refuses integers beyond 64 bits as number errors, where JSON allows them: nlohmann decides
    // those (reading such integers as doubles, refusing what is really malformed).
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return parse_with_nlohmann(body);
    case simdjson::DEPTH_ERROR:
      return invalid_json("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    case simdjson::MEMALLOC:
      return kzg::make_error(kzg::ErrorCode::resource_exhausted, "out of memory parsing the body", "body");
    default:
      return invalid_json(simdjson::error_message(error));
  }
}

}  // namespace kzgd
