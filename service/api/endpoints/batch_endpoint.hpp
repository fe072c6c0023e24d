// POST /v1/batch: {"requests": [{"op": <spec function>, "input": {...}}, ...]} answered, in the same order,
// {"responses": [{"output": ...} | {"output": null, "error": {...}}, ...]}. One failing item does not fail the
// others. The batch is admitted as one unit of work (its parse); its items then become jobs of their own in the
// client's fair share (service/scheduling/admission.hpp), admitted together at their summed cost or refused together
// (503), and run in parallel; whoever finishes the last item sends the answer. Items dropped unrun at the deadline make
// the answer a 504.
#pragma once

#include <cstddef>

#include "service/api/endpoints/endpoint.hpp"
#include "service/api/operation_backend.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/scheduling/admission.hpp"

namespace kzgd {

class BatchEndpoint : public Endpoint {
 public:
  BatchEndpoint(const OperationBackend& backend, Admission& admission, ServiceMetrics& metrics,
                std::size_t max_batch_items)
      : backend_(backend), admission_(admission), metrics_(metrics), max_batch_items_(max_batch_items) {}

  void handle(Exchange&& exchange) override;

 private:
  void run(const std::shared_ptr<Exchange>& exchange);

  const OperationBackend& backend_;
  Admission& admission_;
  ServiceMetrics& metrics_;
  const std::size_t max_batch_items_;
};

}  // namespace kzgd
