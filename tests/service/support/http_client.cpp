#include "tests/service/support/http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kzgd::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// With KZGD_TEST_ANSWERS_DIR set, every answer request() reads is appended there, one JSON line each, for the
// contract test (tests/openapi/validate.cjs) to check against the OpenAPI document. One file per process: ctest
// runs the tests in parallel processes.
void record_answer(const HttpRequest& request, const HttpResponse& response) {
  static const char* const dir = std::getenv("KZGD_TEST_ANSWERS_DIR");
  if (dir == nullptr || *dir == '\0') return;
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  static std::ofstream out(std::string(dir) + "/answers-" + std::to_string(::getpid()) + ".jsonl", std::ios::app);
  const nlohmann::json line = {{"method", std::string(request.method_string())},
                               {"target", std::string(request.target())},
                               {"status", response.result_int()},
                               {"content_type", std::string(response[http::field::content_type])},
                               {"body", response.body()}};
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
}

}  // namespace

struct HttpClient::State {
  net::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::uint16_t port, std::string host) : state_(std::make_unique<State>()) {
  state_->stream.connect(net::ip::tcp::endpoint(net::ip::make_address(host), port));
  // Blocking reads ignore tcp_stream's timers; a socket timeout keeps a broken test from hanging forever.
  const timeval timeout{30, 0};
  setsockopt(state_->stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

HttpClient::~HttpClient() {
  beast::error_code ec;
  state_->stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
}

HttpResponse HttpClient::request(http::verb method, const std::string& target, const std::string& body,
                                 const std::map<std::string, std::string>& headers) {
  HttpRequest req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  if (!body.empty() || method == http::verb::post) req.prepare_payload();
  state_->stream.expires_after(std::chrono::seconds(30));
  http::write(state_->stream, req);
  HttpResponse response = read_response();
  record_answer(req, response);
  return response;
}

void HttpClient::send_raw(const std::string& bytes) { net::write(state_->stream.socket(), net::buffer(bytes)); }

HttpResponse HttpClient::read_response() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(1u << 30);
  state_->stream.expires_after(std::chrono::seconds(30));
  http::read(state_->stream, state_->buffer, parser);
  return parser.release();
}

bool HttpClient::closed_by_server(std::chrono::milliseconds timeout) {
  auto& socket = state_->stream.socket();
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char byte;
  beast::error_code ec;
  socket.read_some(net::buffer(&byte, 1), ec);
  return ec == net::error::eof || ec == net::error::connection_reset;
}

HttpResponse http_request(std::uint16_t port, http::verb method, const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  HttpClient client(port);
  return client.request(method, target, body, headers);
}

}  // namespace kzgd::testing
