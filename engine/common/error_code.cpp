#include "engine/common/error_code.hpp"

#include <ostream>

namespace kzg {

std::optional<ErrorCode> parse_error_code(std::string_view name) {
  for (const ErrorCode code : kAllErrorCodes)
    if (to_string(code) == name) return code;
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << to_string(code); }

}  // namespace kzg
