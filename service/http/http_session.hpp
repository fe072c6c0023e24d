// HttpSession: one client connection of HttpServer, over a plain TCP stream or a TLS stream. Internal to the
// server (only http_server.cpp includes it).
//
// A connection goes through: [TLS handshake] -> request head -> body -> handler -> answer -> (keep-alive) wait for
// the next request -> request head ... Each phase has one deadline, set when the phase starts and not moved by
// the bytes that arrive in it, so a client dribbling bytes cannot hold a connection longer than the deadline:
//   handshake        tls.handshake_timeout_seconds, from accept
//   request head     server.header_timeout_seconds, from accept (first request) or from the request's first byte
//   waiting          server.idle_timeout_seconds, between the end of an answer and the next request's first byte
//   body, answer     server.request_timeout_seconds each
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "service/http/http_server.hpp"
#include "service/util/text.hpp"

namespace kzgd {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <class Stream>
class HttpSession : public HttpConnection, public std::enable_shared_from_this<HttpSession<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::beast::error_code;

 public:
  // Plain HTTP. `counted`: the peer admitted by HttpServer::admit_client, forgotten when the session ends.
  HttpSession(HttpServer& server, tcp::socket&& socket, std::optional<boost::asio::ip::address> counted)
      : server_(server), stream_(std::move(socket)), counted_(std::move(counted)) {
    init();
  }
  // HTTPS with `context`, which the session keeps alive as long as it lives (a reload does not disturb it).
  HttpSession(HttpServer& server, tcp::socket&& socket, std::shared_ptr<boost::asio::ssl::context> context,
              std::optional<boost::asio::ip::address> counted)
      : server_(server),
        context_(std::move(context)),
        stream_(std::move(socket), *context_),
        counted_(std::move(counted)) {
    init();
  }
  ~HttpSession() override {
    release_body();
    if (counted_) server_.forget_client(*counted_);
    --server_.connections_;
  }

