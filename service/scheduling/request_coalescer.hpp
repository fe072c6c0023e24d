// RequestCoalescer: concurrent requests for one operation run together when the backend does them for less
// that way (OperationBackend::runs_together): verify_kzg_proof or verify_blob_kzg_proof requests become one
// random linear combination, which shares one pairing check and one multi-scalar multiplication among them.
//
// No timer and no fixed wait: a request that reaches a worker joins the open group. The request that opens a
// group sets its target size: its share of the work in sight, (1 + queued) / threads rounded up, at most
// max_batch, so that every worker gets a group instead of one worker getting all. The group runs on the
// worker that brings it to its target, or at once when nothing else is queued. Otherwise a flush task is
// queued behind the requests already waiting: the ones ahead of it join, and the flush runs whatever
// gathered. The wait a request sees is therefore bounded by the work queued before it, which it would wait
// for anyway.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "service/api/exchange.hpp"
#include "service/api/operation_backend.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/scheduling/worker_pool.hpp"

namespace kzgd {

// One admitted request, its body already parsed: JSON input, or a binary body split into fields (viewing
// the request body, which the exchange keeps alive).
struct CoalescedRequest {
  std::shared_ptr<Exchange> exchange;
  std::optional<nlohmann::json> json;
  std::optional<BinaryInput> binary;
  bool binary_wanted = false;
};

class RequestCoalescer {
 public:
  RequestCoalescer(std::string operation, const OperationBackend& backend, WorkerPool& pool, ServiceMetrics& metrics,
                   std::size_t max_batch);
  RequestCoalescer(const RequestCoalescer&) = delete;
  RequestCoalescer& operator=(const RequestCoalescer&) = delete;

  const std::string& operation() const { return operation_; }

  // Called on a worker thread; answers the request now or later, on this or another worker.
  void submit(CoalescedRequest request);

 private:
  void flush();
  void run(std::vector<CoalescedRequest>& group) const;

  const std::string operation_;
  const OperationBackend& backend_;
  WorkerPool& pool_;
  ServiceMetrics& metrics_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::vector<CoalescedRequest> pending_;
  bool flush_queued_ = false;
  std::size_t target_ = 1;  // the open group's size at which it runs
};

}  // namespace kzgd
