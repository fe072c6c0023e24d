// HTTP/1.1 framing as a proxy in front of kzgd sees it (RFC 9112): what a request's length is decided by, and
// what is refused, over raw sockets so that nothing in a client library tidies the bytes first. A request whose
// framing two parsers could read differently (request smuggling) is answered 400 or 501 and the connection is
// closed, so no byte after it is ever read as another request.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;

// Sends `bytes` on a fresh connection and returns everything the server sends until it closes the connection
// (or 5 s pass; then "timeout" is appended).
std::string exchange(std::uint16_t port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) ::close(fd);
    return "connect failed";
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      received += "timeout";
      break;
    }
    char buffer[4096];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return received;
}

// How many responses (status lines) `received` holds.
int responses(const std::string& received) {
  int n = 0;
  for (std::size_t at = received.find("HTTP/1.1 "); at != std::string::npos; at = received.find("HTTP/1.1 ", at + 1))
    ++n;
  return n;
}

bool starts_with_status(const std::string& received, unsigned status) {
  return received.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0) == 0;
}

const std::string kSmuggled = "GET /debug/memory HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

TEST(Framing, ATransferEncodingNotEndingInChunkedIsRefusedAndNothingIsSmuggled) {
  TestService s;
  for (const char* coding : {"identity", "xchunked", "chunked, identity", "chunked,identity", "compress"}) {
    const std::string request =
        "POST /v1/compute_challenge HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + std::string(coding) + "\r\n\r\n" +
        kSmuggled;
    const std::string received = exchange(s.port(), request);
    EXPECT_TRUE(starts_with_status(received, 400)) << coding << ":\n" << received;
    EXPECT_EQ(responses(received), 1) << coding << ": a second request was read from the body:\n" << received;
    EXPECT_EQ(received.find("timeout"), std::string::npos) << coding << ": the connection stayed open";
  }
}

TEST(Framing, AnUnsupportedCodingBeforeChunkedIs501) {
  TestService s;
  const std::string received =
      exchange(s.port(),
               "POST /v1/compute_challenge HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
               "0\r\n\r\n" +
                   kSmuggled);
  EXPECT_TRUE(starts_with_status(received, 501)) << received;
  EXPECT_EQ(responses(received), 1) << received;
}

TEST(Framing, TransferEncodingWithContentLengthIsRefused) {
  TestService s;
  const std::string received =
      exchange(s.port(),
               "POST /v1/compute_challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
               "\r\n0\r\n\r\n" +
                   kSmuggled);
  EXPECT_TRUE(starts_with_status(received, 400)) << received;
  EXPECT_EQ(responses(received), 1) << received;
}

TEST(Framing, ChunkedBodiesStillWork) {
  TestService s;
  const std::string received = exchange(s.port(),
                                        "POST /v1/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                        "Connection: close\r\n\r\n"
                                        "e\r\n{\"requests\": [\r\n2\r\n]}\r\n0\r\n\r\n");
  EXPECT_TRUE(starts_with_status(received, 200)) << received;
}

TEST(Framing, ABadChunkIsAnswered400BeforeTheClose) {
  TestService s;
  const std::string received = exchange(
      s.port(), "POST /v1/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");
  EXPECT_TRUE(starts_with_status(received, 400)) << received;
  EXPECT_EQ(responses(received), 1) << received;
}

TEST(Framing, Http11WithoutHostIs400) {
  TestService s;
  EXPECT_TRUE(starts_with_status(exchange(s.port(), "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"), 400));
  EXPECT_TRUE(starts_with_status(
      exchange(s.port(), "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"), 400));
  // HTTP/1.0 has no Host requirement.
  const std::string old = exchange(s.port(), "GET /health HTTP/1.0\r\n\r\n");
  EXPECT_NE(old.find(" 200 "), std::string::npos) << old;
}

TEST(Framing, HeadAnswersLikeGetWithoutABody) {
  TestService s;
  const std::string received = exchange(s.port(), "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(starts_with_status(received, 200)) << received;
  const auto end = received.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(received.size(), end + 4) << "HEAD answered with a body:\n" << received;
  EXPECT_NE(received.find("Content-Length: "), std::string::npos) << received;
}

}  // namespace
}  // namespace kzgd
