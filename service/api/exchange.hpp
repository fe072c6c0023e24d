// Exchange: one request on its way through the API's filters (access log, limits, router) to an endpoint.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "service/http/http_server.hpp"
#include "service/tracing/span_context.hpp"

namespace kzgd {

// What the access log and the metrics report about a request; filled in along the way.
struct AccessRecord {
  std::string request_id;
  std::string method;
  std::string path;
  std::string operation = "unknown";  // metrics label: a spec function, batch, health, ready, metrics, debug or unknown
  std::string client;
  std::string grpc_method;  // a gRPC call's method; empty for HTTP
  std::chrono::steady_clock::time_point received;
  std::size_t bytes_in = 0;
  // Tracing: the request's own span, its parent from the client's traceparent, and its start (unix ns).
  SpanContext trace;
  std::optional<SpanId> parent_span_id;
  std::uint64_t start_unix_nanos = 0;
};

struct ApiKey;

struct Exchange {
  HttpRequest request;
  RequestInfo info;
  std::shared_ptr<AccessRecord> record;
  Responder respond;  // answers exactly once, from any thread

  // Set by the security filters (api/*_filter.hpp):
  std::string client_address = {};             // the client's IP (proxies resolved by the access filter)
  std::shared_ptr<const ApiKey> api_key = {};  // the key the request authenticated with; null without auth
  // Checks POST /v1/batch's items once its body is parsed (permissions, rate-limit cost): an answer refuses
  // the whole batch. Null when nothing checks them.
  std::function<std::optional<HttpResponse>(const nlohmann::json& requests)> check_batch_items = {};
  // Set by admission: when the work must have started (the operation's deadline, lowered by X-Request-Timeout).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  unsigned version() const { return request.version(); }
};

}  // namespace kzgd
