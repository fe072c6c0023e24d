// What one greedy client can hold, over raw sockets: the budget for request bodies being read
// (limits.max_inflight_body_bytes), the per-client connection cap, and the connections kept for probes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/service/support/metric_value.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using std::chrono::milliseconds;

// A raw connection from `source` (a loopback address) to kzgd.
class Raw {
 public:
  Raw(std::uint16_t port, const char* source = "127.0.0.1") : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
                 ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0;
  }
  ~Raw() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  void send(const std::string& bytes) { ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // What arrives within `timeout` (stops early at the server's close).
  std::string read_for(milliseconds timeout) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return got;
      char buffer[4096];
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return got;
      got.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

double metric(TestService& s, const std::string& series) {
  return metric_value(s.get("/metrics").body(), series).value_or(-1);
}

// A JSON body of exactly n bytes for the test backend's echo operation.
std::string echo_body(std::size_t n) { return "{\"pad\": \"" + std::string(n - 11, 'a') + "\"}"; }

std::string head_for(std::size_t length) {
  return "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(length) + "\r\n\r\n";
}

TEST(Overload, BodiesBeingReadShareOneBudget) {
  ServiceConfig c = test_config();  // bodies up to 1 MiB
  c.limits.max_inflight_body_bytes = 1536u << 10;
  TestService s(c);
  const std::size_t n = 1000000;
  const std::string body = echo_body(n);
  // A holds most of the budget with a body it sends slowly.
  Raw a(s.port());
  ASSERT_TRUE(a.connected());
  a.send(head_for(n) + body.substr(0, 100));
  std::this_thread::sleep_for(milliseconds(100));
  // B's body would not fit: refused at once, before a byte of it is read.
  Raw b(s.port());
  ASSERT_TRUE(b.connected());
  b.send(head_for(n));
  const std::string refused = b.read_for(milliseconds(3000));
  EXPECT_EQ(refused.rfind("HTTP/1.1 503 ", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("limits.max_inflight_body_bytes"), std::string::npos) << refused;
  EXPECT_EQ(metric(s, closed_series("body_budget")), 1);
  // A finishes; its share comes back, and the next large body is read and answered.
  a.send(body.substr(100));
  const std::string answer = a.read_for(milliseconds(5000));
  EXPECT_NE(answer.find("HTTP/1.1 200 "), std::string::npos) << answer.substr(0, 300);
  Raw d(s.port());
  d.send(head_for(n) + body);
  EXPECT_NE(d.read_for(milliseconds(5000)).find("HTTP/1.1 200 "), std::string::npos);
}

TEST(Overload, AClientGoneMidBodyGivesItsShareBack) {
  ServiceConfig c = test_config();
  c.limits.max_inflight_body_bytes = 1536u << 10;
  TestService s(c);
  const std::size_t n = 1000000;
  {
    Raw a(s.port());
    a.send(head_for(n) + "{\"pad\"");
    std::this_thread::sleep_for(milliseconds(100));
  }  // closed half-way
  std::this_thread::sleep_for(milliseconds(200));
  Raw b(s.port());
  b.send(head_for(n) + echo_body(n));
  EXPECT_NE(b.read_for(milliseconds(5000)).find("HTTP/1.1 200 "), std::string::npos);
}

TEST(Overload, OneClientCannotHoldEveryConnection) {
  ServiceConfig c = test_config();
  c.server.max_connections_per_client = 3;
  set_key(c, "server.probe_sources", "");  // 127.0.0.1 is an ordinary client here
  TestService s(c);
  std::vector<std::unique_ptr<Raw>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Raw>(s.port()));
    ASSERT_TRUE(held.back()->connected());
  }
  std::this_thread::sleep_for(milliseconds(100));
  Raw fourth(s.port());
  const std::string refused = fourth.read_for(milliseconds(3000));
  EXPECT_EQ(refused.rfind("HTTP/1.1 503 ", 0), 0u) << refused;
  // Another address is not affected.
  Raw other(s.port(), "127.0.0.2");
  ASSERT_TRUE(other.connected());
  other.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(other.read_for(milliseconds(3000)).find("HTTP/1.1 200 "), std::string::npos);
  // One closed, one admitted again.
  held.pop_back();
  std::this_thread::sleep_for(milliseconds(200));
  Raw again(s.port());
  again.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(again.read_for(milliseconds(3000)).find("HTTP/1.1 200 "), std::string::npos);
  EXPECT_GE(metric(s, closed_series("client_connection_limit")), 1);
}

TEST(Overload, ProbesKeepTheirReservedConnections) {
  ServiceConfig c = test_config();
  c.server.max_connections = 6;
  c.server.probe_reserve = 2;
  c.server.max_connections_per_client = 0;
  set_key(c, "server.probe_sources", "127.0.0.9/32");
  TestService s(c);
  std::vector<std::unique_ptr<Raw>> flood;
  for (int i = 0; i < 4; ++i) flood.push_back(std::make_unique<Raw>(s.port()));
  std::this_thread::sleep_for(milliseconds(100));
  // The general connections are used up: another client is refused...
  Raw late(s.port(), "127.0.0.3");
  EXPECT_EQ(late.read_for(milliseconds(3000)).rfind("HTTP/1.1 503 ", 0), 0u);
  // ... while the probe still gets /health.
  Raw probe(s.port(), "127.0.0.9");
  ASSERT_TRUE(probe.connected());
  probe.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(probe.read_for(milliseconds(3000)).find("HTTP/1.1 200 "), std::string::npos);
}

}  // namespace
}  // namespace kzgd
