#include "service/api/router.hpp"

#include <algorithm>

namespace kzgd {
namespace {

RouteMatch found(Endpoint& endpoint, std::string operation, std::string_view allowed, std::string_view method) {
  RouteMatch m;
  m.operation = std::move(operation);
  // HEAD is GET without the body (the session drops it when writing).
  if (method != allowed && !(method == "HEAD" && allowed == "GET")) {
    m.allow = std::string(allowed);
    m.error = kzg::make_error(kzg::ErrorCode::method_not_allowed, "use " + m.allow + " for this path", "method");
    return m;
  }
  m.endpoint = &endpoint;
  return m;
}

RouteMatch not_found(kzg::Error error) {
  RouteMatch m;
  m.error = std::move(error);
  return m;
}

}  // namespace

RouteMatch Router::resolve(std::string_view method, std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/health") return found(endpoints_.health, "health", "GET", method);
  if (path == "/ready") return found(endpoints_.ready, "ready", "GET", method);
  if (path == "/metrics") return found(endpoints_.metrics, "metrics", "GET", method);
  if (path == "/openapi.json") return found(endpoints_.openapi, "openapi", "GET", method);
  if (path.starts_with("/debug/")) return found(endpoints_.debug, "debug", "GET", method);
  if (path == "/v1/batch") return found(endpoints_.batch, "batch", "POST", method);
  constexpr std::string_view prefix = "/v1/";
  if (path.starts_with(prefix)) {
    const std::string_view name = path.substr(prefix.size());
    const auto& ops = backend_.operations();
    if (std::find(ops.begin(), ops.end(), name) != ops.end())
      return found(endpoints_.operation, std::string(name), "POST", method);
    std::string list;
    for (const auto& op : ops) list += (list.empty() ? "" : ", ") + op;
    return not_found(kzg::make_error(
        kzg::ErrorCode::unknown_operation,
        "unknown operation \"" + std::string(name) + "\"; POST /v1/<operation> for " + list + ", or /v1/batch",
        "operation"));
  }
  return not_found(kzg::make_error(
      kzg::ErrorCode::not_found,
      "no such path: " + std::string(path) + " (see /v1/<operation>, /health, /ready, /metrics, /openapi.json)",
      "path"));
}

}  // namespace kzgd
