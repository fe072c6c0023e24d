// The collector's address, tracing.endpoint: "http://HOST[:PORT][/PATH]" or "https://HOST[:PORT][/PATH]" (port 80
// or 443 and path /v1/traces when left out, as OTLP/HTTP prescribes). HTTPS verifies the collector against the
// system's CAs or tracing.ca_file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kzgd {

struct CollectorUrl {
  bool tls = false;  // https://
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/v1/traces";

  // The whole URL, every default filled in ("https://[::1]:4318/v1/traces").
  std::string text() const;
};

// The parts, or what is wrong with the text.
std::optional<CollectorUrl> parse_collector_url(std::string_view text, std::string* why = nullptr);

}  // namespace kzgd
