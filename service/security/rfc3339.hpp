// RFC 3339 date-times ("2027-01-31T23:59:59Z", "2027-01-31T23:59:59.5+02:00"), as used for key expiry.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kzgd {

using SystemTime = std::chrono::system_clock::time_point;

// The instant, or nullopt unless the text is a full RFC 3339 date-time with a zone (Z or +-HH:MM).
std::optional<SystemTime> parse_rfc3339(std::string_view text);
// UTC, whole seconds: "2027-01-31T23:59:59Z".
std::string format_rfc3339(SystemTime time);

}  // namespace kzgd
