#include "service/tracing/otlp_json.hpp"

#include <nlohmann/json.hpp>

namespace kzgd {
namespace {

using nlohmann::json;

json any_value(const AttributeValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return {{"stringValue", x}};
        if constexpr (std::is_same_v<T, std::int64_t>) return {{"intValue", std::to_string(x)}};
        if constexpr (std::is_same_v<T, double>) return {{"doubleValue", x}};
        if constexpr (std::is_same_v<T, bool>) return {{"boolValue", x}};
      },
      v);
}

json key_value(const std::string& key, const AttributeValue& value) {
  return {{"key", key}, {"value", any_value(value)}};
}

json span_json(const Span& s) {
  json j = {{"traceId", kzg::to_hex(s.trace_id)},
            {"spanId", kzg::to_hex(s.span_id)},
            {"name", s.name},
            {"kind", static_cast<int>(s.kind)},
            {"startTimeUnixNano", std::to_string(s.start_unix_nanos)},
            {"endTimeUnixNano", std::to_string(s.end_unix_nanos)},
            {"attributes", json::array()}};
  if (s.parent_span_id) j["parentSpanId"] = kzg::to_hex(*s.parent_span_id);
  for (const auto& [k, v] : s.attributes) j["attributes"].push_back(key_value(k, v));
  // Status codes: 0 UNSET, 2 ERROR.
  j["status"] = s.error ? json{{"code", 2}, {"message", s.status_message}} : json{{"code", 0}};
  return j;
}

}  // namespace

std::string encode_otlp_json(const std::vector<Span>& spans, const std::string& service_name,
                             const std::string& service_version) {
  json list = json::array();
  for (const auto& s : spans) list.push_back(span_json(s));
  json resource = {{"attributes", json::array({key_value("service.name", service_name),
                                               key_value("service.version", service_version)})}};
  json scope = {{"scope", {{"name", "kzgd"}, {"version", service_version}}}, {"spans", std::move(list)}};
  json request = {
      {"resourceSpans", json::array({{{"resource", std::move(resource)}, {"scopeSpans", json::array({scope})}}})}};
  return request.dump();
}

}  // namespace kzgd
