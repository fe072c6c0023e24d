#include "service/tracing/span_exporter.hpp"

#include "service/tracing/otlp_json.hpp"
#include "service/tracing/retry_backoff.hpp"

namespace kzgd {

SpanExporter::SpanExporter(SpanExporterOptions options)
    : options_(std::move(options)),
      breaker_(options_.breaker_failures, options_.breaker_open_for),
      thread_([this] { run(); }) {}

SpanExporter::~SpanExporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool SpanExporter::enqueue(Span span) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.queue_size || stopping_) {
      ++dropped_;
      return false;
    }
    queue_.push_back(std::move(span));
    // Wake the thread for the first span (it starts the batch delay) and for a full batch.
    if (queue_.size() != 1 && queue_.size() < options_.batch_size) return true;
  }
  wake_.notify_one();
  return true;
}

std::size_t SpanExporter::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool SpanExporter::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

void SpanExporter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Wait for a first span, then until the batch is full or batch_delay has passed.
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (!stopping_) {
      const auto deadline = std::chrono::steady_clock::now() + options_.batch_delay;
      wake_.wait_until(lock, deadline, [this] { return stopping_ || queue_.size() >= options_.batch_size; });
    }
    if (queue_.empty() && stopping_) return;
    std::vector<Span> batch;
    const std::size_t n = std::min(queue_.size(), options_.batch_size);
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    const bool last = stopping_;
    lock.unlock();
    send(batch);
    lock.lock();
    if (last) {  // one try for what remained when the stop came; the rest is dropped
      dropped_ += queue_.size();
      queue_.clear();
      return;
    }
  }
}

void SpanExporter::send(const std::vector<Span>& batch) {
  if (!breaker_.allow(CircuitBreaker::Clock::now())) {
    dropped_ += batch.size();
    return;
  }
  const std::string body = encode_otlp_json(batch, options_.service_name, options_.service_version);
  for (unsigned attempt = 0;; ++attempt) {
    const ExportResult r = post_otlp_json(options_.collector, body, options_.timeout, options_.ca_file);
    if (r.ok) {
      breaker_.record_success();
      exported_ += batch.size();
      return;
    }
    if (!r.retryable || attempt >= options_.max_retries ||
        !pause(retry_delay(attempt, options_.retry_base, options_.retry_cap, rng_)))
      break;
    ++retries_;
  }
  ++failed_exports_;
  breaker_.record_failure(CircuitBreaker::Clock::now());
  dropped_ += batch.size();
}

}  // namespace kzgd
