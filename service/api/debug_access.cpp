#include "api/debug_access.hpp"

#include <boost/asio/ip/address.hpp>
#include <string>

namespace kzgd {

bool is_loopback_client(std::string_view client) {
  std::string_view host = client;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(1, close - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return false;
  if (address.is_v4()) return address.to_v4().is_loopback();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
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
