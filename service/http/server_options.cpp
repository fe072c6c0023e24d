#include "service/http/server_options.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace kzgd {

std::optional<std::string> parse_listen(std::string_view text, ListenAddress& out) {
  const std::string_view s = trim(text);
  const std::string expected = "expected HOST:PORT (e.g. 0.0.0.0:8080 or [::1]:8080), got " + config::quoted(text);
  std::string_view host, port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') return expected;
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || s.find(':') != colon) return expected;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  std::uint32_t p = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p > 65535)
    return "port must be an integer from 0 to 65535 (0: any free port), got " + config::quoted(text);
  if (host.empty()) return expected;
  if (host != "localhost") {
    boost::system::error_code error;
    boost::asio::ip::make_address(std::string(host), error);
    if (error) return "host must be an IP address or \"localhost\", got " + config::quoted(host);
  }
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(p);
  return std::nullopt;
}

void ServerOptions::declare(config::Section<ServerOptions>& s) {
  s.custom(
      "listen", [](ServerOptions& o, std::string_view t) { return parse_listen(t, o.listen); },
      [](const ServerOptions& o) { return to_string(o.listen); });
  s.integer("io_threads", &ServerOptions::io_threads, 1, 64);
  s.seconds("idle_timeout_seconds", &ServerOptions::idle_timeout_seconds, 0.1, 3600);
  s.seconds("request_timeout_seconds", &ServerOptions::request_timeout_seconds, 0.1, 3600);
  s.integer("max_connections", &ServerOptions::max_connections, 1, 1000000);
  s.bytes("max_header_bytes", &ServerOptions::max_header_bytes, 1024, 1u << 20);
  s.integer("max_connections_per_client", &ServerOptions::max_connections_per_client, 0, 1000000);
  s.parsed<IpRangeList>("probe_sources", &ServerOptions::probe_sources,
                        [](std::string_view t) { return IpRangeList::parse(t, "server.probe_sources"); });
  s.integer("probe_reserve", &ServerOptions::probe_reserve, 0, 1000);
  s.seconds("header_timeout_seconds", &ServerOptions::header_timeout_seconds, 0.1, 3600);
  s.rule([](ServerOptions& o) -> std::optional<kzg::Error> {
    if (o.probe_reserve >= o.max_connections)
      return kzg::make_error(
          kzg::ErrorCode::invalid_config,
          "server.probe_reserve: must be below server.max_connections (" + std::to_string(o.max_connections) + ")",
          "server.probe_reserve");
    return std::nullopt;
  });
}

std::string to_string(const ListenAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

}  // namespace kzgd
