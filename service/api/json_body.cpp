#include "api/json_body.hpp"

#include <string>

namespace kzgd {

kzg::Result<nlohmann::json> parse_json_body(std::string_view body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    // Syntax errors and out-of-range numbers. e.what() starts with "[json.exception.parse_error.101] "; the
    // rest is the useful part.
    std::string what = e.what();
    if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    return kzg::make_error("invalid_json", "the body is not valid JSON: " + what, "body");
  }
}

}  // namespace kzgd
