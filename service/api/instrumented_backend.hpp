// InstrumentedBackend: an OperationBackend decorator that times every engine call for the profiler and, when
// the calling thread works for a traced request (tracing/tracer.hpp CurrentSpan), records it as a child span
// "engine <operation>". Items of a batch run by helper threads carry no request context: they are profiled
// but get no span.
#pragma once

#include "service/api/operation_backend.hpp"
#include "service/diagnostics/profiler.hpp"
#include "service/tracing/tracer.hpp"

namespace kzgd {

class InstrumentedBackend : public OperationBackend {
 public:
  InstrumentedBackend(const OperationBackend& inner, Profiler& profiler, Tracer& tracer)
      : inner_(inner), profiler_(profiler), tracer_(tracer) {}

  const std::vector<std::string>& operations() const override { return inner_.operations(); }
  bool ready() const override { return inner_.ready(); }
  Outcome run(std::string_view operation, const nlohmann::json& input) const override;
  Outcome run_binary(std::string_view operation, const BinaryInput& input) const override;
  std::optional<kzg::Error> self_test() const override { return inner_.self_test(); }
  std::span<const std::uint8_t> setup_fingerprint() const override { return inner_.setup_fingerprint(); }
  bool runs_together(std::string_view operation) const override { return inner_.runs_together(operation); }
  // A coalesced group (service/scheduling/request_coalescer.hpp) is profiled as one latency per request, the group's:
  // each request waited for all of it. It gets no span of its own.
  std::vector<Outcome> run_together(std::string_view operation, std::span<const OperationInput> inputs) const override;

 private:
  template <class Call>
  Outcome observe(std::string_view operation, bool binary, Call&& call) const;

  const OperationBackend& inner_;
  Profiler& profiler_;
  Tracer& tracer_;
};

}  // namespace kzgd
