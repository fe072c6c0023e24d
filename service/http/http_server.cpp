#include "http/http_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

namespace kzgd {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {
// Request headers larger than this are refused (the API's headers are a few hundred bytes).
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// After refusing a body, how long unread input is drained before closing, so the client sees the answer.
constexpr std::chrono::seconds kLingerTime{2};
}  // namespace

// One client connection: read a request, hand it over, write the response, repeat while keep-alive.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(HttpServer& server, tcp::socket&& socket) : server_(server), stream_(std::move(socket)) {
    ++server_.connections_;
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      const auto a = peer.address();
      client_ = (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(peer.port());
    }
  }
  ~HttpSession() { --server_.connections_; }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // From any thread: closes the connection if it is waiting for a request.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::reading_header) self->close();
    });
  }

  // Closes the connection at once; only while no I/O thread runs (after they are joined).
  void close_stopped() { close(); }

 private:
  enum class State { reading_header, reading_body, handling, writing, closed };

  void read_header() {
    if (server_.draining()) return close();
    state_ = State::reading_header;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_.options_.max_body_bytes);
    stream_.expires_after(server_.options_.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    // Beast checks a declared Content-Length against the body limit once the header's fields are parsed.
    if (ec == http::error::body_limit) return refuse_body();
    if (ec) return fail_read(ec);
    received_ = std::chrono::steady_clock::now();
    const auto& header = parser_->get();
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      state_ = State::writing;
      continue_.emplace(http::status::continue_, header.version());
      http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    state_ = State::reading_body;
    stream_.expires_after(server_.options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return refuse_body();
    if (ec) return fail_read(ec);
    hand_over(parser_->release(), false);
  }

  // A body over the limit: the handler answers from the header alone; the connection closes afterwards.
  void refuse_body() {
    must_close_ = true;
    HttpRequest header_only;
    header_only.base() = parser_->get().base();
    hand_over(std::move(header_only), true);
  }

  void fail_read(beast::error_code ec) {
    // A clean close or an idle timeout between requests ends the connection quietly; a malformed request
    // gets a bare 400 first.
    const bool quiet = ec == http::error::end_of_stream || ec == beast::error::timeout ||
                       ec == net::error::operation_aborted || ec == net::error::connection_reset ||
                       ec == net::error::eof || state_ != State::reading_header || parser_->got_some() == false;
    if (quiet) return close();
    must_close_ = true;
    server_.request_started();
    const bool header_too_large = ec == http::error::header_limit;
    HttpResponse bad{header_too_large ? http::status::request_header_fields_too_large : http::status::bad_request, 11};
    bad.set(http::field::content_type, "text/plain");
    bad.body() = header_too_large ? "request headers over " + std::to_string(kHeaderLimit) + " bytes\n"
                                  : "malformed HTTP request: " + ec.message() + "\n";
    write(std::move(bad));
  }

  void hand_over(HttpRequest&& request, bool body_too_large) {
    state_ = State::handling;
    stream_.expires_never();
    request_keep_alive_ = request.keep_alive();
    server_.request_started();
    RequestInfo info{client_, received_, body_too_large};
    auto self = shared_from_this();
    Responder respond = [self](HttpResponse response) {
      auto shared = std::make_shared<HttpResponse>(std::move(response));
      net::post(self->stream_.get_executor(), [self, shared] { self->write(std::move(*shared)); });
    };
    server_.handler_(std::move(request), std::move(info), std::move(respond));
  }

  void write(HttpResponse&& response) {
    if (state_ == State::closed) return server_.request_finished();
    state_ = State::writing;
    response.keep_alive(request_keep_alive_ && !must_close_ && !server_.draining());
    response.prepare_payload();
    response_.emplace(std::move(response));
    stream_.expires_after(server_.options_.request_timeout);
    http::async_write(stream_, *response_, beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    server_.request_finished();
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (ec) return close();
    if (!keep_alive) return must_close_ ? linger_close() : close();
    read_header();
  }

  // Closes the sending side, then discards what the client still sends for a moment, so that a client still
  // writing a refused body reads the answer instead of a connection reset.
  void linger_close() {
    state_ = State::closed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    drain_input();
  }

  void drain_input() {
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 16384>>();
    stream_.async_read_some(net::buffer(*scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->drain_input();
    });
  }

  void close() {
    state_ = State::closed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  HttpServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<HttpResponse> response_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  std::string client_ = "unknown";
  std::chrono::steady_clock::time_point received_;
  State state_ = State::reading_header;
  bool request_keep_alive_ = true;
  bool must_close_ = false;
};

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
    if (!ec) {
      beast::error_code opt_ec;
      socket.set_option(tcp::no_delay(true), opt_ec);
      auto session = std::make_shared<HttpSession>(*this, std::move(socket));
      {
        std::lock_guard lock(sessions_mutex_);
        std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
        sessions_.push_back(session);
      }
      session->start();
    }
    accept_next();
  });
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