  void start() {
    boost::asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls)
        self->handshake();
      else
        self->read_header();
    });
  }

  void close_if_idle() override {
    boost::asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->state_ == State::waiting || self->state_ == State::reading_header) self->close();
    });
  }

  void close_stopped() override { close(); }

 private:
  enum class State { handshaking, waiting, reading_header, reading_body, handling, writing, closed };

  // After refusing a body, how long unread input is drained before closing, so the client sees the answer.
  static constexpr std::chrono::seconds kLingerTime{2};

  void init() {
    ++server_.connections_;
    error_code ec;
    const auto peer = lowest().socket().remote_endpoint(ec);
    if (!ec) {
      const auto a = peer.address();
      client_ = (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(peer.port());
    }
  }

  boost::beast::tcp_stream& lowest() { return boost::beast::get_lowest_layer(stream_); }
  const HttpServerOptions& options() const { return server_.options_; }

  void handshake() {
    if constexpr (kTls) {
      state_ = State::handshaking;
      lowest().expires_after(options().handshake_timeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
    }
  }

  void on_handshake(error_code ec) {
    if constexpr (kTls) {
      if (ec) {
        // A client that closes before its hello (a TCP health check) is not a failed handshake.
        const bool client_left = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
        if (state_ != State::closed && !client_left)
          server_.report_close(ec == boost::beast::error::timeout ? CloseReason::handshake_timeout
                                                                  : CloseReason::handshake_failed);
        return close();
      }
      if (X509* peer = SSL_get1_peer_certificate(stream_.native_handle())) {
        std::array<char, 512> name{};
        X509_NAME_oneline(X509_get_subject_name(peer), name.data(), static_cast<int>(name.size()));
        client_certificate_ = name.data();
        X509_free(peer);
      }
      read_header();
    }
  }

  // The first request's head must arrive within the header deadline from the start; a later request's deadline
  // starts with its first byte, after an idle wait.
  void read_header() {
    if (server_.draining()) return close();
    if (requests_ == 0 || buffer_.size() > 0) return read_header_now();
    state_ = State::waiting;
    lowest().expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) {
                                if (ec == boost::beast::error::timeout) self->report(CloseReason::idle_timeout);
                                return self->close();
                              }
                              self->read_header_now();
                            });
  }

  void read_header_now() {
    state_ = State::reading_header;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    lowest().expires_after(options().header_timeout);
    boost::beast::http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_header(ec, n); });
  }

  void on_header(error_code ec, std::size_t) {
    namespace http = boost::beast::http;
    // Beast checks a declared Content-Length against the body limit once the header's fields are parsed.
    if (ec == http::error::body_limit) return refuse_body();
    if (ec) return fail_read(ec);
    received_ = std::chrono::steady_clock::now();
    const auto& header = parser_->get();
    if (const auto refusal = framing_refusal(header)) {
      report(CloseReason::malformed_request);
      return answer_and_close(refusal->first, "malformed HTTP request: " + refusal->second);
    }
    // The memory budget for bodies (limits.max_inflight_body_bytes): what this body may take is reserved before
    // a byte of it is read (a chunked body may take up to the body limit), or it is refused.
    const auto declared = parser_->content_length();
    const std::size_t expected =
        declared ? static_cast<std::size_t>(std::min<std::uint64_t>(*declared, options().max_body_bytes))
                 : (parser_->chunked() ? options().max_body_bytes : 0);
    if (expected > 0) {
      if (!server_.reserve_body(expected)) {
        report(CloseReason::body_budget);
        return answer_and_close(boost::beast::http::status::service_unavailable,
                                "the request bodies being read already fill limits.max_inflight_body_bytes; retry "
                                "shortly",
                                true);
      }
      body_reserved_ = expected;
    }
    if (boost::beast::iequals(header[http::field::expect], "100-continue")) {
      state_ = State::writing;
      continue_.emplace(http::status::continue_, header.version());
      http::async_write(stream_, *continue_, [self = this->shared_from_this()](error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  // A request head whose message length two parsers could read differently (RFC 9112 6.1, 6.3, 3.2): a
  // Transfer-Encoding that does not end in chunked (400), a coding other than chunked (501), Transfer-Encoding
  // beside Content-Length (400), Transfer-Encoding in HTTP/1.0 (400); and HTTP/1.1 without exactly one Host
  // (400). Each is refused and the connection closed, so no byte after the head is read as another request.
  static std::optional<std::pair<boost::beast::http::status, std::string>> framing_refusal(
      const boost::beast::http::request_header<>& header) {
    namespace http = boost::beast::http;
    using Refusal = std::pair<http::status, std::string>;
    const auto hosts = header.count(http::field::host);
    if ((header.version() >= 11 && hosts != 1) || hosts > 1)
      return Refusal{http::status::bad_request, "an HTTP/1.1 request needs exactly one Host header"};
    // The codings of every Transfer-Encoding line, in order, without parameters or blanks.
    std::vector<std::string_view> codings;
    for (auto it = header.find(http::field::transfer_encoding);
         it != header.end() && it->name() == http::field::transfer_encoding; ++it) {
      const std::string_view value(it->value().data(), it->value().size());
      for (std::size_t start = 0; start <= value.size();) {
        const auto comma = std::min(value.find(',', start), value.size());
        std::string_view coding = value.substr(start, comma - start);
        coding = trim(coding.substr(0, coding.find(';')));  // without parameters
        if (!coding.empty()) codings.push_back(coding);
        start = comma + 1;
      }
    }
    const auto chunked = [](std::string_view coding) {
      return boost::beast::iequals(boost::beast::string_view(coding.data(), coding.size()), "chunked");
    };
    if (codings.empty()) {
      if (header.count(http::field::transfer_encoding) > 0)
        return Refusal{http::status::bad_request, "an empty Transfer-Encoding"};
      return std::nullopt;
    }
    if (header.version() < 11) return Refusal{http::status::bad_request, "Transfer-Encoding in an HTTP/1.0 request"};
    if (header.count(http::field::content_length) > 0)
      return Refusal{http::status::bad_request, "both Transfer-Encoding and Content-Length"};
    if (!chunked(codings.back())) return Refusal{http::status::bad_request, "Transfer-Encoding must end with chunked"};
    if (std::count_if(codings.begin(), codings.end(), chunked) > 1)
      return Refusal{http::status::bad_request, "chunked applied more than once"};
    if (codings.size() > 1)  // kzgd decodes no compression
      return Refusal{http::status::not_implemented,
                     "unsupported transfer coding \"" + std::string(codings.front()) + "\""};
    return std::nullopt;
  }

  // Answers a request that is refused before its body is read (malformed, over a limit) with a plain-text status,
  // and closes the connection after it; busy: a refusal worth retrying (Retry-After: 1). The caller counts why.
  void answer_and_close(boost::beast::http::status status, const std::string& message, bool busy = false) {
    namespace http = boost::beast::http;
    must_close_ = true;
    head_request_ = false;
    server_.request_started();
    HttpResponse answer{status, 11};
    answer.set(http::field::content_type, "text/plain");
    if (busy) answer.set(http::field::retry_after, "1");
    answer.body() = message + "\n";
    write(std::move(answer));
  }

  // Gives the body's share of the budget back (the request's answer is written, or the connection ends).
  void release_body() {
    if (body_reserved_ == 0) return;
    server_.release_body(body_reserved_);
    body_reserved_ = 0;
  }

  void read_body() {
    state_ = State::reading_body;
    lowest().expires_after(options().request_timeout);
    boost::beast::http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_body(ec, n); });
  }

  void on_body(error_code ec, std::size_t) {
    if (ec == boost::beast::http::error::body_limit) return refuse_body();
    if (ec) return fail_read(ec);
    hand_over(parser_->release(), false);
  }

  // A body over the limit: the handler answers from the header alone; the connection closes afterwards.
  void refuse_body() {
    report(CloseReason::body_too_large);
    must_close_ = true;
    HttpRequest header_only;
    header_only.base() = parser_->get().base();
    hand_over(std::move(header_only), true);
  }

  void fail_read(error_code ec) {
    namespace http = boost::beast::http;
    if (ec == boost::beast::error::timeout)
      report(state_ == State::reading_header ? CloseReason::header_timeout : CloseReason::body_timeout);
    // A clean close, a timeout or a client gone mid-message ends the connection quietly; a malformed request
    // head or body (a bad chunk) gets a bare 400 first.
    // (Network, TLS and timeout errors are of other categories than Beast's HTTP parse errors.)
    const bool gone = ec.category() != kHttpErrors.category() || ec == http::error::end_of_stream ||
                      ec == http::error::partial_message;
    const bool quiet = gone || (state_ == State::reading_header && !parser_->got_some()) ||
                       (state_ != State::reading_header && state_ != State::reading_body);
    if (quiet) return close();
    if (ec == http::error::header_limit) {
      report(CloseReason::header_too_large);
      return answer_and_close(http::status::request_header_fields_too_large,
                              "request headers over " + std::to_string(options().max_header_bytes) + " bytes");
    }
    report(CloseReason::malformed_request);
    answer_and_close(http::status::bad_request, "malformed HTTP request: " + ec.message());
  }

  void hand_over(HttpRequest&& request, bool body_too_large) {
    state_ = State::handling;
    ++requests_;
    lowest().expires_never();
    request_keep_alive_ = request.keep_alive();
    head_request_ = request.method() == boost::beast::http::verb::head;
    server_.request_started();
    gone_ = std::make_shared<std::atomic<bool>>(false);
    RequestInfo info{client_, received_, body_too_large, kTls, client_certificate_, gone_};
    auto self = this->shared_from_this();
    Responder respond = [self](HttpResponse response) {
      auto shared = std::make_shared<HttpResponse>(std::move(response));
      boost::asio::post(self->stream_.get_executor(), [self, shared] { self->write(std::move(*shared)); });
    };
    server_.handler_(std::move(request), std::move(info), std::move(respond));
    if (state_ == State::handling) watch_for_hangup();
  }

  // While the request is handled, watches the connection for the client closing it, so that work still
  // waiting for it is dropped (RequestInfo::gone). Only an end of stream or a reset counts: bytes that arrive
  // (a pipelined request, TLS records) end the watch, and are left for the next read.
  void watch_for_hangup() {
    lowest().socket().async_wait(
        tcp::socket::wait_read, [self = this->shared_from_this(), request = requests_](error_code ec) {
          if (ec || self->state_ != State::handling || self->requests_ != request) return;
          char byte = 0;
          const auto n = ::recv(self->lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
          if (n > 0) return;
          if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return self->watch_for_hangup();
          self->gone_->store(true, std::memory_order_relaxed);
        });
  }

  void write(HttpResponse&& response) {
    if (state_ == State::closed) return server_.request_finished();
    state_ = State::writing;
    error_code ignored;
    lowest().socket().cancel(ignored);  // the hang-up watch
    response.keep_alive(request_keep_alive_ && !must_close_ && !server_.draining());
    response.prepare_payload();
    // HEAD: the GET answer's header, Content-Length included, and no body.
    if (head_request_) response.body().clear();
    response_.emplace(std::move(response));
    lowest().expires_after(options().request_timeout);
    boost::beast::http::async_write(
        stream_, *response_,
        [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_write(ec, n); });
  }

  void on_write(error_code ec, std::size_t) {
    release_body();
    server_.request_finished();
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (ec == boost::beast::error::timeout) report(CloseReason::write_timeout);
    if (ec) return close();
    if (!keep_alive) return must_close_ ? linger_close() : close();
    read_header();
  }

  // Closes the sending side, then discards what the client still sends for a moment, so that a client still
  // writing a refused body reads the answer instead of a connection reset.
  void linger_close() {
    state_ = State::closed;
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().expires_after(kLingerTime);
    drain_input();
  }

  void drain_input() {
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 16384>>();
    lowest().async_read_some(boost::asio::buffer(*scratch_),
                             [self = this->shared_from_this()](error_code ec, std::size_t) {
                               if (ec) return self->close();
                               self->drain_input();
                             });
  }

  // Closes the TCP connection. For TLS no close_notify is sent: every answer is delimited by its
  // Content-Length, so a client loses nothing, and a close_notify exchange would need another deadline.
  void close() {
    release_body();
    state_ = State::closed;
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
  }

  void report(CloseReason reason) { server_.report_close(reason); }

  // Beast's HTTP parse errors (a category of their own): a malformed message, not a network failure.
  static inline const boost::system::error_code kHttpErrors = boost::beast::http::error::bad_version;

  // What the idle wait reads at most; a typical request arrives whole in one read.
  static constexpr std::size_t kFirstRead = 4096;

  HttpServer& server_;
  std::shared_ptr<boost::asio::ssl::context> context_;  // before stream_, which uses it
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
  std::optional<HttpResponse> response_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  std::string client_ = "unknown";
  std::string client_certificate_;
  std::chrono::steady_clock::time_point received_;
  State state_ = State::reading_header;
  std::size_t requests_ = 0;
  bool request_keep_alive_ = true;
  bool must_close_ = false;
  bool head_request_ = false;
  std::size_t body_reserved_ = 0;                    // this request's share of the body budget
  std::optional<boost::asio::ip::address> counted_;  // the peer in the per-client counts, if counted
  std::shared_ptr<std::atomic<bool>> gone_;          // the request being handled: its client has hung up
};

}  // namespace kzgd
