// ApiHandler: the request chain the HTTP server calls for every request.
//
//   access log   request id (X-Request-Id, taken from the client when sane), one log line and the metrics per
//                answer, whichever thread answers
//   filters      before routing (ApiFilters::before_routing): access lists, CORS
//   tracing      a server span per request, child of the client's W3C traceparent when valid; the answer
//                carries the span's traceparent (tracing/tracer.hpp)
//   router       404 / 405, the operation label
//   body limit   413 for a body over limits.max_body_bytes (the transport stopped reading it)
//   filters      after routing (ApiFilters::after_routing): API keys, rate limits
//   endpoint     health, ready, metrics (on the I/O thread); operations and batches (admitted to the workers)
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "service/api/filters/request_filter.hpp"
#include "service/api/router.hpp"
#include "service/http/http_server.hpp"
#include "service/logging/logger.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/tracing/tracer.hpp"

namespace kzgd {

class ApiHandler {
 public:
  // tracer: null for no tracing.
  ApiHandler(const Router& router, ServiceMetrics& metrics, Logger& logger, std::size_t max_body_bytes,
             ApiFilters filters = {}, Tracer* tracer = nullptr);

  void handle(HttpRequest&& request, RequestInfo info, Responder respond);

  // A request id: the client's X-Request-Id when it is 1 to 128 characters of [A-Za-z0-9._:-], else a new one.
  std::string request_id_for(const HttpRequest& request);

 private:
  Responder observed(std::shared_ptr<AccessRecord> record, Responder respond);
  Responder observed_grpc(std::shared_ptr<AccessRecord> record, Responder respond);

  const Router& router_;
  ServiceMetrics& metrics_;
  Logger& logger_;
  const std::size_t max_body_bytes_;
  const ApiFilters filters_;
  Tracer* tracer_;
  const std::uint64_t id_base_;
  std::atomic<std::uint64_t> id_counter_{0};
};

}  // namespace kzgd
