// Which address a request comes from. The TCP peer, unless the peer is a trusted proxy (access.trusted_proxies):
// then X-Forwarded-For is walked from the right, each hop believed only while the hop that reported it is
// trusted. The first untrusted (or unparseable) hop ends the walk, so a client cannot choose its address by
// sending its own X-Forwarded-For through a proxy that appends to it.
#pragma once

#include <optional>
#include <string_view>

#include "service/security/ip_range.hpp"

namespace kzgd {

// The address of a transport peer as RequestInfo::client writes it ("192.0.2.1:5000", "[2001:db8::1]:5000").
std::optional<IpAddress> parse_peer_address(std::string_view peer);

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback(const IpAddress& address);

// forwarded_for: every X-Forwarded-For header's value, joined with commas in order of appearance.
IpAddress client_address(const IpAddress& peer, std::string_view forwarded_for, const IpRangeList& trusted_proxies);

}  // namespace kzgd
