// A blocking HTTP/1.1 client on libcurl, for the few places kzgd and the kzg tool call out: the OTLP trace
// export and the tool's diag and health-check commands. http:// and https:// only (no redirects followed), one
// deadline for the whole exchange, a cap on the answer's size, and for https:// the peer verified against the
// system's CAs or a CA file.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kzgd {

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
