// AuthFilter: API keys (auth.* keys; security/api_key_store.hpp). A request to a path that needs a permission
// (security/permissions.hpp: everything but /health, /ready and, when auth.open_metrics, /metrics) must carry
// a key, as "Authorization: Bearer <key>" or "X-API-Key: <key>":
//
//   401 missing_api_key | unknown_api_key | api_key_disabled | api_key_expired   (WWW-Authenticate: Bearer)
//   403 permission_denied   the key lacks the operation's class; for POST /v1/batch the key needs batch, and
//                           each item's class once the body is parsed (the field names the item)
//
// The accepted key is recorded on the exchange (the rate limiter names the client by it).
#pragma once

#include <functional>

#include "service/api/filters/request_filter.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/security/api_key_store.hpp"

namespace kzgd {

class AuthFilter : public RequestFilter {
 public:
  using SystemClock = std::function<SystemTime()>;

  AuthFilter(
      const ApiKeyStore& keys, bool metrics_open, ServiceMetrics& metrics,
      SystemClock clock = [] { return std::chrono::system_clock::now(); })
      : keys_(keys), metrics_open_(metrics_open), metrics_(metrics), clock_(std::move(clock)) {}

  bool pass(Exchange& exchange) override;

 private:
  bool refuse(Exchange& exchange, const kzg::Error& error);

  const ApiKeyStore& keys_;
  const bool metrics_open_;
  ServiceMetrics& metrics_;
  const SystemClock clock_;
};

}  // namespace kzgd
