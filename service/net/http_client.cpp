#include "service/net/http_client.hpp"

#include <curl/curl.h>

#include <charconv>
#include <memory>
#include <mutex>

namespace kzgd {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  std::string* body;
  std::size_t limit;
  bool overflow = false;
};

std::size_t write_answer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->body->size() + n > sink->limit) {
    sink->overflow = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& why) {
  const auto fail = [&why](const char* message) -> std::optional<HttpUrl> {
    why = message;
    return std::nullopt;
  };
  HttpUrl url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    rest = text.substr(8);
    url.tls = true;
    url.port = 443;
  } else {
    return fail("expected http://HOST[:PORT] or https://HOST[:PORT]");
  }
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.path = std::string(rest.substr(slash));
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return fail("expected :PORT after ]");
      port = authority.substr(close + 2);
      has_port = true;
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return fail("the host is empty");
  if (has_port) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || v == 0 || v > 65535)
      return fail("the port must be an integer from 1 to 65535");
    url.port = static_cast<std::uint16_t>(v);
  }
  url.host = std::string(host);
  return url;
}

std::string HttpUrl::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

HttpClientAnswer http_client_call(std::string_view method, const std::string& url,
                                  const std::vector<std::string>& headers, const std::string& body,
                                  const HttpClientOptions& options) {
  global_init();
  HttpClientAnswer answer;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    answer.error = "cannot start an HTTP client";
    return answer;
  }
  curl_slist* raw = nullptr;
  for (const auto& h : headers) {
    curl_slist* next = curl_slist_append(raw, h.c_str());
    if (next == nullptr) {
      curl_slist_free_all(raw);
      answer.error = "out of memory";
      return answer;
    }
    raw = next;
  }
  const std::unique_ptr<curl_slist, ListDeleter> list(raw);
  char error[CURL_ERROR_SIZE] = {};
  Sink sink{&answer.body, options.max_answer_bytes};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for resolver timeouts
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "kzgd");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_answer);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  if (list) curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    answer.body.clear();
    if (sink.overflow)
      answer.error = "the answer is larger than " + std::to_string(options.max_answer_bytes) + " bytes";
    else if (rc == CURLE_OPERATION_TIMEDOUT)
      answer.error = "no answer within " + std::to_string(options.timeout.count()) + " ms";
    else
      answer.error = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(rc));
    return answer;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<unsigned>(status);
  return answer;
}

}  // namespace kzgd
