// The collector's address, tracing.endpoint: "http://HOST[:PORT][/PATH]" (port 80 and path /v1/traces when
// left out, as OTLP/HTTP prescribes). Plain HTTP only: a collector is normally a local agent or sidecar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kzgd {

struct CollectorUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/v1/traces";
};

// The parts, or what is wrong with the text.
std::optional<CollectorUrl> parse_collector_url(std::string_view text, std::string* why = nullptr);

}  // namespace kzgd
