// Exchange: one request on its way through the API's filters (access log, limits, router) to an endpoint.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/http_server.hpp"
#include "tracing/span_context.hpp"

namespace kzgd {

// What the access log and the metrics report about a request; filled in along the way.
struct AccessRecord {
  std::string request_id;
  std::string method;
  std::string path;
  std::string operation = "unknown";  // metrics label: a spec function, batch, health, ready, metrics or unknown
  std::string client;
  std::chrono::steady_clock::time_point received;
  std::size_t bytes_in = 0;
  // Tracing: the request's own span, its parent from the client's traceparent, and its start (unix ns).
  SpanContext trace;
  std::optional<SpanId> parent_span_id;
  std::uint64_t start_unix_nanos = 0;
};

struct Exchange {
  HttpRequest request;
  RequestInfo info;
  std::shared_ptr<AccessRecord> record;
  Responder respond;  // answers exactly once, from any thread

  unsigned version() const { return request.version(); }
};

}  // namespace kzgd
