#include "http_get.hpp"

#include <charconv>
#include <fstream>
#include <vector>

#include "net/http_client.hpp"

namespace kzg::tool {

std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& why) {
  ServerUrl url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    rest = text.substr(8);
    url.tls = true;
    url.port = 443;
  } else {
    why = "expected http://HOST[:PORT] or https://HOST[:PORT] (e.g. http://127.0.0.1:8080)";
    return std::nullopt;
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string_view host = rest, port;
  bool has_port = false;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      why = "unclosed [ in the host";
      return std::nullopt;
    }
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') {
        why = "expected :PORT after ]";
        return std::nullopt;
      }
      port = rest.substr(close + 2);
      has_port = true;
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    has_port = true;
  }
  if (host.empty() || host.find_first_of("/?#@ \t\r\n") != std::string_view::npos) {
    why = "expected a host and an optional port, with no path";
    return std::nullopt;
  }
  if (has_port) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || v == 0 || v > 65535) {
      why = "the port must be an integer from 1 to 65535";
      return std::nullopt;
    }
    url.port = static_cast<std::uint16_t>(v);
  }
  url.host = std::string(host);
  return url;
}

std::string ServerUrl::base() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<std::string> read_api_key(const std::string& key_file,
                                        const std::function<const char*(const char*)>& getenv, std::string& why) {
  std::string key;
  std::string source;
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    if (!in.good()) {
      why = "cannot read the API key file \"" + key_file + "\"";
      return std::nullopt;
    }
    std::getline(in, key);
    source = "the API key file \"" + key_file + "\"";
  } else if (getenv) {
    const char* value = getenv("KZGD_API_KEY");
    if (value == nullptr) return std::string();
    key = value;
    source = "KZGD_API_KEY";
  } else {
    return std::string();
  }
  const auto first = key.find_first_not_of(" \t\r\n");
  const auto last = key.find_last_not_of(" \t\r\n");
  key = first == std::string::npos ? std::string() : key.substr(first, last - first + 1);
  if (key.empty()) {
    why = source + " is empty";
    return std::nullopt;
  }
  for (const char c : key) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) {
      why = source + " holds a character an API key cannot have (a space or control character)";
      return std::nullopt;
    }
  }
  return key;
}

HttpAnswer http_get(const ServerUrl& server, const std::string& target, const ServerAccess& access,
                    std::chrono::milliseconds timeout) {
  kzgd::HttpClientOptions options;
  options.ca_file = access.ca_file;
  options.timeout = timeout;
  options.max_answer_bytes = 16u << 20;
  std::vector<std::string> headers{"Accept: application/json"};
  if (!access.api_key.empty()) headers.push_back("Authorization: Bearer " + access.api_key);
  const auto a = kzgd::http_client_call("GET", server.base() + target, headers, {}, options);
  return HttpAnswer{a.status, a.body, a.error};
}

}  // namespace kzg::tool
