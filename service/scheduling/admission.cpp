#include "service/scheduling/admission.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

#include "service/api/codecs/responses.hpp"
#include "service/security/api_key_store.hpp"
#include "service/tracing/tracer.hpp"

namespace kzgd {
namespace {

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s", seconds);
  return text;
}

}  // namespace

std::string Admission::client_key(const Exchange& exchange) {
  return exchange.api_key ? "key " + exchange.api_key->name : "address " + exchange.client_address;
}

void Admission::submit(const std::shared_ptr<Exchange>& exchange, Work work) {
  const unsigned version = exchange->version();
  if (!state_.can_run()) {
    exchange->respond(error_response(
        kzg::make_error(kzg::ErrorCode::not_ready, "the trusted setup is still loading; retry shortly"), version));
    return;
  }
  const std::string& operation = exchange->record->operation;
  double seconds = deadlines_.seconds(operation);
  if (const auto header = exchange->request.find("X-Request-Timeout"); header != exchange->request.end()) {
    const auto asked = parse_request_timeout(std::string_view(header->value().data(), header->value().size()));
    if (!asked) return exchange->respond(error_response(asked.error(), version));
    seconds = std::min(seconds, *asked);
  }
  exchange->deadline = exchange->record->received + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                        std::chrono::duration<double>(seconds));

  WorkerPool::Job job;
  job.run = [exchange, work = std::move(work)] {
    try {
      const CurrentSpan current(exchange->record->trace);
      work(exchange);
    } catch (const std::exception& e) {
      exchange->respond(
          error_response(kzg::make_error(kzg::ErrorCode::internal_error, std::string("internal error: ") + e.what()),
                         exchange->version()));
    }
  };
  job.drop = [this, exchange](DropReason reason) { answer_dropped(exchange, reason); };
  job.client = client_key(*exchange);
  job.cost = seconds_of(costs_.request_cost(operation, exchange->request.body().size()));
  job.deadline = exchange->deadline;
  job.gone = exchange->info.gone;
  const auto admitted = pool_.submit(std::move(job));
  if (!admitted) refuse(exchange, admitted);
}

bool Admission::submit_parts(const std::shared_ptr<Exchange>& exchange, std::vector<Part> parts) {
  std::vector<WorkerPool::Job> jobs;
  jobs.reserve(parts.size());
  const std::string client = client_key(*exchange);
  for (Part& part : parts) {
    WorkerPool::Job job;
    job.run = std::move(part.run);
    job.drop = std::move(part.drop);
    job.client = client;
    job.cost = seconds_of(part.cost_tokens);
    job.deadline = exchange->deadline;
    job.gone = exchange->info.gone;
    jobs.push_back(std::move(job));
  }
  const auto admitted = pool_.submit_all(std::move(jobs));
  if (!admitted) refuse(exchange, admitted);
  return static_cast<bool>(admitted);
}

void Admission::refuse(const std::shared_ptr<Exchange>& exchange, const WorkerPool::Admission& refusal) {
  if (refusal.refusal == Refusal::stopped)
    return exchange->respond(error_response(
        kzg::make_error(kzg::ErrorCode::shutting_down, "the service is shutting down; retry on another replica"),
        exchange->version()));
  const double wait = refusal.estimated_wait_seconds;
  std::string reason;
  std::string message;
  if (refusal.refusal == Refusal::queue_full) {
    reason = "queue_full";
    message = "the work queue is full (workers.queue_limit = " + std::to_string(pool_.queue_limit()) +
              " requests); retry later";
  } else if (refusal.refusal == Refusal::queue_seconds) {
    reason = "queue_seconds";
    message = "the work queue holds its most estimated work (workers.queue_cpu_seconds = " +
              seconds_text(pool_.options().queue_seconds) + " of CPU); retry later";
  } else {
    reason = "deadline";
    const double left = std::chrono::duration<double>(exchange->deadline - exchange->record->received).count();
    message = "the estimated wait, " + seconds_text(wait) + ", exceeds this request's deadline of " +
              seconds_text(left) + " (limits.deadlines, X-Request-Timeout); retry later";
  }
  metrics_.record_shed(reason);
  const auto retry_after = static_cast<unsigned>(std::clamp(std::ceil(wait), 1.0, 60.0));
  exchange->respond(
      error_response(kzg::make_error(kzg::ErrorCode::overloaded, message), exchange->version(), retry_after));
}

void Admission::answer_dropped(const std::shared_ptr<Exchange>& exchange, DropReason reason) {
  if (reason == DropReason::client_gone) {
    metrics_.record_dropped("client_gone");
    // Nobody reads it; the status is nginx's "client closed request", for the access log and the metrics.
    return exchange->respond(error_response(
        kzg::make_error(kzg::ErrorCode::client_gone, "the client closed its connection before the work started"),
        exchange->version()));
  }
  metrics_.record_dropped("deadline");
  const double allowed = std::chrono::duration<double>(exchange->deadline - exchange->record->received).count();
  exchange->respond(
      error_response(kzg::make_error(kzg::ErrorCode::deadline_exceeded,
                                     "the request waited past its deadline of " + seconds_text(allowed) +
                                         " before its work could start (limits.deadlines, X-Request-Timeout)"),
                     exchange->version()));
}

}  // namespace kzgd
