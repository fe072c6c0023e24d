#include "tracing/collector_url.hpp"

#include <charconv>

namespace kzgd {
namespace {

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
}

std::optional<CollectorUrl> fail(std::string* why, std::string message) {
  if (why) *why = std::move(message);
  return std::nullopt;
}

}  // namespace

std::optional<CollectorUrl> parse_collector_url(std::string_view text, std::string* why) {
  CollectorUrl url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    rest = text.substr(8);
    url.tls = true;
    url.port = 443;
  } else {
    return fail(why,
                "expected http://HOST[:PORT][/PATH] or https://HOST[:PORT][/PATH] (e.g. "
                "http://127.0.0.1:4318/v1/traces)");
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.target = std::string(rest.substr(slash));
  for (char c : url.target)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return fail(why, "the path has a space or control character");
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(why, "unclosed [ in the host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return fail(why, "expected :PORT after ]");
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host.size() > 253) return fail(why, "the host is empty or too long");
  for (char c : host)
    if (!host_char(c)) return fail(why, "the host has a character that is not a letter, digit, '.', '-' or ':'");
  if (!authority.empty() && authority.back() == ':') return fail(why, "empty port after ':'");
  if (!port.empty()) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || end != port.data() + port.size() || v == 0 || v > 65535)
      return fail(why, "the port must be an integer from 1 to 65535");
    url.port = static_cast<std::uint16_t>(v);
  }
  url.host = std::string(host);
  return url;
}

std::string CollectorUrl::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) +
         target;
}

}  // namespace kzgd
