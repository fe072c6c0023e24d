#include "service/tracing/tracer.hpp"

namespace kzgd {
namespace {

thread_local std::optional<SpanContext> current_span;

}  // namespace

std::uint64_t unix_nanos_now() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

Tracer::Tracer(std::unique_ptr<SpanExporter> exporter, double sample_ratio)
    : exporter_(std::move(exporter)), sample_ratio_(sample_ratio) {}

bool Tracer::sample_new_trace() {
  if (sample_ratio_ >= 1) return true;
  if (sample_ratio_ <= 0) return false;
  std::lock_guard lock(rng_mutex_);
  return std::uniform_real_distribution<double>(0, 1)(rng_) < sample_ratio_;
}

SpanContext Tracer::start_context(const std::optional<SpanContext>& parent) {
  SpanContext c;
  c.span_id = random_span_id();
  if (parent) {
    c.trace_id = parent->trace_id;
    c.sampled = parent->sampled;
  } else {
    c.trace_id = random_trace_id();
    c.sampled = sample_new_trace();
  }
  return c;
}

void Tracer::finish(Span span, bool sampled) {
  if (exporter_ && sampled) exporter_->enqueue(std::move(span));
}

CurrentSpan::CurrentSpan(const std::optional<SpanContext>& context) : previous_(current_span) {
  current_span = context;
}

CurrentSpan::~CurrentSpan() { current_span = previous_; }

const std::optional<SpanContext>& CurrentSpan::get() { return current_span; }

}  // namespace kzgd
