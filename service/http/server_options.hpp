// The HTTP server's options (server.*): where it listens, its threads and timeouts, and the limits on slow and
// greedy clients (docs/security.md). Declared once here: keys, defaults, ranges and the rule tying them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "service/config/section.hpp"
#include "service/security/ip_range.hpp"

namespace kzgd {

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 literal, or "localhost"
  std::uint16_t port = 0;
};

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  unsigned io_threads = 1;
  double idle_timeout_seconds = 60;      // a keep-alive connection with no request for this long is closed
  double request_timeout_seconds = 30;   // reading one request's body (or writing its answer) may take this long
  std::size_t max_connections = 10000;   // beyond it, a new connection is closed at once
  std::size_t max_header_bytes = 16384;  // a larger request head is answered 431
  double header_timeout_seconds = 10;    // from a request's first byte (a new connection's accept) to its whole head
  std::size_t max_connections_per_client = 1024;  // per peer address (trusted proxies and probes exempt); 0: off
  // CIDR ranges of health probes (kubelet, load balancer).
  config::Parsed<IpRangeList> probe_sources = config::parsed_default<IpRangeList>(
      "127.0.0.0/8, ::1", [](std::string_view t) { return IpRangeList::parse(t, "server.probe_sources"); });
  std::size_t probe_reserve = 8;  // of max_connections, kept for probe sources

  static void declare(config::Section<ServerOptions>& s);
};

// Parses HOST:PORT (IPv6 hosts in brackets) into out: nothing, or what is wrong.
std::optional<std::string> parse_listen(std::string_view text, ListenAddress& out);

// "host:port", IPv6 hosts in brackets.
std::string to_string(const ListenAddress& address);

}  // namespace kzgd
