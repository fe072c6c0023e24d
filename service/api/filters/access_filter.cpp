#include "service/api/filters/access_filter.hpp"

#include "service/api/codecs/responses.hpp"
#include "service/security/client_address.hpp"

namespace kzgd {

bool AccessFilter::pass(Exchange& exchange) {
  const auto peer = parse_peer_address(exchange.info.client);
  if (!peer) {
    // Not an address (a transport that does not know its peer): only a list-free configuration lets it in.
    exchange.client_address = exchange.info.client;
    if (lists_.allow.empty() && lists_.deny.empty()) return true;
  } else {
    std::string forwarded;
    if (!lists_.trusted_proxies.empty() && lists_.trusted_proxies.contains(*peer)) {
      const auto [first, last] = exchange.request.equal_range("X-Forwarded-For");
      for (auto field = first; field != last; ++field) {
        if (!forwarded.empty()) forwarded += ',';
        forwarded.append(field->value().data(), field->value().size());
      }
    }
    const IpAddress client = client_address(*peer, forwarded, lists_.trusted_proxies);
    exchange.client_address = address_text(client);
    if (client != *peer) exchange.record->client = exchange.client_address;  // the access log names the client
    const bool denied = lists_.deny.contains(client) || (!lists_.allow.empty() && !lists_.allow.contains(client));
    if (!denied) return true;
  }
  metrics_.record_rejected("forbidden");
  exchange.respond(error_response(
      kzg::make_error(kzg::ErrorCode::address_denied,
                      "requests from " + exchange.client_address + " are not accepted (access.allow, access.deny)"),
      exchange.version()));
  return false;
}

}  // namespace kzgd
