// Span: one finished unit of work (a request, an engine call) as the exporter sends it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "service/tracing/span_context.hpp"

namespace kzgd {

// OTLP's span kinds (opentelemetry/proto/trace/v1/trace.proto, Span.SpanKind).
enum class SpanKind : int { internal = 1, server = 2, client = 3 };

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;

struct Span {
  TraceId trace_id{};
  SpanId span_id{};
  std::optional<SpanId> parent_span_id;
  std::string name;
  SpanKind kind = SpanKind::internal;
  std::uint64_t start_unix_nanos = 0;
  std::uint64_t end_unix_nanos = 0;
  std::vector<std::pair<std::string, AttributeValue>> attributes;
  bool error = false;          // status code ERROR (else UNSET)
  std::string status_message;  // why, when error
};

}  // namespace kzgd
