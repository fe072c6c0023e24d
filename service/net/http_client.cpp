#include "net/http_client.hpp"

#include <curl/curl.h>

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
