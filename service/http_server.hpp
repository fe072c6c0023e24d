// The network layer of kzgd: HTTP/1.1 with keep-alive on Boost.Beast, I/O threads separate from the crypto
// workers, body and header limits, read timeouts, and a graceful drain on shutdown.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api_handler.hpp"

namespace kzgd {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: an ephemeral port (tests)
  unsigned io_threads = 1;
  std::size_t max_body_bytes = 32u << 20;
  std::size_t max_header_bytes = 16u << 10;
  double request_timeout_seconds = 30;
  double idle_timeout_seconds = 60;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, ApiHandler& handler, Metrics& metrics);
  ~HttpServer();

  // Binds and listens; an error message on failure.
  std::optional<std::string> listen();
  unsigned short port() const { return bound_port_; }
  // Starts the I/O threads (returns at once).
  void start();
  // Stops accepting, lets in-flight requests finish (at most grace_seconds), then stops the I/O threads.
  // Returns true when everything in flight finished within the grace period.
  bool shutdown(double grace_seconds);
  // Blocks until the I/O threads have exited.
  void join();

  bool draining() const { return draining_; }
  std::size_t in_flight() const { return in_flight_; }
  boost::asio::io_context& io() { return io_; }

 private:
  friend class Session;
  void accept();

  ServerOptions options_;
  ApiHandler& handler_;
  Metrics& metrics_;
  boost::asio::io_context io_;
  // Keeps the I/O threads running while a request waits for a worker and nothing else is pending.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short bound_port_ = 0;
  std::vector<std::thread> threads_;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::uint64_t> next_request_id_{1};
};

}  // namespace kzgd
