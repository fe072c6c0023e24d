// CorsFilter: cross-origin requests from browsers (cors.* keys; security/cors_policy.hpp). A preflight
// (OPTIONS with Origin and Access-Control-Request-Method) from an allowed origin, for an allowed method and
// headers, is answered 204 with the Access-Control-Allow-* headers; any other preflight gets 403 without them.
// Other requests from an allowed origin get Access-Control-Allow-Origin (and Expose-Headers) on whatever
// answer they receive, errors included, so scripts can read 401 and 429 bodies; from any other origin, no
// CORS header at all. Runs before routing (OPTIONS is not a route) and before authentication (preflights
// carry no credentials).
#pragma once

#include "service/api/filters/request_filter.hpp"
#include "service/security/cors_policy.hpp"

namespace kzgd {

class CorsFilter : public RequestFilter {
 public:
  explicit CorsFilter(CorsPolicy policy) : policy_(std::move(policy)) {}
  bool pass(Exchange& exchange) override;

 private:
  const CorsPolicy policy_;
};

}  // namespace kzgd
