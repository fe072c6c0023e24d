// SpanExporter: sends finished spans to an OTLP/HTTP collector from its own thread, so that exporting never
// blocks or slows a request.
//
//   queue     bounded (queue_size spans); enqueue() never waits: when the queue is full the span is dropped
//             and counted
//   batches   up to batch_size spans per POST, sent when a batch is full or batch_delay after the first span
//   retries   a failed POST that is worth retrying (no answer, timeout, 429/502/503/504) is tried again up to
//             max_retries times, waiting retry_delay() (exponential backoff with jitter) in between
//   breaker   after breaker_failures failed batches in a row, batches are dropped without a call until
//             breaker_open_for has passed; then one trial batch decides (tracing/circuit_breaker.hpp)
//
// Spans that cannot be delivered are dropped and counted (dropped()), never retried without bound.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "service/tracing/circuit_breaker.hpp"
#include "service/tracing/collector_url.hpp"
#include "service/tracing/otlp_http_client.hpp"
#include "service/tracing/span.hpp"

namespace kzgd {

struct SpanExporterOptions {
  CollectorUrl collector;
  std::string ca_file;  // PEM CAs for an https:// collector; empty: the system's store
  std::string service_name = "kzgd";
  std::string service_version;
  std::size_t queue_size = 2048;
  std::size_t batch_size = 256;
  std::chrono::milliseconds batch_delay{1000};
  std::chrono::milliseconds timeout{2000};
  unsigned max_retries = 3;
  std::chrono::milliseconds retry_base{100};
  std::chrono::milliseconds retry_cap{2000};
  unsigned breaker_failures = 5;
  std::chrono::milliseconds breaker_open_for{30000};
};

class SpanExporter {
 public:
  explicit SpanExporter(SpanExporterOptions options);
  // Stops the thread: what is queued gets one more try (bounded by the timeout), the rest is dropped.
  ~SpanExporter();
  SpanExporter(const SpanExporter&) = delete;
  SpanExporter& operator=(const SpanExporter&) = delete;

  // Queues a span; false (and the span counted as dropped) when the queue is full. Never blocks on I/O.
  bool enqueue(Span span);

  unsigned long long exported() const { return exported_.load(); }
  unsigned long long dropped() const { return dropped_.load(); }
  unsigned long long failed_exports() const { return failed_exports_.load(); }
  unsigned long long retries() const { return retries_.load(); }
  std::size_t queued() const;
  const CircuitBreaker& breaker() const { return breaker_; }
  const SpanExporterOptions& options() const { return options_; }

 private:
  void run();
  void send(const std::vector<Span>& batch);
  // Waits up to d unless stopping; false when stopping.
  bool pause(std::chrono::milliseconds d);

  const SpanExporterOptions options_;
  CircuitBreaker breaker_;
  std::mt19937_64 rng_{std::random_device{}()};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Span> queue_;
  bool stopping_ = false;
  std::atomic<unsigned long long> exported_{0}, dropped_{0}, failed_exports_{0}, retries_{0};
  std::thread thread_;
};

}  // namespace kzgd
