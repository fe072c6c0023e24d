#include "service/api/endpoints/ops_endpoints.hpp"

#include "service/api/codecs/responses.hpp"
#include "service/api/openapi.hpp"

#ifndef KZGD_VERSION
#define KZGD_VERSION "unknown"
#endif

namespace kzgd {

void HealthEndpoint::handle(Exchange&& exchange) {
  exchange.respond(json_response(HttpStatus::ok, nlohmann::json{{"status", "ok"}}, exchange.version()));
}

void ReadyEndpoint::handle(Exchange&& exchange) {
  if (state_.ready()) {
    exchange.respond(json_response(HttpStatus::ok, nlohmann::json{{"status", "ready"}}, exchange.version()));
    return;
  }
  HttpResponse r =
      json_response(HttpStatus::service_unavailable,
                    nlohmann::json{{"status", "not_ready"}, {"reason", state_.not_ready_reason()}}, exchange.version());
  r.set(boost::beast::http::field::retry_after, "1");
  exchange.respond(std::move(r));
}

OpenApiEndpoint::OpenApiEndpoint() : document_(openapi_document(KZGD_VERSION).dump()) {}

void OpenApiEndpoint::handle(Exchange&& exchange) {
  exchange.respond(json_response(HttpStatus::ok, document_, exchange.version()));
}

void MetricsEndpoint::handle(Exchange&& exchange) {
  HttpResponse r{HttpStatus::ok, exchange.version()};
  r.set(boost::beast::http::field::content_type, std::string(ServiceMetrics::content_type));
  r.body() = metrics_.render(snapshot_());
  exchange.respond(std::move(r));
}

}  // namespace kzgd
