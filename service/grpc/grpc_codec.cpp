#include "service/grpc/grpc_codec.hpp"

#include <nlohmann/json.hpp>

#include "engine/common/hex.hpp"
#include "service/api/codecs/json_body.hpp"
#include "service/api/codecs/responses.hpp"

namespace kzgd::grpc_api {

namespace pb = google::protobuf;

namespace {

const pb::ServiceDescriptor& kzg_service() {
  return *kzg::v1::BatchRequest::descriptor()->file()->FindServiceByName("Kzg");
}

// ---- request messages to the chain's JSON input ----

void append_hex(std::string& out, std::string_view bytes) {
  out += "\"0x";
  out += kzg::to_hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  out += '"';
}

void append_value(std::string& out, const pb::Message& m, const pb::FieldDescriptor& f, int index) {
  const pb::Reflection& r = *m.GetReflection();
  std::string scratch;
  switch (f.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
      append_hex(out, index < 0 ? r.GetStringReference(m, &f, &scratch)
                                : r.GetRepeatedStringReference(m, &f, index, &scratch));
      return;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      out += std::to_string(index < 0 ? r.GetUInt64(m, &f) : r.GetRepeatedUInt64(m, &f, index));
      return;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      out += (index < 0 ? r.GetBool(m, &f) : r.GetRepeatedBool(m, &f, index)) ? "true" : "false";
      return;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
      // A list inside a list (CosetEvals): the inner message's one repeated field.
      const pb::Message& inner = index < 0 ? r.GetMessage(m, &f) : r.GetRepeatedMessage(m, &f, index);
      const pb::FieldDescriptor* list =
          inner.GetDescriptor()->field_count() == 1 ? inner.GetDescriptor()->field(0) : nullptr;
      if (list == nullptr || !list->is_repeated()) {
        out += "null";
        return;
      }
      out += '[';
      const int n = inner.GetReflection()->FieldSize(inner, list);
      for (int k = 0; k < n; ++k) {
        if (k > 0) out += ',';
        append_value(out, inner, *list, k);
      }
      out += ']';
      return;
    }
    default:
      out += "null";
  }
}

void append_field(std::string& out, const pb::Message& m, const pb::FieldDescriptor& f) {
  if (!f.is_repeated()) return append_value(out, m, f, -1);
  out += '[';
  const int n = m.GetReflection()->FieldSize(m, &f);
  for (int k = 0; k < n; ++k) {
    if (k > 0) out += ',';
    append_value(out, m, f, k);
  }
  out += ']';
}

std::string json_input(const OperationEntry& entry, const pb::Message& request) {
  const pb::Descriptor& d = *request.GetDescriptor();
  std::string body = "{";
  for (const Parameter& p : entry.parameters) {
    const pb::FieldDescriptor* f = d.FindFieldByName(std::string(p.name));
    if (f == nullptr) continue;  // catalogue_mismatches() reports it; the chain answers the missing field
    if (body.size() > 1) body += ',';
    body += '"';
    body += p.name;
    body += "\":";
    append_field(body, request, *f);
  }
  body += '}';
  return body;
}

// ---- the chain's answers to response messages ----

void set_bytes(pb::Message& m, const pb::FieldDescriptor& f, std::string value) {
  if (f.is_repeated())
    m.GetReflection()->AddString(&m, &f, std::move(value));
  else
    m.GetReflection()->SetString(&m, &f, std::move(value));
}

bool fields_match(const OperationEntry& entry, const pb::Descriptor& response) {
  if (static_cast<std::size_t>(response.field_count()) != entry.output.size()) return false;
  for (std::size_t i = 0; i < entry.output.size(); ++i) {
    const pb::FieldDescriptor& f = *response.field(static_cast<int>(i));
    const WireValue& v = entry.output[i];
    const bool list = v.max_items != 0;
    if (f.is_repeated() != list) return false;
    if (v.type == WireType::boolean ? f.type() != pb::FieldDescriptor::TYPE_BOOL
                                    : f.type() != pb::FieldDescriptor::TYPE_BYTES)
      return false;
  }
  return true;
}

kzg::Error malformed_answer(std::string_view what) {
  return kzg::make_error(kzg::ErrorCode::internal_error,
                         "internal error: the answer does not decode (" + std::string(what) + ")");
}

// The raw bytes of an output (output_encoding.hpp): fixed-size values in order, lists of equal length.
std::optional<kzg::Error> decode_binary(const OperationEntry& entry, std::string_view body, pb::Message& response) {
  const pb::Descriptor& d = *response.GetDescriptor();
  if (entry.output.size() == 1 && entry.output[0].type == WireType::boolean) {
    if (body.size() != 1) return malformed_answer("boolean");
    response.GetReflection()->SetBool(&response, d.field(0), body[0] != 0);
    return std::nullopt;
  }
  std::size_t fixed = 0;
  std::size_t per_item = 0;
  for (const WireValue& v : entry.output) (v.max_items == 0 ? fixed : per_item) += wire_bytes(v.type);
  if (body.size() < fixed || (per_item == 0 && body.size() != fixed) ||
      (per_item != 0 && (body.size() - fixed) % per_item != 0))
    return malformed_answer("size");
  const std::size_t items = per_item == 0 ? 0 : (body.size() - fixed) / per_item;
  std::size_t at = 0;
  for (std::size_t i = 0; i < entry.output.size(); ++i) {
    const WireValue& v = entry.output[i];
    const std::size_t size = wire_bytes(v.type);
    const pb::FieldDescriptor& f = *d.field(static_cast<int>(i));
    for (std::size_t k = 0; k < (v.max_items == 0 ? 1 : items); ++k, at += size)
      set_bytes(response, f, std::string(body.substr(at, size)));
  }
  return std::nullopt;
}

bool decode_json_value(const nlohmann::json& v, pb::Message& m, const pb::FieldDescriptor& f) {
  if (f.type() == pb::FieldDescriptor::TYPE_BOOL) {
    if (!v.is_boolean()) return false;
    m.GetReflection()->SetBool(&m, &f, v.get<bool>());
    return true;
  }
  const auto one = [&](const nlohmann::json& s) {
    if (!s.is_string()) return false;
    const auto bytes = kzg::hex_decode(s.get_ref<const std::string&>(), std::size_t{1} << 20);
    if (!bytes) return false;
    set_bytes(m, f, std::string(bytes->begin(), bytes->end()));
    return true;
  };
  if (!f.is_repeated()) return one(v);
  if (!v.is_array()) return false;
  for (const auto& item : v)
    if (!one(item)) return false;
  return true;
}

// An {"output": ...} value: one value, or an array of the outputs in order.
std::optional<kzg::Error> decode_json_output(const OperationEntry& entry, const nlohmann::json& output,
                                             pb::Message& response) {
  const pb::Descriptor& d = *response.GetDescriptor();
  if (entry.output.size() == 1) {
    if (!decode_json_value(output, response, *d.field(0))) return malformed_answer("output");
    return std::nullopt;
  }
  if (!output.is_array() || output.size() != entry.output.size()) return malformed_answer("output list");
  for (std::size_t i = 0; i < entry.output.size(); ++i)
    if (!decode_json_value(output[i], response, *d.field(static_cast<int>(i)))) return malformed_answer("output");
  return std::nullopt;
}

bool is_binary(const HttpResponse& answer) {
  const auto type = answer[boost::beast::http::field::content_type];
  return std::string_view(type.data(), type.size()).starts_with("application/octet-stream");
}

// ---- google.rpc.Status, written by hand: the three messages are small and Debian ships no C++ for them ----

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
void put_bytes(std::string& out, unsigned field, std::string_view value) {
  put_varint(out, (std::uint64_t{field} << 3) | 2);
  put_varint(out, value.size());
  out += value;
}
void put_any(std::string& status, std::string_view type, const std::string& value) {
  std::string any;
  put_bytes(any, 1, std::string("type.googleapis.com/") + std::string(type));
  put_bytes(any, 2, value);
  put_bytes(status, 3, any);
}

}  // namespace

