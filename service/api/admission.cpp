#include "api/admission.hpp"

#include <exception>

#include "api/responses.hpp"
#include "tracing/tracer.hpp"

namespace kzgd {

void Admission::submit(std::shared_ptr<Exchange> exchange, std::function<void(const std::shared_ptr<Exchange>&)> work) {
  const unsigned version = exchange->version();
  if (!state_.can_run()) {
    exchange->respond(
        unavailable_response(kzg::make_error("not_ready", "the trusted setup is still loading; retry shortly"), version));
    return;
  }
  auto task = [exchange, work = std::move(work)] {
    try {
      const CurrentSpan current(exchange->record->trace);
      work(exchange);
    } catch (const std::exception& e) {
      exchange->respond(error_response(HttpStatus::internal_server_error,
                                       kzg::make_error("internal_error", std::string("internal error: ") + e.what()),
                                       exchange->version()));
    }
  };
  if (!pool_.try_submit(std::move(task))) {
    metrics_.record_shed();
    exchange->respond(unavailable_response(
        kzg::make_error("overloaded", "the work queue is full (workers.queue_limit = " +
                                          std::to_string(pool_.queue_limit()) + "); retry later"),
        version));
  }
}

}  // namespace kzgd
