// Admission: the overload manager's filter in front of the workers (service/scheduling/worker_pool.hpp). Each request
// gets a deadline (its operation's, security/operation_deadlines.hpp, lowered by the client's X-Request-Timeout) and an
// estimated cost (the catalogue's, security/operation_costs.hpp), and is queued in its client's fair share, keyed like
// the rate limiter. A request the queue has no room or no time for is answered 503 with Retry-After at once, on the I/O
// thread. A request still waiting at its deadline is answered 504 unrun; one whose client has gone is dropped unrun.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "service/api/exchange.hpp"
#include "service/api/service_state.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/scheduling/worker_pool.hpp"
#include "service/security/operation_costs.hpp"
#include "service/security/operation_deadlines.hpp"

namespace kzgd {

class Admission {
 public:
  using Work = std::function<void(const std::shared_ptr<Exchange>&)>;

  Admission(WorkerPool& pool, ServiceMetrics& metrics, const ServiceState& state, OperationCosts costs = {},
            OperationDeadlines deadlines = {})
      : pool_(pool), metrics_(metrics), state_(state), costs_(std::move(costs)), deadlines_(std::move(deadlines)) {}

  // Queues work(exchange) for the workers (it must answer through exchange->respond), or answers 400 (a bad
  // X-Request-Timeout) or 503. When work throws, the answer is a 500.
  void submit(const std::shared_ptr<Exchange>& exchange, Work work);

  // One part of admitted work (a batch's item): run, or drop (why) when the deadline passed or the client went.
  struct Part {
    std::function<void()> run;
    std::function<void(DropReason)> drop;
    double cost_tokens = 0;
  };
  // Queues the parts in the exchange's client's share, or, when their estimated wait exceeds the exchange's
  // deadline or the queue has no room for their cost, answers 503 and queues none: false.
  bool submit_parts(const std::shared_ptr<Exchange>& exchange, std::vector<Part> parts);

  // Answers a request dropped unrun (504 for a deadline; a client that is gone reads nothing) and counts it.
  void answer_dropped(const std::shared_ptr<Exchange>& exchange, DropReason reason);

  // A client's key, for its fair share here and its bucket in the rate limiter: the API key's name, else the
  // client's address.
  static std::string client_key(const Exchange& exchange);
  // CPU-seconds of a cost in tokens (one token ~ one verify_kzg_proof, ~1 ms on one core).
  static double seconds_of(double tokens) { return tokens * 0.001; }

  WorkerPool& pool() { return pool_; }
  const OperationCosts& costs() const { return costs_; }
  const OperationDeadlines& deadlines() const { return deadlines_; }

 private:
  void refuse(const std::shared_ptr<Exchange>& exchange, const WorkerPool::Admission& refusal);

  WorkerPool& pool_;
  ServiceMetrics& metrics_;
  const ServiceState& state_;
  const OperationCosts costs_;
  const OperationDeadlines deadlines_;
};

}  // namespace kzgd
