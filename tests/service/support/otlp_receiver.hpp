// OtlpReceiver: a loopback OTLP/HTTP collector for the tests (Boost.Beast, one thread). It answers every
// POST with `status` and keeps the bodies; in hang mode it accepts connections and never answers, like a
// collector that has stopped responding.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kzgd::testing {

class OtlpReceiver {
 public:
  enum class Mode { answer, hang };
  explicit OtlpReceiver(Mode mode = Mode::answer, unsigned status = 200);
  ~OtlpReceiver();

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }
  void set_status(unsigned status);

  // The request bodies received so far (target and content type checked: others are not kept).
  std::vector<std::string> bodies() const;
  std::size_t requests() const;
  // Waits until `n` spans in all arrived; false on timeout.
  bool wait_for_spans(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  void serve();

  const Mode mode_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<std::string> bodies_;
  std::size_t requests_ = 0;
  std::size_t spans_ = 0;
  unsigned status_;
  bool stopping_ = false;
  std::vector<boost::asio::ip::tcp::socket> held_;  // hang mode: open, never answered
  std::thread thread_;
};

}  // namespace kzgd::testing
