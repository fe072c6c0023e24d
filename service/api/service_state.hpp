// ServiceState: whether the service takes work. Ready means the backend is ready (the trusted setup is
// loaded) and the service is not draining for shutdown; GET /ready reports it.
#pragma once

#include <atomic>
#include <string>

#include "service/api/operation_backend.hpp"

namespace kzgd {

class ServiceState {
 public:
  explicit ServiceState(const OperationBackend& backend) : backend_(backend) {}

  void start_draining() { draining_ = true; }
  bool draining() const { return draining_.load(); }
  bool ready() const { return !draining() && backend_.ready(); }
  // Whether operations can run: the backend is ready (draining does not stop requests already received).
  bool can_run() const { return backend_.ready(); }
  // Why not ready: "draining", "setup_loading", or empty when ready.
  std::string not_ready_reason() const {
    if (draining()) return "draining";
    if (!backend_.ready()) return "setup_loading";
    return {};
  }

 private:
  const OperationBackend& backend_;
  std::atomic<bool> draining_{false};
};

}  // namespace kzgd
