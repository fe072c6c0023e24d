// A blocking HTTP/1.1 client on libcurl, for the few places kzgd and the kzg tool call out: the OTLP trace
// export and the tool's diag and health-check commands. http:// and https:// only (no redirects followed), one
// deadline for the whole exchange, a cap on the answer's size, and for https:// the peer verified against the
// system's CAs or a CA file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kzgd {

// An http:// or https:// URL split into its parts: "SCHEME://HOST[:PORT][/PATH]", the host an IPv6 literal in
// brackets or anything else up to the last ':'. What a host may hold is left to the caller.
struct HttpUrl {
  bool tls = false;         // https://
  std::string host;         // without the brackets of an IPv6 literal
  std::uint16_t port = 80;  // 80 or 443 when the URL names none
  std::string path;         // from the first '/' after the host on; empty when there is none

  // "https://host:port", an IPv6 host in brackets.
  std::string origin() const;
};

// The parts, or nullopt with `why` set (no scheme, an unclosed '[', an empty host, a port outside 1 to 65535).
std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& why);

struct HttpClientOptions {
  std::string ca_file;  // PEM CA certificates for https:// peers; empty: the system's store
  std::chrono::milliseconds timeout{10000};
  std::size_t max_answer_bytes = 16u << 20;
};

struct HttpClientAnswer {
  unsigned status = 0;  // 0: no answer (error says why)
  std::string body;
  std::string error;
};

// method "GET" or "POST"; headers as "Name: value" lines; body sent only with POST.
HttpClientAnswer http_client_call(std::string_view method, const std::string& url,
                                  const std::vector<std::string>& headers, const std::string& body,
                                  const HttpClientOptions& options);

}  // namespace kzgd
