#include "service/scheduling/request_coalescer.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "service/api/codecs/output_encoding.hpp"
#include "service/api/codecs/responses.hpp"

namespace kzgd {

RequestCoalescer::RequestCoalescer(std::string operation, const OperationBackend& backend, WorkerPool& pool,
                                   ServiceMetrics& metrics, std::size_t max_batch)
    : operation_(std::move(operation)),
      backend_(backend),
      pool_(pool),
      metrics_(metrics),
      max_batch_(max_batch == 0 ? 1 : max_batch) {}

void RequestCoalescer::submit(CoalescedRequest request) {
  std::vector<CoalescedRequest> group;
  bool queue_flush = false;
  {
    std::lock_guard lock(mutex_);
    // The tasks waiting in the pool, less this coalescer's own flush (when it has not been taken yet): mostly
    // requests that may join.
    std::size_t queued = pool_.queued();
    if (flush_queued_ && queued > 0) --queued;
    if (pending_.empty()) {
      // This request opens a group; its target is its share of the work in sight.
      const std::size_t threads = pool_.threads() == 0 ? 1 : pool_.threads();
      target_ = std::min(max_batch_, (1 + queued + threads - 1) / threads);
    }
    pending_.push_back(std::move(request));
    if (queued == 0 || pending_.size() >= target_) {
      group.swap(pending_);
    } else if (!flush_queued_) {
      flush_queued_ = queue_flush = true;
    }
  }
  if (queue_flush) pool_.post_behind_queue([this] { flush(); });
  if (!group.empty()) run(group);
}

void RequestCoalescer::flush() {
  std::vector<CoalescedRequest> group;
  {
    std::lock_guard lock(mutex_);
    flush_queued_ = false;
    group.swap(pending_);
  }
  if (!group.empty()) run(group);
}

void RequestCoalescer::run(std::vector<CoalescedRequest>& group) const {
  std::vector<OperationInput> inputs;
  inputs.reserve(group.size());
  for (const CoalescedRequest& r : group)
    inputs.push_back(OperationInput{r.json ? &*r.json : nullptr, r.binary ? &*r.binary : nullptr});
  std::vector<Outcome> outcomes;
  try {
    outcomes = backend_.run_together(operation_, inputs);
  } catch (const std::exception& e) {
    for (const CoalescedRequest& r : group)
      r.exchange->respond(
          error_response(kzg::make_error(kzg::ErrorCode::internal_error, std::string("internal error: ") + e.what()),
                         r.exchange->version()));
    return;
  }
  metrics_.record_coalesced(group.size());
  for (std::size_t i = 0; i < group.size(); ++i) {
    const Outcome& outcome = i < outcomes.size()
                                 ? outcomes[i]
                                 : Outcome{nullptr, kzg::make_error(kzg::ErrorCode::internal_error,
                                                                    "the backend left a request unanswered")};
    group[i].exchange->respond(outcome_response(outcome, group[i].binary_wanted, group[i].exchange->version()));
  }
}

}  // namespace kzgd
