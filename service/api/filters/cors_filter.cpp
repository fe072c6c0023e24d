#include "service/api/filters/cors_filter.hpp"

#include "service/api/codecs/responses.hpp"

namespace kzgd {

namespace http = boost::beast::http;

bool CorsFilter::pass(Exchange& exchange) {
  const auto& request = exchange.request;
  const auto origin_field = request.find(http::field::origin);
  if (!policy_.enabled() || origin_field == request.end()) return true;
  const std::string origin(origin_field->value());
  const bool allowed = policy_.allows_origin(origin);
  const auto wanted_method = request.find(http::field::access_control_request_method);
  if (request.method() == http::verb::options && wanted_method != request.end()) {
    const std::string_view method(wanted_method->value().data(), wanted_method->value().size());
    const auto wanted_headers = request[http::field::access_control_request_headers];
    if (!allowed || !policy_.allows_method(method) ||
        !policy_.allows_headers(std::string_view(wanted_headers.data(), wanted_headers.size()))) {
      exchange.respond(error_response(
          kzg::make_error(kzg::ErrorCode::cors_not_allowed,
                          "cross-origin requests from this origin, with this method or these headers, are not "
                          "allowed (cors.allowed_origins, cors.allowed_methods, cors.allowed_headers)",
                          "Origin"),
          exchange.version()));
      return false;
    }
    HttpResponse r{HttpStatus::no_content, exchange.version()};
    r.set(http::field::access_control_allow_origin, policy_.allow_origin_value(origin));
    r.set(http::field::access_control_allow_methods, policy_.methods());
    r.set(http::field::access_control_allow_headers, policy_.headers());
    r.set(http::field::access_control_max_age, std::to_string(policy_.max_age_seconds()));
    r.set(http::field::vary, "Origin");
    exchange.respond(std::move(r));
    return false;
  }
  if (!allowed) return true;
  exchange.respond = [respond = std::move(exchange.respond),
                      value = policy_.allow_origin_value(origin)](HttpResponse r) {
    r.set(http::field::access_control_allow_origin, value);
    r.set(http::field::access_control_expose_headers, std::string(CorsPolicy::kExposedHeaders));
    r.set(http::field::vary, "Origin");
    respond(std::move(r));
  };
  return true;
}

}  // namespace kzgd
