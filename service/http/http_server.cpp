#include "service/http/http_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "service/http/http_session.hpp"

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
  if (ec)
    return kzg::make_error(kzg::ErrorCode::listen_failed, "cannot listen on " + where + ": " + ec.message(),
                           "server.listen");
  const tcp::endpoint endpoint(address, options_.listen.port);
  acceptor_.emplace(net::make_strand(io_));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    return kzg::make_error(kzg::ErrorCode::listen_failed, "cannot listen on " + where + ": " + ec.message(),
                           "server.listen");
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

namespace {

// Closes a refused connection. On plain HTTP a fixed 503 goes first when the socket takes it at once (one
// non-blocking send of a few bytes, nothing read); TLS would need a handshake, so it is closed silently.
void refuse_connection(tcp::socket& socket, bool plain) {
  beast::error_code ec;
  if (plain) {
    static constexpr std::string_view kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n"
        "Connection: close\r\nContent-Length: 24\r\n\r\ntoo many connections now\n";
    socket.non_blocking(true, ec);
    if (!ec) socket.send(net::buffer(kBusy.data(), kBusy.size()), 0, ec);
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace

bool HttpServer::reserve_body(std::size_t n) {
  if (options_.max_inflight_body_bytes == 0) {
    body_bytes_ += n;
    return true;
  }
  std::size_t used = body_bytes_.load();
  do {
    if (n > options_.max_inflight_body_bytes || used > options_.max_inflight_body_bytes - n) return false;
  } while (!body_bytes_.compare_exchange_weak(used, used + n));
  return true;
}

void HttpServer::release_body(std::size_t n) { body_bytes_ -= n; }

bool HttpServer::admit_client(const net::ip::address& peer) {
  if (options_.max_connections_per_client == 0) return true;
  std::lock_guard lock(clients_mutex_);
  auto& open = clients_[peer.to_string()];
  if (open >= options_.max_connections_per_client) {
    if (open == 0) clients_.erase(peer.to_string());
    return false;
  }
  ++open;
  return true;
}

void HttpServer::forget_client(const net::ip::address& peer) {
  if (options_.max_connections_per_client == 0) return;
  std::lock_guard lock(clients_mutex_);
  const auto it = clients_.find(peer.to_string());
  if (it != clients_.end() && --it->second == 0) clients_.erase(it);
}

void HttpServer::start_session(tcp::socket&& socket) {
  beast::error_code peer_ec;
  const auto peer = socket.remote_endpoint(peer_ec);
  const bool plain = !options_.tls;
  // Over the limit, the connection is closed before anything is read or allocated for it. The last
  // probe_reserve connections are only for probe sources.
  const std::size_t open = connections_.load();
  const bool probe = !peer_ec && options_.probe_source && options_.probe_source(peer.address());
  const std::size_t general_limit =
      options_.max_connections > options_.probe_reserve ? options_.max_connections - options_.probe_reserve : 0;
  if (open >= options_.max_connections || (open >= general_limit && !probe)) {
    refuse_connection(socket, plain);
    report_close(CloseReason::connection_limit);
    return;
  }
  const bool exempt = peer_ec || probe || (options_.per_client_exempt && options_.per_client_exempt(peer.address()));
  if (!exempt && !admit_client(peer.address())) {
    refuse_connection(socket, plain);
    report_close(CloseReason::client_connection_limit);
    return;
  }
  const bool counted = !exempt && options_.max_connections_per_client != 0;
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
  std::optional<net::ip::address> client;
  if (counted) client = peer.address();
  if (options_.tls)
    start(std::make_shared<HttpSession<TlsStream>>(*this, std::move(socket), options_.tls->current(), client));
  else
    start(std::make_shared<HttpSession<PlainStream>>(*this, std::move(socket), client));
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
