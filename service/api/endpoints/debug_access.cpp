#include "service/api/endpoints/debug_access.hpp"

#include "service/security/client_address.hpp"

namespace kzgd {

bool is_loopback_client(std::string_view client) {
  const auto address = parse_peer_address(client);
  return address && is_loopback(*address);
}

bool is_proxied(const HttpRequest& request) {
  namespace http = boost::beast::http;
  return request.count("X-Forwarded-For") > 0 || request.count(http::field::forwarded) > 0 ||
         request.count("X-Real-IP") > 0 || request.count("X-Forwarded-Host") > 0;
}

std::optional<kzg::Error> debug_access_denied(const HttpRequest& request, const RequestInfo& info, bool authenticated) {
  if (authenticated) return std::nullopt;
  // The loopback exemption is for an operator on the host itself: a request that came through a proxy on this
  // host (it names a client of its own) is never admitted by the proxy's address, whoever the client claims to be.
  if (is_proxied(request))
    return kzg::make_error(kzg::ErrorCode::forbidden,
                           "the debug endpoints need the admin permission; a proxied request is never admitted by "
                           "address",
                           "client");
  if (is_loopback_client(info.client)) return std::nullopt;
  return kzg::make_error(kzg::ErrorCode::forbidden,
                         "the debug endpoints need the admin permission; without API keys they answer only clients "
                         "on the loopback interface",
                         "client");
}

}  // namespace kzgd
