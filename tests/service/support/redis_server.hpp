// RedisServer: a real redis-server (Debian's) for a test, on loopback and a free port, its data in a temporary
// directory, no persistence; killed when the test ends, even when it fails.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "tests/service/support/test_certificates.hpp"

namespace kzgd::testing {

class RedisServer {
 public:
  // Starts it (with --requirepass when a password is given); started() says whether it answers.
  explicit RedisServer(std::string password = "");
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  bool started() const { return started_; }
  std::uint16_t port() const { return port_; }
  std::string url() const;  // redis://127.0.0.1:PORT/0 (the password is not in it)

  void kill();     // SIGKILL
  bool restart();  // on the same port, empty
  void pause();    // SIGSTOP: connections stay open, nothing answers
  void resume();   // SIGCONT

 private:
  bool start();

  TempDir dir_;
  std::string password_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;
};

}  // namespace kzgd::testing
