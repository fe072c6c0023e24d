#include "http/http_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "http/http_session.hpp"

namespace kzgd {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

HttpServer::~HttpServer() { stop(); }

kzg::Result<ListenAddress> HttpServer::start() {
  const std::string where = to_string(options_.listen);
  beast::error_code ec;
  const std::string host = options_.listen.host == "localhost" ? "127.0.0.1" : options_.listen.host;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return kzg::make_error("listen_failed", "cannot listen on " + where + ": " + ec.message(), "server.listen");
  const tcp::endpoint endpoint(address, options_.listen.port);
  acceptor_.emplace(net::make_strand(io_));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    return kzg::make_error("listen_failed", "cannot listen on " + where + ": " + ec.message(), "server.listen");
  }
  const auto bound = acceptor_->local_endpoint();
  work_.emplace(io_.get_executor());
  accept_next();
  const unsigned n = options_.io_threads == 0 ? 1 : options_.io_threads;
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  return ListenAddress{bound.address().to_string(), bound.port()};
}

void HttpServer::accept_next() {
  acceptor_->async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_->is_open()) return;
    if (!ec) start_session(std::move(socket));
    accept_next();
  });
}

void HttpServer::start_session(tcp::socket&& socket) {
  // Over the limit, the connection is closed before anything is read or allocated for it.
  if (connections_.load() >= options_.max_connections) {
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    report_close(CloseReason::connection_limit);
    return;
  }
  beast::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);
  const auto start = [this](auto session) {
    {
      std::lock_guard lock(sessions_mutex_);
      std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
      sessions_.push_back(session);
    }
    session->start();
  };
  if (options_.tls)
    start(std::make_shared<HttpSession<TlsStream>>(*this, std::move(socket), options_.tls->current()));
  else
    start(std::make_shared<HttpSession<PlainStream>>(*this, std::move(socket)));
}

void HttpServer::report_close(CloseReason reason) const {
  if (options_.on_close) options_.on_close(reason);
}

void HttpServer::drain() {
  if (draining_.exchange(true) || !acceptor_) return;
  net::post(acceptor_->get_executor(), [this] {
    beast::error_code ec;
    acceptor_->close(ec);
  });
  std::lock_guard lock(sessions_mutex_);
  for (const auto& w : sessions_)
    if (auto s = w.lock()) s->close_if_idle();
}

bool HttpServer::wait_until_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(idle_mutex_);
  return idle_.wait_for(lock, timeout, [this] { return in_progress_.load() == 0; });
}

void HttpServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  draining_ = true;
  if (acceptor_) {
    net::post(acceptor_->get_executor(), [this] {
      beast::error_code ec;
      acceptor_->close(ec);
    });
  }
  work_.reset();
  io_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  // With the I/O threads gone, close every connection now, so that clients see the end at once rather than
  // when the pending handlers (and the sessions they hold) are destroyed with the I/O context.
  std::lock_guard lock(sessions_mutex_);
  for (const auto& w : sessions_)
    if (auto s = w.lock()) s->close_stopped();
  sessions_.clear();
}

void HttpServer::request_started() { ++in_progress_; }

void HttpServer::request_finished() {
  if (--in_progress_ == 0) {
    std::lock_guard lock(idle_mutex_);
    idle_.notify_all();
  }
}

}  // namespace kzgd
