#include "service/security/client_address.hpp"

#include "service/util/text.hpp"

namespace kzgd {

std::optional<IpAddress> parse_peer_address(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    const auto close = peer.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return parse_ip_address(peer.substr(1, close - 1));
  }
  return parse_ip_address(peer.substr(0, peer.rfind(':')));
}

bool is_loopback(const IpAddress& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).is_loopback();
  return address.is_loopback();
}

IpAddress client_address(const IpAddress& peer, std::string_view forwarded_for, const IpRangeList& trusted) {
  IpAddress current = peer;
  std::string_view rest = forwarded_for;
  while (trusted.contains(current) && !trim(rest).empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    const auto address = parse_ip_address(hop);
    if (!address) break;
    current = *address;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
  }
  return current;
}

}  // namespace kzgd
