#include "service/tracing/collector_url.hpp"

#include "service/net/http_client.hpp"

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
  std::string problem;
  const auto parts = parse_http_url(text, problem);
  if (!parts) return fail(why, problem + " (e.g. http://127.0.0.1:4318/v1/traces)");
  for (char c : parts->path)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return fail(why, "the path has a space or control character");
  if (parts->host.size() > 253) return fail(why, "the host is too long");
  for (char c : parts->host)
    if (!host_char(c)) return fail(why, "the host has a character that is not a letter, digit, '.', '-' or ':'");
  CollectorUrl url;
  url.tls = parts->tls;
  url.host = parts->host;
  url.port = parts->port;
  if (!parts->path.empty()) url.target = parts->path;
  return url;
}

std::string CollectorUrl::text() const { return HttpUrl{tls, host, port, {}}.origin() + target; }

}  // namespace kzgd
