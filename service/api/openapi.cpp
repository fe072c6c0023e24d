#include "service/api/openapi.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/common/bytes.hpp"
#include "service/api/codecs/error_status.hpp"
#include "service/cache/cache_options.hpp"
#include "service/catalogue/operation_catalogue.hpp"

namespace kzgd {
namespace {

using json = nlohmann::json;

std::string ref(std::string_view kind, std::string_view name) {
  return "#/components/" + std::string(kind) + "/" + std::string(name);
}

json schema_ref(std::string_view name) { return {{"$ref", ref("schemas", name)}}; }

// 0x-prefixed hex of exactly `bytes` bytes; the length bounds the match instead of a 262144-fold quantifier.
json hex_bytes(std::size_t bytes, std::string_view description) {
  const std::size_t chars = 2 + 2 * bytes;
  return {{"type", "string"},
          {"pattern", "^0x[0-9a-fA-F]*$"},
          {"minLength", chars},
          {"maxLength", chars},
          {"description", description}};
}

std::string_view schema_name(WireType type) {
  switch (type) {
    case WireType::blob:
      return "Blob";
    case WireType::field_element:
      return "Bytes32";
    case WireType::g1_point:
      return "Bytes48";
    case WireType::cell:
      return "Cell";
    case WireType::index:
      return "Index";
    case WireType::boolean:
      return "Boolean";
  }
  return "Boolean";
}

json value_schema(const WireValue& v) {
  json s = schema_ref(schema_name(v.type));
  if (v.max_inner_items) s = {{"type", "array"}, {"items", s}, {"maxItems", v.max_inner_items}};
  if (v.max_items) s = {{"type", "array"}, {"items", s}, {"maxItems", v.max_items}};
  return s;
}

json output_schema(std::span<const WireValue> output) {
  if (output.size() == 1) return value_schema(output[0]);
  json items = json::array();
  for (const WireValue& v : output) items.push_back(value_schema(v));
  return {{"type", "array"}, {"prefixItems", items}, {"items", false}, {"minItems", output.size()}};
}

// The binary answer exists when the output is one boolean, or byte strings and lists of them: their bytes in order
// (service/api/codecs/output_encoding).
bool has_binary_output(std::span<const WireValue> output) {
  if (output.size() == 1 && output[0].max_items == 0) return output[0].type != WireType::index;
  for (const WireValue& v : output)
    if (v.type == WireType::index || v.type == WireType::boolean || v.max_inner_items != 0) return false;
  return !output.empty();
}

json input_schema(const OperationEntry& op) {
  json properties = json::object(), required = json::array();
  for (const Parameter& p : op.parameters) {
    properties[std::string(p.name)] = value_schema(p.value);
    required.push_back(p.name);
  }
  return {{"type", "object"}, {"properties", properties}, {"required", required}};
}

// The codes each HTTP status carries, from the error table.
std::map<unsigned, std::vector<std::string>> codes_by_status() {
  std::map<unsigned, std::vector<std::string>> by_status;
  for (const kzg::ErrorCode code : kzg::kAllErrorCodes)
    by_status[error_status(code).http].emplace_back(kzg::to_string(code));
  return by_status;
}

std::string_view status_text(unsigned status) {
  switch (status) {
    case 400:
      return "The request is malformed or a parameter is invalid";
    case 401:
      return "No valid API key (auth.enabled)";
    case 403:
      return "The key, the address or the origin is not allowed";
    case 404:
      return "No such path or operation";
    case 405:
      return "The path takes another method";
    case 413:
      return "The body or the batch is too large";
    case 415:
      return "The body's media type is not accepted here";
    case 429:
      return "The client's rate limit is spent; see Retry-After";
    case 431:
      return "The request headers are too large";
    case 499:
      return "The client closed its connection before the work started";
    case 500:
      return "A failure of the service (a bug)";
    case 501:
      return "Not available on this server";
    case 503:
      return "Not now: overloaded, starting, draining or out of memory; see Retry-After";
    case 504:
      return "The request waited past its deadline";
  }
  return "Error";
}

json error_schema(const std::vector<std::string>& codes) {
  const json code = {{"type", "string"}, {"enum", codes}};
  const json error = {
      {"type", "object"},
      {"required", json::array({"code", "message", "field"})},
      {"properties",
       {{"code", code}, {"message", {{"type", "string"}}}, {"field", {{"type", json::array({"string", "null"})}}}}}};
  return {{"type", "object"}, {"required", json::array({"error"})}, {"properties", {{"error", error}}}};
}

json components() {
  json schemas = {
      {"Blob", hex_bytes(kzg::kBytesPerBlob, "A blob: 4096 field elements, 0x-prefixed hex")},
      {"Bytes32", hex_bytes(kzg::kBytesPerFieldElement, "A BLS field element (big-endian, < r), 0x-prefixed hex")},
      {"Bytes48", hex_bytes(kzg::kBytesPerCommitment, "A compressed G1 point (commitment or proof), 0x-prefixed hex")},
      {"Cell", hex_bytes(kzg::kBytesPerCell, "A cell: 64 field elements, 0x-prefixed hex")},
      {"Index", {{"type", "integer"}, {"minimum", 0}, {"description", "A cell or commitment index"}}},
      {"Boolean", {{"type", "boolean"}}},
      {"Error", error_schema([] {
         std::vector<std::string> all;
         all.reserve(kzg::kAllErrorCodes.size());
         for (const kzg::ErrorCode code : kzg::kAllErrorCodes) all.emplace_back(kzg::to_string(code));
         return all;
       }())},
      {"BatchItemResult",
       {{"type", "object"}, {"required", json::array({"output"})}, {"properties", {{"output", json::object()}}}}},
  };
  // A batch item's error is the error object itself, not wrapped.
  schemas["BatchItemResult"]["properties"]["error"] = schemas["Error"]["properties"]["error"];
  json responses = json::object();
  for (const auto& [status, codes] : codes_by_status()) {
    const std::string name = "Error" + std::to_string(status);
    schemas[name] = error_schema(codes);
    json content = {{"application/json", {{"schema", schema_ref(name)}}}};
    // The HTTP layer answers malformed framing (400), oversized headers (431) and unsupported transfer codings
    // (501) in plain text before any route is chosen.
    if (status == 400 || status == 501) content["text/plain"] = {{"schema", {{"type", "string"}}}};
    json response = {{"description", status_text(status)}, {"content", content}};
    if (status == 503 || status == 429)
      response["headers"] = {
          {"Retry-After", {{"description", "Seconds to wait before retrying"}, {"schema", {{"type", "integer"}}}}}};
    responses[name] = response;
  }
  responses["Error431"] = {{"description", status_text(431)},
                           {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}};
  return {{"schemas", schemas},
          {"responses", responses},
          {"securitySchemes",
           {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
            {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}}};
}

json error_responses(std::initializer_list<unsigned> statuses) {
  json r = json::object();
  const auto known = codes_by_status();
  for (const unsigned s : statuses)
    if (known.contains(s) || s == 431) r[std::to_string(s)] = {{"$ref", ref("responses", "Error" + std::to_string(s))}};
  return r;
}

// Who may call: with auth.enabled a key is needed (either header); without it, anyone.
const json kSecurity = json::array({json::object(), {{"bearer", json::array()}}, {{"apiKey", json::array()}}});

json request_timeout_header() {
  return {{"name", "X-Request-Timeout"},
          {"in", "header"},
          {"required", false},
          {"description", "Lowers the request's deadline: seconds (2.5, 2.5s) or milliseconds (500ms), at most 3600 s"},
          {"schema", {{"type", "string"}}}};
}

json operation_path(const OperationEntry& op) {
  json request = {{"application/json", {{"schema", input_schema(op)}}}};
  if (!op.binary.empty()) {
    std::size_t bytes = 0;
    std::string parts;
    for (const BinaryPart& p : op.binary) {
      bytes += p.size;
      parts += (parts.empty() ? "" : ", ") + std::string(p.name) + " (" + std::to_string(p.size) + " bytes)";
    }
    request["application/octet-stream"] = {
        {"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}},
        {"x-kzgd-layout", "the raw bytes of " + parts + ", concatenated: " + std::to_string(bytes) + " bytes"}};
  }
  json ok = {{"application/json",
              {{"schema",
                {{"type", "object"},
                 {"required", json::array({"output"})},
                 {"properties", {{"output", output_schema(op.output)}}}}}}}};
  if (has_binary_output(op.output))
    ok["application/octet-stream"] = {
        {"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}};
  json responses = error_responses({400, 401, 403, 413, 415, 429, 431, 500, 501, 503, 504});
  responses["200"] = {{"description", "The spec function's output (binary when Accept asks and the form exists)"},
                      {"content", ok}};
  const auto& cacheable = cacheable_operations();
  if (std::find(cacheable.begin(), cacheable.end(), op.name) != cacheable.end())
    responses["200"]["headers"] = {
        {"Cache-Status",
         {{"description",
           "RFC 9211: how the result cache answered (cache.operations), e.g. \"kzgd; hit; detail=memory\", "
           "\"kzgd; hit; detail=redis\", \"kzgd; fwd=miss; stored\", \"kzgd; fwd=miss; collapsed\""},
          {"schema", {{"type", "string"}}}}}};
  std::string description = "The consensus-spec function " + std::string(op.name) + ". Needs the \"" +
                            std::string(to_string(op.permission)) + "\" permission when auth.enabled.";
  return {{"post",
           {{"operationId", op.name},
            {"summary", op.name},
            {"description", description},
            {"tags", json::array({"operations"})},
            {"security", kSecurity},
            {"parameters", json::array({request_timeout_header()})},
            {"requestBody", {{"required", true}, {"content", request}}},
            {"responses", responses}}}};
}

json object_schema(json required, json properties) {
  json s = json::object();
  s["type"] = "object";
  s["required"] = std::move(required);
  s["properties"] = std::move(properties);
  return s;
}

json json_content(json schema) {
  json c = json::object();
  c["application/json"]["schema"] = std::move(schema);
  return c;
}

json batch_path() {
  json names = json::array();
  for (const OperationEntry& op : operation_catalogue()) names.push_back(op.name);
  json op_name = json::object();
  op_name["type"] = "string";
  op_name["enum"] = names;
  json item_properties = json::object();
  item_properties["op"] = op_name;
  item_properties["input"]["type"] = "object";
  json requests = json::object();
  requests["type"] = "array";
  requests["items"] = object_schema(json::array({"op", "input"}), item_properties);
  json request_properties = json::object();
  request_properties["requests"] = requests;
  const json request = object_schema(json::array({"requests"}), request_properties);

  json results = json::object();
  results["type"] = "array";
  results["items"] = schema_ref("BatchItemResult");
  json ok_properties = json::object();
  ok_properties["responses"] = results;
  const json ok = object_schema(json::array({"responses"}), ok_properties);

  json responses = error_responses({400, 401, 403, 413, 415, 429, 431, 500, 503, 504});
  responses["200"]["description"] = "One result per request, in order: {output} or {output: null, error}";
  responses["200"]["content"] = json_content(ok);
  json post = json::object();
  post["operationId"] = "batch";
  post["summary"] = "Several operations in one request";
  post["tags"] = json::array({"operations"});
  post["security"] = kSecurity;
  post["parameters"] = json::array({request_timeout_header()});
  post["requestBody"]["required"] = true;
  post["requestBody"]["content"] = json_content(request);
  post["responses"] = responses;
  json path = json::object();
  path["post"] = post;
  return path;
}

json get_path(std::string_view id, std::string_view summary, json ok_content, json responses, bool secured) {
  responses["200"] = {{"description", summary}, {"content", std::move(ok_content)}};
  json get = {
      {"operationId", id}, {"summary", summary}, {"tags", json::array({"operations-kit"})}, {"responses", responses}};
  get["security"] = secured ? kSecurity : json::array({json::object()});
  return {{"get", get}};
}

json status_schema(const char* value) {
  json properties = json::object();
  properties["status"]["const"] = value;
  return object_schema(json::array({"status"}), properties);
}

json json_object_content() { return {{"application/json", {{"schema", {{"type", "object"}}}}}}; }

}  // namespace

nlohmann::json openapi_document(std::string_view version) {
  json paths = json::object();
  for (const OperationEntry& op : operation_catalogue()) paths["/v1/" + std::string(op.name)] = operation_path(op);
  paths["/v1/batch"] = batch_path();
  paths["/health"] = get_path("health", "Liveness: the process serves HTTP", json_content(status_schema("ok")),
                              error_responses({400, 403, 431}), false);
  json ready = get_path("ready", "Readiness: the trusted setup is loaded and the replica is not draining",
                        json_content(status_schema("ready")), error_responses({400, 403, 431}), false);
  json reason = json::object();
  reason["type"] = "string";
  reason["enum"] = json::array({"setup_loading", "draining"});
  json not_ready_properties = json::object();
  not_ready_properties["status"]["const"] = "not_ready";
  not_ready_properties["reason"] = reason;
  ready["get"]["responses"]["503"]["description"] = "Not ready; Retry-After: 1";
  ready["get"]["responses"]["503"]["content"] =
      json_content(object_schema(json::array({"status", "reason"}), not_ready_properties));
  paths["/ready"] = ready;
  paths["/metrics"] =
      get_path("metrics", "Prometheus text exposition (the admin permission unless metrics are open)",
               {{"text/plain", {{"schema", {{"type", "string"}}}}}}, error_responses({400, 401, 403, 431}), true);
  paths["/openapi.json"] =
      get_path("openapi", "This document", json_object_content(), error_responses({400, 403, 431}), false);
  for (const std::string_view debug : {"memory", "cpu", "profile", "health", "tracing"}) {
    json responses = error_responses({400, 401, 403, 431, 503});
    json path = get_path("debug_" + std::string(debug), "Diagnostics: /debug/" + std::string(debug) + " (admin)",
                         json_object_content(), responses, true);
    if (debug == "health")  // an unhealthy report is a 503 with the report as its body
      path["get"]["responses"]["503"] = {{"description", "Unhealthy (the report), or no report yet (an error)"},
                                         {"content", json_object_content()}};
    paths["/debug/" + std::string(debug)] = path;
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "kzgd"},
            {"version", version},
            {"summary", "KZG commitments and proofs for Ethereum blobs (EIP-4844) and cells (EIP-7594)"},
            {"description",
             "Every consensus-spec KZG function (deneb, fulu) over HTTP. Inputs and outputs are encoded as in the "
             "consensus-spec test vectors; errors are {\"error\": {\"code\", \"message\", \"field\"}}."}}},
          {"tags",
           {{{"name", "operations"}, {"description", "The KZG functions"}},
            {{"name", "operations-kit"}, {"description", "Probes, metrics and diagnostics"}}}},
          {"paths", paths},
          {"components", components()}};
}

}  // namespace kzgd
