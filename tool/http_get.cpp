#include "http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <memory>

namespace kzg::tool {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& why) {
  constexpr std::string_view scheme = "http://";
  if (!text.starts_with(scheme)) {
    why = "expected http://HOST[:PORT] (e.g. http://127.0.0.1:8080)";
    return std::nullopt;
  }
  std::string_view rest = text.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  ServerUrl url;
  std::string_view host = rest, port;
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
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of("/?# ") != std::string_view::npos) {
    why = "expected http://HOST[:PORT] with no path";
    return std::nullopt;
  }
  if (rest.find(':') != std::string_view::npos || !port.empty()) {
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

HttpAnswer http_get(const ServerUrl& server, const std::string& target, std::chrono::milliseconds timeout) {
  struct State {
    explicit State(asio::io_context& io) : resolver(io), stream(io) {}
    tcp::resolver resolver;
    beast::tcp_stream stream;
    http::request<http::empty_body> request;
    http::response_parser<http::string_body> parser;
    beast::flat_buffer buffer;
    HttpAnswer answer;
    bool done = false;
    void fail(const char* step, const beast::error_code& ec) {
      answer.error = std::string(step) + ": " + ec.message();
      done = true;
    }
  };
  asio::io_context io;
  auto st = std::make_shared<State>(io);
  st->request = {http::verb::get, target, 11};
  st->request.set(http::field::host, server.host);
  st->request.set(http::field::user_agent, "kzg");
  st->parser.body_limit(16u << 20);
  st->resolver.async_resolve(server.host, std::to_string(server.port),
                             [st](beast::error_code ec, tcp::resolver::results_type r) {
    if (ec) return st->fail("resolve", ec);
    st->stream.async_connect(r, [st](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return st->fail("connect", ec);
      http::async_write(st->stream, st->request, [st](beast::error_code ec, std::size_t) {
        if (ec) return st->fail("write", ec);
        http::async_read(st->stream, st->buffer, st->parser, [st](beast::error_code ec, std::size_t) {
          if (ec) return st->fail("read", ec);
          st->answer.status = st->parser.get().result_int();
          st->answer.body = std::move(st->parser.get().body());
          st->done = true;
        });
      });
    });
  });
  io.run_for(timeout);
  if (!st->done) st->answer = HttpAnswer{0, {}, "no answer within " + std::to_string(timeout.count()) + " ms"};
  beast::error_code ignored;
  st->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return st->answer;
}

}  // namespace kzg::tool
