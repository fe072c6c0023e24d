// Tracer: makes the spans of kzgd's work and hands the sampled ones to the exporter.
//
//   a request    a server span, child of the client's traceparent when it sent a valid one (its sampled flag
//                decides, "parent-based" sampling), else the root of a new trace (sampled with
//                tracing.sample_ratio); the answer carries the span's own traceparent
//   engine call  an internal span, child of the request's span, made on the worker thread
//
// Without an exporter (tracing.endpoint empty) contexts are still made and passed on, but nothing is sent.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "service/tracing/span.hpp"
#include "service/tracing/span_exporter.hpp"

namespace kzgd {

// Unix time in nanoseconds.
std::uint64_t unix_nanos_now();

class Tracer {
 public:
  // exporter: null when tracing is off. sample_ratio in [0, 1].
  Tracer(std::unique_ptr<SpanExporter> exporter, double sample_ratio);

  // The context of a new request span: a child of `parent` when given, else a new trace.
  SpanContext start_context(const std::optional<SpanContext>& parent);
  // Sends a finished span when sampled and tracing is on.
  void finish(Span span, bool sampled);

  bool enabled() const { return exporter_ != nullptr; }
  const SpanExporter* exporter() const { return exporter_.get(); }

 private:
  bool sample_new_trace();

  std::unique_ptr<SpanExporter> exporter_;
  const double sample_ratio_;
  std::mutex rng_mutex_;
  std::mt19937_64 rng_{std::random_device{}()};
};

// The span context of the request the current thread works for (set around a worker task), so that engine
// calls can make child spans without the request being passed down.
class CurrentSpan {
 public:
  explicit CurrentSpan(const std::optional<SpanContext>& context);
  ~CurrentSpan();
  CurrentSpan(const CurrentSpan&) = delete;
  CurrentSpan& operator=(const CurrentSpan&) = delete;

  static const std::optional<SpanContext>& get();

 private:
  std::optional<SpanContext> previous_;
};

}  // namespace kzgd
