#include "service/api/instrumented_backend.hpp"

#include <chrono>

namespace kzgd {

template <class Call>
Outcome InstrumentedBackend::observe(std::string_view operation, bool binary, Call&& call) const {
  const std::uint64_t start_unix = unix_nanos_now();
  const auto start = std::chrono::steady_clock::now();
  Outcome outcome = call();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  profiler_.record(operation, std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed));
  const auto& parent = CurrentSpan::get();
  if (parent && parent->sampled && tracer_.enabled()) {
    Span span;
    span.trace_id = parent->trace_id;
    span.span_id = random_span_id();
    span.parent_span_id = parent->span_id;
    span.name = "engine " + std::string(operation);
    span.kind = SpanKind::internal;
    span.start_unix_nanos = start_unix;
    span.end_unix_nanos =
        start_unix + static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
    span.attributes = {{"kzg.operation", std::string(operation)},
                       {"kzg.input_encoding", std::string(binary ? "binary" : "json")},
                       {"kzg.outcome", std::string(outcome.error ? "error" : "ok")}};
    if (outcome.error) span.attributes.emplace_back("kzg.error_code", std::string(kzg::to_string(outcome.error->code)));
    tracer_.finish(std::move(span), true);
  }
  return outcome;
}

Outcome InstrumentedBackend::run(std::string_view operation, const nlohmann::json& input) const {
  return observe(operation, false, [&] { return inner_.run(operation, input); });
}

Outcome InstrumentedBackend::run_binary(std::string_view operation, const BinaryInput& input) const {
  return observe(operation, true, [&] { return inner_.run_binary(operation, input); });
}

std::vector<Outcome> InstrumentedBackend::run_together(std::string_view operation,
                                                       std::span<const OperationInput> inputs) const {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Outcome> outcomes = inner_.run_together(operation, inputs);
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  for (std::size_t i = 0; i < inputs.size(); ++i) profiler_.record(operation, elapsed);
  return outcomes;
}

}  // namespace kzgd
