#include "http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

#include "log.hpp"

namespace kzgd {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "unknown" : ep.address().to_string();
  }

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options_.max_header_bytes));
    const double t = requests_ == 0 ? server_.options_.request_timeout_seconds : server_.options_.idle_timeout_seconds;
    stream_.expires_after(std::chrono::milliseconds(static_cast<long>(t * 1000)));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof)
      return close();
    started_ = std::chrono::steady_clock::now();
    ++server_.in_flight_;
    ++requests_;
    request_id_ = std::to_string(server_.next_request_id_++);
    if (ec == http::error::body_limit) {
      server_.metrics_.count_rejected("body_too_large");
      keep_alive_ = false;
      return respond(error_response(413, "body_too_large",
                                    "the body is larger than " + std::to_string(server_.options_.max_body_bytes) +
                                        " bytes"));
    }
    if (ec) {
      server_.metrics_.count_rejected(ec == http::error::header_limit ? "header_too_large" : "bad_http");
      keep_alive_ = false;
      return respond(error_response(ec == http::error::header_limit ? 431 : 400, "bad_http", ec.message()));
    }
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    if (auto it = req.find("X-Request-Id"); it != req.end() && it->value().size() <= 64 && !it->value().empty())
      request_id_ = std::string(it->value());
    method_ = std::string(req.method_string());
    path_ = std::string(req.target());
    HttpRequest r{method_, path_, std::string(req[http::field::content_type]), std::string(req[http::field::accept]),
                  std::move(req.body())};
    bytes_in_ = r.body.size();
    server_.handler_.handle(std::move(r), [self = shared_from_this()](HttpResponse resp) {
      net::post(self->stream_.get_executor(), [self, resp = std::move(resp)]() mutable { self->respond(std::move(resp)); });
    });
  }

  void respond(HttpResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "kzgd");
    res->set(http::field::content_type, r.content_type);
    res->set("X-Request-Id", request_id_);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    const bool keep = keep_alive_ && !server_.draining();
    res->keep_alive(keep);
    res->body() = std::move(r.body);
    res->prepare_payload();
    status_ = r.status;
    operation_ = r.operation;
    bytes_out_ = res->body().size();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) { self->on_write(ec, keep); });
  }

  void on_write(beast::error_code ec, bool keep) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    server_.metrics_.observe_request(operation_, status_, secs);
    log::info("request", {{"request_id", request_id_},
                          {"method", method_},
                          {"path", path_},
                          {"operation", operation_},
                          {"status", status_},
                          {"duration_ms", secs * 1000},
                          {"client", client_},
                          {"bytes_in", bytes_in_},
                          {"bytes_out", bytes_out_}});
    --server_.in_flight_;
    if (ec || !keep) return close();
    read();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  HttpServer& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string client_, request_id_, method_, path_, operation_;
  std::chrono::steady_clock::time_point started_;
  std::size_t requests_ = 0, bytes_in_ = 0, bytes_out_ = 0;
  int status_ = 0;
  bool keep_alive_ = true;
};

HttpServer::HttpServer(ServerOptions options, ApiHandler& handler, Metrics& metrics)
    : options_(std::move(options)), handler_(handler), metrics_(metrics), io_(static_cast<int>(options_.io_threads)),
      work_(io_.get_executor()), acceptor_(io_) {}

HttpServer::~HttpServer() {
  if (!threads_.empty()) {
    io_.stop();
    join();
  }
}

std::optional<std::string> HttpServer::listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(options_.host, ec);
  if (ec) return "server.listen: bad address \"" + options_.host + "\"";
  const tcp::endpoint ep{address, options_.port};
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + ec.message();
  bound_port_ = acceptor_.local_endpoint().port();
  return std::nullopt;
}

void HttpServer::accept() {
  acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->start();
    accept();
  });
}

void HttpServer::start() {
  accept();
  for (unsigned i = 0; i < options_.io_threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

bool HttpServer::shutdown(double grace_seconds) {
  draining_ = true;
  net::post(io_, [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(grace_seconds * 1000));
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const bool drained = in_flight_ == 0;
  io_.stop();
  return drained;
}

void HttpServer::join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace kzgd
