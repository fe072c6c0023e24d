// Admission: the load-shedding filter in front of the workers. Work is queued only while the backend can run
// it and the queue has room; otherwise the request is answered 503 with Retry-After at once, on the I/O
// thread, without waiting.
#pragma once

#include <functional>
#include <memory>

#include "api/exchange.hpp"
#include "api/service_state.hpp"
#include "observability/service_metrics.hpp"
#include "work/worker_pool.hpp"

namespace kzgd {

class Admission {
 public:
  Admission(WorkerPool& pool, ServiceMetrics& metrics, const ServiceState& state)
      : pool_(pool), metrics_(metrics), state_(state) {}

  // Queues work(exchange) for the workers (it must answer through exchange->respond), or answers 503. When work throws, the answer is a 500.
  void submit(std::shared_ptr<Exchange> exchange, std::function<void(const std::shared_ptr<Exchange>&)> work);

  WorkerPool& pool() { return pool_; }

 private:
  WorkerPool& pool_;
  ServiceMetrics& metrics_;
  const ServiceState& state_;
};

}  // namespace kzgd
