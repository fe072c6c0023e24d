// Slow and greedy clients on loopback: the request head deadline (not reset by each byte), the body deadline,
// the keep-alive idle timeout, head and body size limits, the connection limit, and their metrics.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <thread>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/metric_value.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The series' value once it reaches `expected` (a close is counted just after the client sees it), or its value
// after two seconds.
double metric(TestService& s, const std::string& series, double expected) {
  double value = -1;
  for (int attempt = 0; attempt < 40 && value != expected; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(milliseconds(50));
    value = metric_value(s.get("/metrics").body(), series).value_or(-1);
  }
  return value;
}

// A raw TCP connection that can send a byte at a time and notice the server closing it.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }

  // Sends `bytes` one at a time, `interval` apart, until all are sent or the server closes the connection; how
  // long after the first byte the close came, or nothing if it did not.
  std::optional<Clock::duration> dribble(const std::string& bytes, milliseconds interval) {
    const auto start = Clock::now();
    for (const char byte : bytes) {
      if (closed_within(milliseconds(0))) return Clock::now() - start;
      if (::send(fd_, &byte, 1, MSG_NOSIGNAL) != 1) return Clock::now() - start;
      if (closed_within(interval)) return Clock::now() - start;
    }
    return std::nullopt;
  }

  void send_all(const std::string& bytes) { ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

  // Waits up to `timeout` for the server's end of stream (data it sends first is read and discarded).
  bool closed_within(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) return false;
      char buffer[4096];
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return true;
      received_.append(buffer, static_cast<std::size_t>(n));
    }
  }
  const std::string& received() const { return received_; }

 private:
  int fd_;
  bool connected_ = false;
  std::string received_;
};

TEST(SlowClients, ASilentNewConnectionIsClosedAtTheHeaderDeadline) {
  ServiceConfig c = test_config();
  c.server.header_timeout_seconds = 0.3;
  c.server.idle_timeout_seconds = 60;  // a new connection gets the head deadline, not the keep-alive wait
  TestService s(c);
  RawConnection silent(s.port());
  ASSERT_TRUE(silent.connected());
  const auto start = Clock::now();
  EXPECT_TRUE(silent.closed_within(milliseconds(5000)));
  EXPECT_GE(Clock::now() - start, milliseconds(250));
  EXPECT_EQ(metric(s, closed_series("header_timeout"), 1), 1);
}

TEST(SlowClients, AHeadDribbledByteByByteIsClosedAtTheDeadline) {
  ServiceConfig c = test_config();
  c.server.header_timeout_seconds = 0.5;
  TestService s(c);
  RawConnection slow(s.port());
  ASSERT_TRUE(slow.connected());
  // 200 bytes 20 ms apart would take 4 s; every byte arrives well within any per-read timeout.
  const std::string head = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(160, 'a') + "\r\n\r\n";
  const auto closed_after = slow.dribble(head, milliseconds(20));
  ASSERT_TRUE(closed_after.has_value()) << "the whole head was accepted";
  EXPECT_GE(*closed_after, milliseconds(450));
  EXPECT_LT(*closed_after, milliseconds(3000));
  EXPECT_EQ(slow.received(), "");  // closed without an answer
  EXPECT_EQ(metric(s, closed_series("header_timeout"), 1), 1);
}

TEST(SlowClients, TheHeadDeadlineStartsWithTheFirstByteOnAKeepAliveConnection) {
  ServiceConfig c = test_config();
  c.server.header_timeout_seconds = 0.3;
  c.server.idle_timeout_seconds = 5;
  TestService s(c);
  HttpClient client(s.port());
  ASSERT_EQ(client.get("/health").result_int(), 200u);
  std::this_thread::sleep_for(milliseconds(600));  // idle longer than the head deadline, within the idle timeout
  EXPECT_EQ(client.get("/health").result_int(), 200u);
}

TEST(SlowClients, AnIdleKeepAliveConnectionIsClosed) {
  ServiceConfig c = test_config();
  c.server.idle_timeout_seconds = 0.3;
  TestService s(c);
  HttpClient client(s.port());
  ASSERT_EQ(client.get("/health").result_int(), 200u);
  const auto start = Clock::now();
  EXPECT_TRUE(client.closed_by_server(milliseconds(5000)));
  EXPECT_GE(Clock::now() - start, milliseconds(250));
  EXPECT_EQ(metric(s, closed_series("idle_timeout"), 1), 1);
}

TEST(SlowClients, ASlowBodyIsClosedAtTheBodyDeadline) {
  ServiceConfig c = test_config();
  c.server.request_timeout_seconds = 0.5;
  TestService s(c);
  RawConnection slow(s.port());
  ASSERT_TRUE(slow.connected());
  slow.send_all("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n");
  const auto closed_after = slow.dribble("{\"a\":\"" + std::string(192, 'b') + "\"}", milliseconds(20));
  ASSERT_TRUE(closed_after.has_value()) << "the whole body was accepted";
  EXPECT_GE(*closed_after, milliseconds(400));
  EXPECT_LT(*closed_after, milliseconds(3000));
  EXPECT_EQ(metric(s, closed_series("body_timeout"), 1), 1);
}

TEST(SlowClients, HeadsOverTheConfiguredLimitAre431) {
  ServiceConfig c = test_config();
  c.server.max_header_bytes = 2048;
  TestService s(c);
  EXPECT_EQ(s.post("/v1/echo", "{}", {{"X-Padding", std::string(1500, 'p')}}).result_int(), 200u);
  HttpClient client(s.port());
  client.send_raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(2100, 'p') + "\r\n\r\n");
  const auto r = client.read_response();
  EXPECT_EQ(r.result_int(), 431u);
  EXPECT_NE(r.body().find("2048"), std::string::npos) << r.body();
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(metric(s, closed_series("header_too_large"), 1), 1);
}

TEST(SlowClients, BodiesOverTheLimitAre413AndCounted) {
  ServiceConfig c = test_config();
  c.limits.max_body_bytes = 4096;
  TestService s(c);
  HttpClient client(s.port());
  EXPECT_TRUE(is_error(client.post("/v1/echo", std::string(5000, ' ')), 413, "body_too_large", "body"));
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(metric(s, closed_series("body_too_large"), 1), 1);
}

TEST(SlowClients, TheConnectionLimitClosesNewConnectionsAtOnce) {
  ServiceConfig c = test_config();
  c.server.max_connections = 2;
  TestService s(c);
  auto first = std::make_unique<HttpClient>(s.port());
  HttpClient second(s.port());
  ASSERT_EQ(first->get("/health").result_int(), 200u);
  ASSERT_EQ(second.get("/health").result_int(), 200u);

  RawConnection third(s.port());  // the kernel accepts it; kzgd answers a fixed 503 without reading, and closes
  ASSERT_TRUE(third.connected());
  EXPECT_TRUE(third.closed_within(milliseconds(5000)));
  EXPECT_EQ(third.received().rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << third.received();
  EXPECT_EQ(metric_value(second.get("/metrics").body(), closed_series("connection_limit")), 1);

  // Once one closes, a new connection is served again.
  first.reset();
  bool served = false;
  for (int attempt = 0; attempt < 40 && !served; ++attempt) {
    std::this_thread::sleep_for(milliseconds(50));
    RawConnection probe(s.port());
    probe.send_all("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    probe.closed_within(milliseconds(2000));
    served = probe.received().rfind("HTTP/1.1 200", 0) == 0;
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace kzgd
