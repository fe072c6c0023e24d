// A blocking HTTP/1.1 client for the tests: one connection, requests in turn (keep-alive), raw bytes when a
// test needs to send what a well-behaved client would not.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "service/http/http_server.hpp"

namespace kzgd::testing {

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1");
  ~HttpClient();

  // Sends a request and reads its response. Headers: name -> value; Content-Length is set from the body.
  HttpResponse request(boost::beast::http::verb method, const std::string& target, const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {});
  HttpResponse get(const std::string& target) { return request(boost::beast::http::verb::get, target); }
  HttpResponse post(const std::string& target, const std::string& body,
                    const std::map<std::string, std::string>& headers = {}) {
    return request(boost::beast::http::verb::post, target, body, headers);
  }

  // Writes raw bytes; reads one response.
  void send_raw(const std::string& bytes);
  HttpResponse read_response();

  // True when the server has closed the connection (a read returns end of stream within the timeout).
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One request on a fresh connection.
HttpResponse http_request(std::uint16_t port, boost::beast::http::verb method, const std::string& target,
                          const std::string& body = {}, const std::map<std::string, std::string>& headers = {});

}  // namespace kzgd::testing
