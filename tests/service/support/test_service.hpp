// TestService: kzgd on loopback, an ephemeral port, a TestBackend and a logger writing to memory.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <memory>
#include <mutex>
#include <string>

#include "service/service.hpp"
#include "tests/service/support/http_client.hpp"
#include "tests/service/support/test_backend.hpp"

namespace kzgd::testing {

// A log sink that keeps every line in memory.
class MemorySink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    text_.append(msg.payload.data(), msg.payload.size());
    text_ += '\n';
  }
  void flush_() override {}

 private:
  std::string text_;
};

// A configuration for tests: 127.0.0.1:0, two workers and no express lane, small limits.
ServiceConfig test_config();
// test_config() with health thresholds no test machine fails (CPU up to 100%, no free-disk minimum) and
// warnings-only logs, for tests of /debug/health.
ServiceConfig relaxed_config();
// Sets one key as the configuration file would (a failed test if the value is refused).
void set_key(ServiceConfig& config, const std::string& key, std::string_view text);

class TestService {
 public:
  explicit TestService(ServiceConfig config = test_config(), const OperationBackend* backend = nullptr);
  ~TestService();

  std::uint16_t port() const { return port_; }
  TestBackend& backend() { return test_backend_; }
  Service& service() { return *service_; }
  // Everything logged so far, one line per entry.
  std::string log_text() const;

  HttpResponse get(const std::string& target) { return http_request(port_, boost::beast::http::verb::get, target); }
  HttpResponse post(const std::string& target, const std::string& body,
                    const std::map<std::string, std::string>& headers = {}) {
    return http_request(port_, boost::beast::http::verb::post, target, body, headers);
  }

 private:
  TestBackend test_backend_;
  std::shared_ptr<MemorySink> log_sink_;
  std::unique_ptr<Logger> logger_;
  std::unique_ptr<Service> service_;
  std::uint16_t port_ = 0;
};

}  // namespace kzgd::testing
