// SpanContext: a trace's identity as W3C Trace Context carries it in the `traceparent` header
// (https://www.w3.org/TR/trace-context/#traceparent-header): version 00, a 16-byte trace id, an 8-byte parent
// span id and the flags (bit 0: sampled), all lowercase hex: "00-<32 hex>-<16 hex>-<2 hex>".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/hex.hpp"  // to_hex, for the ids

namespace kzgd {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

struct SpanContext {
  TraceId trace_id{};
  SpanId span_id{};
  bool sampled = false;
};

// The context of a traceparent header, or nullopt when it is malformed (wrong length or separators, uppercase
// or non-hex digits, version ff, an all-zero trace or span id). Versions above 00 are read as 00 reads them.
std::optional<SpanContext> parse_traceparent(std::string_view header);
std::string format_traceparent(const SpanContext& context);

// Fresh random ids (never all zero).
TraceId random_trace_id();
SpanId random_span_id();

}  // namespace kzgd
