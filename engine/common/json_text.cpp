#include "engine/common/json_text.hpp"

#include <malloc.h>
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace kzg {
namespace {

using nlohmann::json;

// The element as a T, which its type says it is (the document is valid by now).
template <class T>
T read(simdjson::dom::element element) {
  T value{};
  if (element.get(value) != simdjson::SUCCESS) return T{};
  return value;
}

// `duplicate` receives the first key repeated in one object.
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
      const auto items = read<simdjson::dom::array>(element);
      array.get_ref<json::array_t&>().reserve(items.size());
      for (const simdjson::dom::element item : items) array.push_back(to_nlohmann(item, duplicate));
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

Error invalid_json(const std::string& why) {
  return make_error(ErrorCode::invalid_json, "the body is not valid JSON: " + why, "body");
}

Error duplicate_key(const std::string& key) {
  return make_error(ErrorCode::invalid_json, "the key \"" + key + "\" appears twice in one object", "body");
}

// nlohmann's parser, for the integers simdjson refuses.
Result<json> parse_with_nlohmann(std::string_view text, std::size_t max_depth) {
  try {
    // One set of keys per open object, to refuse a repeated key as the simdjson path does.
    std::vector<std::set<std::string>> open;
    std::optional<std::string> duplicate;
    std::size_t depth = 0;
    bool too_deep = false;
    json parsed = json::parse(text, [&](int level, json::parse_event_t event, json& value) {
      depth = std::max(depth, static_cast<std::size_t>(level));
      if (depth > max_depth) too_deep = true;
      if (event == json::parse_event_t::object_start) open.emplace_back();
      if (event == json::parse_event_t::object_end && !open.empty()) open.pop_back();
      if (event == json::parse_event_t::key && !open.empty() && !open.back().insert(value.get<std::string>()).second &&
          !duplicate)
        duplicate = value.get<std::string>();
      return !too_deep;
    });
    if (too_deep) return invalid_json("nesting deeper than " + std::to_string(max_depth) + " levels");
    if (duplicate) return duplicate_key(*duplicate);
    return parsed;
  } catch (const json::exception& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; the rest is the useful part.
    std::string what = e.what();
    if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    return invalid_json(what);
  }
}

// This thread's parser. It keeps its buffers from document to document, which saves allocating (and faulting in)
// them each time; after a document larger than the caller's retain_bytes it is dropped, so one large body cannot
// pin hundreds of megabytes per thread for ever.
thread_local std::unique_ptr<simdjson::dom::parser> t_parser;

// A word with every byte equal to b.
constexpr std::uint64_t repeat(std::uint8_t b) { return 0x0101010101010101ull * b; }

// True when no byte of the 8 needs escaping or UTF-8 decoding: each is printable ASCII other than '"' and '\'.
bool plain_word(std::uint64_t w) {
  constexpr std::uint64_t kHigh = repeat(0x80);
  const auto has_zero = [](std::uint64_t x) { return (x - repeat(0x01)) & ~x & kHigh; };
  const std::uint64_t below_space = (w - repeat(0x20)) & ~w & kHigh;  // a byte < 0x20 (exact when no high bit)
  return ((w & kHigh) | below_space | has_zero(w ^ repeat('"')) | has_zero(w ^ repeat('\\'))) == 0;
}

bool plain_string(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (!plain_word(w)) return false;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

void append_string(std::string& out, const std::string& s) {
  if (plain_string(s)) {
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::size_t json_parser_retained_bytes() { return t_parser ? t_parser->capacity() : 0; }

namespace {

// `padded`: the text is followed by SIMDJSON_PADDING readable bytes, so simdjson reads it in place.
Result<json> parse(std::string_view text, bool padded, const JsonTextLimits& limits) {
  if (!t_parser || t_parser->max_depth() != limits.max_depth) {
    auto fresh = std::make_unique<simdjson::dom::parser>();
    // Capacity grows to the document being parsed (bounded by the caller's size limit); the depth limit stays.
    if (fresh->allocate(std::size_t{1} << 20, limits.max_depth) != simdjson::SUCCESS)
      return make_error(ErrorCode::resource_exhausted, "could not allocate the JSON parser", "body");
    t_parser = std::move(fresh);
  }
  // Whatever the outcome, a parser grown past the retained size is released with its buffers.
  struct Shrink {
    std::size_t retain;
    ~Shrink() {
      if (t_parser && t_parser->capacity() > retain) {
        t_parser.reset();
        malloc_trim(0);  // hand the large blocks back to the system now, not at some later free
      }
    }
  } shrink{limits.retain_bytes};
  simdjson::dom::parser& parser = *t_parser;
  simdjson::dom::element root;
  // Without padding, the text is copied into a padded buffer, as simdjson reads a little past the end.
  const auto error = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(root);
  // A batch is counted before any item is built: a 100,000-item body is refused for its count alone.
  if (error == simdjson::SUCCESS && limits.max_requests != static_cast<std::size_t>(-1) && root.is_object()) {
    simdjson::dom::array requests;
    if (root["requests"].get(requests) == simdjson::SUCCESS && requests.size() > limits.max_requests)
      return make_error(ErrorCode::batch_too_large,
                        "the batch has " + std::to_string(requests.size()) + " requests; at most " +
                            std::to_string(limits.max_requests) + " are accepted",
                        "requests");
  }
  switch (error) {
    case simdjson::SUCCESS: {
      std::optional<std::string> duplicate;
      json converted = to_nlohmann(root, duplicate);
      if (duplicate) return duplicate_key(*duplicate);
      return converted;
    }
    // simdjson refuses integers beyond 64 bits as number errors, where JSON allows them: nlohmann decides those
    // (reading such integers as doubles, refusing what is really malformed).
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return parse_with_nlohmann(text, limits.max_depth);
    case simdjson::DEPTH_ERROR:
      return invalid_json("nesting deeper than " + std::to_string(limits.max_depth) + " levels");
    case simdjson::MEMALLOC:
      return make_error(ErrorCode::resource_exhausted, "out of memory parsing the body", "body");
    default:
      return invalid_json(simdjson::error_message(error));
  }
}

}  // namespace

Result<json> parse_json_text(std::string_view text, const JsonTextLimits& limits) { return parse(text, false, limits); }

Result<json> parse_json_text(std::string& text, const JsonTextLimits& limits) {
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  return parse(text, true, limits);
}

void append_json_text(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append_json_text(out, item);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, item);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    default:  // numbers, booleans, null, discarded: short, and exactly as dump writes them
      out += value.dump(-1, ' ', false, json::error_handler_t::replace);
      return;
  }
}

std::string json_text(const json& value) {
  std::string out;
  append_json_text(out, value);
  return out;
}

}  // namespace kzg
