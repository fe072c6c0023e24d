#include "tests/service/support/otlp_receiver.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace kzgd::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

OtlpReceiver::OtlpReceiver(Mode mode, unsigned status)
    : mode_(mode), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), status_(status) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

OtlpReceiver::~OtlpReceiver() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // Wake the blocking accept with a connection of our own.
  boost::system::error_code ec;
  tcp::socket poke(io_);
  poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  thread_.join();
}

void OtlpReceiver::set_status(unsigned status) {
  std::lock_guard lock(mutex_);
  status_ = status;
}

std::vector<std::string> OtlpReceiver::bodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

std::size_t OtlpReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool OtlpReceiver::wait_for_spans(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return spans_ >= n; });
}

void OtlpReceiver::serve() {
  for (;;) {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (ec) continue;
    if (mode_ == Mode::hang) {
      held_.push_back(std::move(socket));
      continue;
    }
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) continue;
    unsigned status;
    {
      std::lock_guard lock(mutex_);
      ++requests_;
      status = status_;
      if (status == 200 && request.target() == "/v1/traces" &&
          request[http::field::content_type] == "application/json") {
        bodies_.push_back(request.body());
        const auto j = nlohmann::json::parse(request.body(), nullptr, false);
        if (!j.is_discarded())
          for (const auto& rs : j.value("resourceSpans", nlohmann::json::array()))
            for (const auto& ss : rs.value("scopeSpans", nlohmann::json::array()))
              spans_ += ss.value("spans", nlohmann::json::array()).size();
      }
    }
    arrived_.notify_all();
    http::response<http::string_body> response{static_cast<http::status>(status), 11};
    response.set(http::field::content_type, "application/json");
    response.body() = "{}";
    response.keep_alive(false);
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

}  // namespace kzgd::testing