std::string rpc_name(std::string_view operation) {
  std::string out;
  bool upper = true;
  for (char c : operation) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

const std::vector<GrpcOperation>& grpc_operations() {
  static const std::vector<GrpcOperation> ops = [] {
    std::vector<GrpcOperation> v;
    for (const OperationEntry& entry : operation_catalogue())
      if (const pb::MethodDescriptor* m = kzg_service().FindMethodByName(rpc_name(entry.name)))
        if (fields_match(entry, *m->output_type())) v.push_back({&entry, m});
    return v;
  }();
  return ops;
}

std::vector<std::string> catalogue_mismatches() {
  std::vector<std::string> out;
  for (const OperationEntry& entry : operation_catalogue()) {
    const pb::MethodDescriptor* m = kzg_service().FindMethodByName(rpc_name(entry.name));
    if (m == nullptr) {
      out.push_back(std::string(entry.name) + ": no RPC " + rpc_name(entry.name));
      continue;
    }
    if (!fields_match(entry, *m->output_type()))
      out.push_back(std::string(entry.name) + ": " + m->output_type()->name() + " does not match its outputs");
    for (const Parameter& p : entry.parameters)
      if (m->input_type()->FindFieldByName(std::string(p.name)) == nullptr)
        out.push_back(std::string(entry.name) + ": " + m->input_type()->name() + " has no field " +
                      std::string(p.name));
    if (static_cast<std::size_t>(m->input_type()->field_count()) != entry.parameters.size())
      out.push_back(std::string(entry.name) + ": " + m->input_type()->name() + " has fields beyond the parameters");
  }
  return out;
}

const GrpcOperation* find_grpc_operation(std::string_view operation) {
  for (const GrpcOperation& op : grpc_operations())
    if (op.entry->name == operation) return &op;
  return nullptr;
}

InternalBody operation_body(const OperationEntry& entry, const pb::Message& request) {
  if (!entry.binary.empty()) {
    const pb::Descriptor& d = *request.GetDescriptor();
    const pb::Reflection& r = *request.GetReflection();
    std::size_t total = 0;
    for (const BinaryPart& part : entry.binary) total += part.size;
    std::string body;
    body.reserve(total);
    bool fits = true;
    for (const BinaryPart& part : entry.binary) {
      const pb::FieldDescriptor* f = d.FindFieldByName(std::string(part.name));
      if (f == nullptr || f->is_repeated() || f->type() != pb::FieldDescriptor::TYPE_BYTES) {
        fits = false;
        break;
      }
      std::string scratch;
      const std::string& value = r.GetStringReference(request, f, &scratch);
      if (value.size() != part.size) {
        fits = false;
        break;
      }
      body += value;
    }
    if (fits) return {std::move(body), true};
  }
  return {json_input(entry, request), false};
}

std::string batch_body(const kzg::v1::BatchRequest& request) {
  std::string body = "{\"requests\":[";
  for (int i = 0; i < request.requests_size(); ++i) {
    const kzg::v1::BatchItem& item = request.requests(i);
    const pb::FieldDescriptor* f =
        item.GetReflection()->GetOneofFieldDescriptor(item, item.GetDescriptor()->FindOneofByName("operation"));
    const OperationEntry* entry = f == nullptr ? nullptr : find_operation_entry(f->name());
    if (i > 0) body += ',';
    if (entry == nullptr) {  // no operation set: the batch answers the item's error, as for an empty "op"
      body += R"({"op":"","input":{}})";
      continue;
    }
    body += "{\"op\":\"";
    body += entry->name;
    body += "\",\"input\":";
    body += json_input(*entry, item.GetReflection()->GetMessage(item, f));
    body += '}';
  }
  body += "]}";
  return body;
}

grpc::Status operation_answer(const OperationEntry& entry, const HttpResponse& answer, pb::Message& response) {
  if (answer.result_int() / 100 != 2) return error_status_of(error_of_response(answer));
  std::optional<kzg::Error> error;
  if (is_binary(answer)) {
    error = decode_binary(entry, answer.body(), response);
  } else {
    const auto parsed = parse_json_body(answer.body());
    if (!parsed || !parsed->is_object() || !parsed->contains("output"))
      error = malformed_answer("json");
    else
      error = decode_json_output(entry, (*parsed)["output"], response);
  }
  return error ? error_status_of(*error) : grpc::Status::OK;
}

grpc::Status batch_answer(const kzg::v1::BatchRequest& request, const HttpResponse& answer,
                          kzg::v1::BatchResponse& response) {
  if (answer.result_int() / 100 != 2) return error_status_of(error_of_response(answer));
  const auto parsed = parse_json_body(answer.body());
  const nlohmann::json* items = nullptr;
  if (parsed && parsed->is_object())
    if (const auto it = parsed->find("responses"); it != parsed->end() && it->is_array()) items = &*it;
  if (items == nullptr || items->size() != static_cast<std::size_t>(request.requests_size()))
    return error_status_of(malformed_answer("batch"));
  const pb::Descriptor& result_type = *kzg::v1::BatchResult::descriptor();
  for (int i = 0; i < request.requests_size(); ++i) {
    const kzg::v1::BatchItem& item = request.requests(i);
    const nlohmann::json& out = (*items)[static_cast<std::size_t>(i)];
    kzg::v1::BatchResult& result = *response.add_responses();
    const pb::FieldDescriptor* f =
        item.GetReflection()->GetOneofFieldDescriptor(item, item.GetDescriptor()->FindOneofByName("operation"));
    const GrpcOperation* op = f == nullptr ? nullptr : find_grpc_operation(f->name());
    const auto output = out.is_object() ? out.find("output") : out.end();
    if (op == nullptr || output == out.end() || output->is_null()) {
      fill_item_error(error_in_json(out).value_or(
                          kzg::make_error(kzg::ErrorCode::internal_error, "internal error: the item has no output")),
                      *result.mutable_error());
      continue;
    }
    // The result's member of the RPC's response type.
    const pb::FieldDescriptor* member = nullptr;
    for (int k = 0; k < result_type.field_count() && member == nullptr; ++k)
      if (result_type.field(k)->message_type() == op->method->output_type()) member = result_type.field(k);
    if (member == nullptr) return error_status_of(malformed_answer("batch result type"));
    if (auto error = decode_json_output(*op->entry, *output, *result.GetReflection()->MutableMessage(&result, member)))
      return error_status_of(*error);
  }
  return grpc::Status::OK;
}

grpc::Status error_status_of(const kzg::Error& error) {
  const GrpcStatus code = error_status(error.code).grpc;
  const std::string message = error.field.empty() ? error.message : error.field + ": " + error.message;
  std::string status;
  put_varint(status, 1 << 3);
  put_varint(status, static_cast<std::uint64_t>(code));
  put_bytes(status, 2, message);
  std::string info;
  put_bytes(info, 1, kzg::to_string(error.code));
  put_bytes(info, 2, "kzgd");
  put_any(status, "google.rpc.ErrorInfo", info);
  if (code == GrpcStatus::invalid_argument && !error.field.empty()) {
    std::string violation;
    put_bytes(violation, 1, error.field);
    put_bytes(violation, 2, error.message);
    std::string bad_request;
    put_bytes(bad_request, 1, violation);
    put_any(status, "google.rpc.BadRequest", bad_request);
  }
  return {static_cast<grpc::StatusCode>(code), message, status};
}

void fill_item_error(const kzg::Error& error, kzg::v1::ItemError& out) {
  out.set_code(static_cast<int>(error_status(error.code).grpc));
  out.set_message(error.message);
  out.set_field(error.field);
}

}  // namespace kzgd::grpc_api
