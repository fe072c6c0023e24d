#include "tests/service/support/test_service.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kzgd::testing {

ServiceConfig test_config() {
  ServiceConfig c;
  c.server.listen = {"127.0.0.1", 0};
  c.server.io_threads = 1;
  c.workers.threads = 2;
  c.workers.queue_limit = 8;
  // The test operations cost 1 token, which the express lane would take beside the workers: the tests that
  // hold the workers with /v1/block count on the two alone. The overload manager's tests turn it on.
  c.workers.express_threads = 0;
  c.limits.max_body_bytes = 1u << 20;
  c.limits.max_batch_items = 16;
  c.shutdown.grace_seconds = 5;
  c.log.level = LogLevel::debug;
  c.diagnostics.health_interval_seconds = 0;  // health runs only when a test asks for one
  c.grpc.enabled = false;                     // the gRPC tests turn it on, on a free port
  return c;
}

ServiceConfig relaxed_config() {
  ServiceConfig c = test_config();
  c.log.level = LogLevel::warn;
  c.diagnostics.cpu_max_percent = 100;
  c.diagnostics.disk_min_free_bytes = 0;
  return c;
}

TestService::TestService(ServiceConfig config, const OperationBackend* backend)
    : log_sink_(std::make_shared<MemorySink>()) {
  logger_ = std::make_unique<Logger>(config.log.level, config.log.format, log_sink_);
  service_ = std::make_unique<Service>(config, backend ? *backend : test_backend_, *logger_);
  const auto bound = service_->start();
  if (!bound) throw std::runtime_error(bound.error().message);
  port_ = bound->port;
}

TestService::~TestService() {
  test_backend_.release();
  service_.reset();
}

std::string TestService::log_text() const { return log_sink_->text(); }

void set_key(ServiceConfig& config, const std::string& key, std::string_view text) {
  if (auto e = set_config_value(config, key, text)) ADD_FAILURE() << key << ": " << e->message;
}

}  // namespace kzgd::testing
