#include "service/tracing/otlp_http_client.hpp"

#include "service/net/http_client.hpp"

namespace kzgd {

ExportResult post_otlp_json(const CollectorUrl& url, const std::string& body, std::chrono::milliseconds timeout,
                            const std::string& ca_file) {
  HttpClientOptions options;
  options.ca_file = ca_file;
  options.timeout = timeout;
  options.max_answer_bytes = 1u << 20;  // a collector's answer is small
  const HttpClientAnswer a = http_client_call("POST", url.text(), {"Content-Type: application/json"}, body, options);
  ExportResult result;
  result.status = a.status;
  if (a.status == 0) {
    result.retryable = true;
    result.error = a.error;
    return result;
  }
  result.ok = a.status >= 200 && a.status < 300;
  result.retryable = a.status == 429 || a.status == 502 || a.status == 503 || a.status == 504;
  if (!result.ok) result.error = "the collector answered " + std::to_string(a.status);
  return result;
}

}  // namespace kzgd
