#include "tool/http_get.hpp"

#include <fstream>
#include <vector>

#include "service/net/http_client.hpp"
#include "service/util/text.hpp"

namespace kzg::tool {

std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& why) {
  const auto parts = kzgd::parse_http_url(text, why);
  if (!parts) {
    why += " (e.g. http://127.0.0.1:8080)";
    return std::nullopt;
  }
  if ((!parts->path.empty() && parts->path != "/") || parts->host.find_first_of("?#@ \t\r\n") != std::string::npos) {
    why = "expected a host and an optional port, with no path";
    return std::nullopt;
  }
  return ServerUrl{parts->tls, parts->host, parts->port};
}

std::string ServerUrl::base() const { return kzgd::HttpUrl{tls, host, port, {}}.origin(); }

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
  key = std::string(kzgd::trim(key));
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
