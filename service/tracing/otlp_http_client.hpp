// One OTLP/HTTP export: POST of a JSON body to the collector (http:// or https://), everything (resolve, connect,
// TLS handshake, write, read) within one deadline. Blocking: only the exporter's own thread calls it.
#pragma once

#include <chrono>
#include <string>

#include "service/tracing/collector_url.hpp"

namespace kzgd {

struct ExportResult {
  bool ok = false;         // a 2xx answer
  bool retryable = false;  // worth another try: no answer, a timeout, 429, 502, 503 or 504
  unsigned status = 0;     // the HTTP status, 0 when none came
  std::string error;       // what went wrong
};

// ca_file: PEM CAs the collector's certificate is verified against (https://); empty: the system's store.
ExportResult post_otlp_json(const CollectorUrl& url, const std::string& body, std::chrono::milliseconds timeout,
                            const std::string& ca_file = {});

}  // namespace kzgd
