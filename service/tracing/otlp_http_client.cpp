#include "tracing/otlp_http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace kzgd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// The exchange's state; its handlers chain resolve -> connect -> write -> read.
struct ExportCall {
  explicit ExportCall(asio::io_context& io) : resolver(io), stream(io) {}
  tcp::resolver resolver;
  beast::tcp_stream stream;
  http::request<http::string_body> request;
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  ExportResult result;
  bool done = false;

  void fail(const char* step, const beast::error_code& ec) {
    result.error = std::string(step) + ": " + ec.message();
    result.retryable = true;
    done = true;
  }
};

}  // namespace

ExportResult post_otlp_json(const CollectorUrl& url, const std::string& body, std::chrono::milliseconds timeout) {
  asio::io_context io;
  auto ex = std::make_shared<ExportCall>(io);
  ex->request = {http::verb::post, url.target, 11};
  ex->request.set(http::field::host, url.host + ":" + std::to_string(url.port));
  ex->request.set(http::field::content_type, "application/json");
  ex->request.set(http::field::user_agent, "kzgd");
  ex->request.body() = body;
  ex->request.prepare_payload();

  ex->resolver.async_resolve(url.host, std::to_string(url.port), [ex](beast::error_code ec, tcp::resolver::results_type r) {
    if (ec) return ex->fail("resolve", ec);
    ex->stream.async_connect(r, [ex](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return ex->fail("connect", ec);
      http::async_write(ex->stream, ex->request, [ex](beast::error_code ec, std::size_t) {
        if (ec) return ex->fail("write", ec);
        // A collector's answer is small; a larger one is not read whole.
        auto parser = std::make_shared<http::response_parser<http::string_body>>();
        parser->body_limit(1 << 20);
        http::async_read(ex->stream, ex->buffer, *parser, [ex, parser](beast::error_code ec, std::size_t) {
          if (ec) return ex->fail("read", ec);
          ex->response = parser->release();
          const unsigned status = ex->response.result_int();
          ex->result.status = status;
          ex->result.ok = status >= 200 && status < 300;
          ex->result.retryable = status == 429 || status == 502 || status == 503 || status == 504;
          if (!ex->result.ok) ex->result.error = "the collector answered " + std::to_string(status);
          ex->done = true;
        });
      });
    });
  });
  io.run_for(timeout);
  if (!ex->done) {
    ex->result = ExportResult{false, true, 0, "no answer within " + std::to_string(timeout.count()) + " ms"};
  }
  beast::error_code ignored;
  ex->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  ex->stream.close();
  ExportResult result = ex->result;
  // Pending handlers (after a timeout) are destroyed with io; they hold ex, which is released with them.
  return result;
}

}  // namespace kzgd
