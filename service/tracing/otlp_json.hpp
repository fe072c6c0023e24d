// The OTLP/HTTP JSON encoding of an ExportTraceServiceRequest
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): the protobuf JSON mapping with the
// OTLP exceptions: trace and span ids as lowercase hex (not base64), enums as integers, field names in
// lowerCamelCase, and 64-bit integers (the times, int attributes) as decimal strings.
//
//   {"resourceSpans": [{"resource": {"attributes": [service.name ...]},
//                       "scopeSpans": [{"scope": {"name": "kzgd", "version": ...}, "spans": [...]}]}]}
#pragma once

#include <string>
#include <vector>

#include "service/tracing/span.hpp"

namespace kzgd {

std::string encode_otlp_json(const std::vector<Span>& spans, const std::string& service_name,
                             const std::string& service_version);

}  // namespace kzgd
