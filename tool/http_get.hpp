// A blocking HTTP(S) GET for `kzg diag` and `kzg health-check`, on the shared libcurl client: one deadline for
// the whole exchange, a cap on the answer's size, an optional CA file and API key for a secured kzgd.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kzg::tool {

struct ServerUrl {
  bool tls = false;  // https://
  std::string host;
  std::uint16_t port = 80;

  // "https://host:port", IPv6 hosts in brackets.
  std::string base() const;
};

// "http://HOST[:PORT]" or "https://HOST[:PORT]" with an optional trailing "/", or nullopt with why set.
std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& why);

// How to reach a secured kzgd: the CA file its certificate is checked against, and the API key sent as
// "Authorization: Bearer".
struct ServerAccess {
  std::string ca_file;  // empty: the system's CAs
  std::string api_key;  // empty: none sent
};

// The API key from `key_file` when one is named (its first line, trimmed), else from the environment variable
// KZGD_API_KEY (read through getenv), else empty; nullopt with why set when the file cannot be read, is empty,
// or the key has characters a header cannot carry. Never from a command-line argument, which others can read.
std::optional<std::string> read_api_key(const std::string& key_file,
                                        const std::function<const char*(const char*)>& getenv, std::string& why);

struct HttpAnswer {
  unsigned status = 0;  // 0: no answer (error says why)
  std::string body;
  std::string error;
};

HttpAnswer http_get(const ServerUrl& server, const std::string& target, const ServerAccess& access = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace kzg::tool
