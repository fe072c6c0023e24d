#include "service/api/codecs/json_body.hpp"

#include "engine/common/json_text.hpp"

namespace kzgd {

// The engine's codec (engine/common/json_text.hpp) parses; the service adds which setting bounds a batch.
std::size_t json_parser_retained_bytes() { return kzg::json_parser_retained_bytes(); }

kzg::Result<nlohmann::json> parse_json_body(std::string_view body, std::size_t max_requests) {
  auto parsed = kzg::parse_json_text(body, {.max_requests = max_requests});
  if (!parsed && parsed.error().code == kzg::ErrorCode::batch_too_large) {
    kzg::Error e = parsed.error();
    e.message += " (limits.max_batch_items)";
    return e;
  }
  return parsed;
}

}  // namespace kzgd
