// A small blocking HTTP/1.1 GET for `kzg diag` and `kzg health-check` (Boost.Beast), with one deadline for
// the whole exchange and a cap on the answer's size.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kzg::tool {

struct ServerUrl {
  std::string host;
  std::uint16_t port = 80;
};

// "http://HOST[:PORT]" with an optional trailing "/", or nullopt with why set.
std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& why);

struct HttpAnswer {
  unsigned status = 0;  // 0: no answer (error says why)
  std::string body;
  std::string error;
};

HttpAnswer http_get(const ServerUrl& server, const std::string& target,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace kzg::tool
