// Router: maps a request's method and path to an endpoint and the operation label the access log and the
// metrics use.
//
//   GET  /health, /ready, /metrics
//   GET  /debug/...    (the debug endpoint answers its own 404 for an unknown one)
//   POST /v1/batch
//   POST /v1/<operation>   for every operation of the backend
//
// Any other path is 404 (an unknown /v1/<name> is "unknown_operation"); a known path with another method is
// 405 with an Allow header. The query string is ignored.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/result.hpp"
#include "service/api/codecs/error_status.hpp"
#include "service/api/endpoints/endpoint.hpp"
#include "service/api/operation_backend.hpp"

namespace kzgd {

struct RouteEndpoints {
  Endpoint& health;
  Endpoint& ready;
  Endpoint& metrics;
  Endpoint& openapi;
  Endpoint& batch;
  Endpoint& operation;
  Endpoint& debug;  // GET /debug/* (service/api/endpoints/debug_endpoints.hpp)
};

struct RouteMatch {
  Endpoint* endpoint = nullptr;       // null: answer with status and error
  std::string operation = "unknown";  // the label: spec function, batch, health, ready, metrics, debug or unknown
  kzg::Error error;                   // why not found
  std::string allow;                  // the Allow header for 405

  // 200 when found, else the error's status (404, 405).
  unsigned status() const { return endpoint ? 200 : error_status(error.code).http; }
};

class Router {
 public:
  Router(RouteEndpoints endpoints, const OperationBackend& backend) : endpoints_(endpoints), backend_(backend) {}

  RouteMatch resolve(std::string_view method, std::string_view target) const;

 private:
  RouteEndpoints endpoints_;
  const OperationBackend& backend_;
};

}  // namespace kzgd
