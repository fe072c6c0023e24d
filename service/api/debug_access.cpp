#include "api/debug_access.hpp"

#include "security/client_address.hpp"

namespace kzgd {

bool is_loopback_client(std::string_view client) {
  const auto address = parse_peer_address(client);
  return address && is_loopback(*address);
}

std::optional<kzg::Error> debug_access_denied(const HttpRequest& /*request*/, const RequestInfo& info,
                                              bool authenticated) {
  if (authenticated || is_loopback_client(info.client)) return std::nullopt;
  return kzg::make_error("forbidden",
                         "the debug endpoints need the admin permission; without API keys they answer only clients "
                         "on the loopback interface",
                         "client");
}

}  // namespace kzgd
