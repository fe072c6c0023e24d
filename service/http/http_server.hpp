// HttpServer: the HTTP/1.1 transport (Boost.Beast over Asio). It accepts connections on its own I/O threads,
// reads requests (keep-alive, Expect: 100-continue, a body limit), hands each complete request to the
// RequestHandler and writes the response the handler returns, from whatever thread it returns it. It knows
// nothing of the API: routing, errors, logging and metrics live in the handler.
//
// With a TlsContext it speaks HTTPS: each connection first completes a TLS handshake (within its deadline) with
// the context current when it was accepted. Slow and greedy clients are bounded (docs/security.md): a limit on
// open connections, a deadline for each request head (not reset by each byte), one for each body, a keep-alive
// idle timeout and a head size limit; every connection closed for one of these reasons is reported to on_close.
//
// One request per connection is in progress at a time (no pipelining: the next request is read after the
// response is written). Shutdown is in steps: drain() closes the listener and idle connections and makes
// every later response close its connection; wait_until_idle() waits for the requests in progress; stop()
// closes the rest and joins the I/O threads.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/common/result.hpp"
#include "service/http/close_reason.hpp"
#include "service/http/server_options.hpp"
#include "service/http/tls_context.hpp"

namespace kzgd {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// What the transport knows about a request besides its message.
struct RequestInfo {
  std::string client;                              // peer "ip:port"
  std::chrono::steady_clock::time_point received;  // when the header was read
  bool body_too_large = false;                     // the body exceeds max_body_bytes; it was not read
  bool tls = false;                                // the connection is HTTPS
  std::string client_certificate;                  // a verified client certificate's subject (mutual TLS), or empty
  // Set, from the I/O thread, when the client closes its connection before the answer is sent.
  std::shared_ptr<const std::atomic<bool>> gone = {};
  // For a gRPC call run through the HTTP API's chain (service/grpc/grpc_server.hpp): its method
  // ("VerifyKzgProof"); empty for HTTP. The access log and the metrics report the call as gRPC.
  std::string grpc_method = {};
};

// Sends the response; callable from any thread, exactly once per request.
using Responder = std::function<void(HttpResponse)>;
using RequestHandler = std::function<void(HttpRequest&& request, RequestInfo info, Responder respond)>;

struct HttpServerOptions {
  ListenAddress listen;
  unsigned io_threads = 1;
  std::size_t max_body_bytes = 16u << 20;
  std::chrono::milliseconds idle_timeout{60000};     // waiting for a request's header
  std::chrono::milliseconds request_timeout{30000};  // reading its body, writing its answer
  std::size_t max_connections = 10000;               // open at once; beyond it a new connection is closed at once
  // Per client address (the TCP peer); beyond it a new connection is answered 503 and closed. 0: no cap.
  std::size_t max_connections_per_client = 0;
  // The last probe_reserve of max_connections are kept for peers probe_source accepts (the kubelet, a load
  // balancer's health checks), so a connection flood cannot fail the probes of a healthy replica.
  std::size_t probe_reserve = 0;
  std::function<bool(const boost::asio::ip::address&)> probe_source;  // null: no peer is a probe source
  // Peers exempt from max_connections_per_client besides the probe sources (trusted reverse proxies).
  std::function<bool(const boost::asio::ip::address&)> per_client_exempt;
  // Request bodies being read or held, over every connection: a body that would not fit is answered 503
  // before it is read. 0: no budget (max_connections x max_body_bytes is then the bound).
  std::size_t max_inflight_body_bytes = 0;
  std::size_t max_header_bytes = 16384;                // a larger request head is answered 431
  std::chrono::milliseconds header_timeout{10000};     // from a request's first byte to its whole head
  std::chrono::milliseconds handshake_timeout{10000};  // the TLS handshake
  std::shared_ptr<const TlsContext> tls;               // null: plain HTTP
  std::function<void(CloseReason)> on_close;           // called from the I/O threads; may be null
};

// A client connection as the server sees it (the session types are internal to the server).
class HttpConnection {
 public:
  virtual ~HttpConnection() = default;
  // From any thread: closes the connection if it is waiting for a request.
  virtual void close_if_idle() = 0;
  // Closes the connection at once; only while no I/O thread runs (after they are joined).
  virtual void close_stopped() = 0;
};

template <class Stream>
class HttpSession;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads; the address actually bound (port 0 resolved).
  kzg::Result<ListenAddress> start();
  // Stops accepting, closes idle connections; responses from now on close their connections.
  void drain();
  // Waits until no request is in progress (true), or the timeout passes (false).
  bool wait_until_idle(std::chrono::milliseconds timeout);
  // Closes every connection and joins the I/O threads. Idempotent.
  void stop();

  bool draining() const { return draining_.load(); }
  std::size_t connections_open() const { return connections_.load(); }
  std::size_t requests_in_progress() const { return in_progress_.load(); }

 private:
  template <class Stream>
  friend class HttpSession;
  void accept_next();
  void start_session(boost::asio::ip::tcp::socket&& socket);
  void report_close(CloseReason reason) const;
  void request_started();
  void request_finished();
  // The body budget: reserves n bytes if they fit (true), or nothing (false).
  bool reserve_body(std::size_t n);
  void release_body(std::size_t n);
  // Per-client connection counts: admits a peer (true) or refuses it (false); forget() when it closes.
  bool admit_client(const boost::asio::ip::address& peer);
  void forget_client(const boost::asio::ip::address& peer);

  const HttpServerOptions options_;
  const RequestHandler handler_;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> in_progress_{0};
  std::atomic<std::size_t> body_bytes_{0};
  std::mutex clients_mutex_;
  std::unordered_map<std::string, std::size_t> clients_;  // open connections per peer address
  std::mutex idle_mutex_;
  std::condition_variable idle_;
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<HttpConnection>> sessions_;
  // The Asio state comes last so it is destroyed first: destroying io_ destroys the pending handlers and the
  // sessions they hold, which still use the counters above.
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace kzgd
