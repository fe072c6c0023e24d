// gRPC request decoding: a kzg.v1 request message, as the gRPC listener receives it, through the codec that turns
// it into the HTTP chain's request (service/grpc/grpc_codec.hpp), and an answer back into a response message.
//
// Input: the first byte picks the RPC (every operation's, then Batch, then VerifyStream, modulo their count); the
// rest is the serialised request message, parsed as gRPC parses it (a message that does not parse is refused by
// gRPC before kzgd sees it). The last input byte also serves as a binary answer's body, for the answer decoding.
//
// Properties: nothing throws or crashes; a binary body has exactly the operation's layout size; a JSON body parses
// (parse_json_body) to an object holding every parameter of the operation; a batch body parses to one item per
// request item, each naming its item's operation (or none); an answer either decodes to a response whose byte
// fields have their wire sizes, or is an INTERNAL status.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "service/api/codecs/json_body.hpp"
#include "service/api/codecs/responses.hpp"
#include "service/grpc/grpc_codec.hpp"

namespace {

using kzgd::grpc_api::GrpcOperation;

void check_operation(const GrpcOperation& op, std::string_view message, std::string_view answer_bytes) {
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(op.method->input_type())->New());
  if (!request->ParseFromArray(message.data(), static_cast<int>(message.size()))) return;
  const kzgd::grpc_api::InternalBody body = kzgd::grpc_api::operation_body(*op.entry, *request);
  if (body.binary) {
    std::size_t size = 0;
    for (const kzgd::BinaryPart& part : op.entry->binary) size += part.size;
    FUZZ_CHECK(body.body.size() == size);
  } else {
    const auto parsed = kzgd::parse_json_body(body.body);
    FUZZ_CHECK(parsed.ok());
    FUZZ_CHECK(parsed->is_object());
    for (const kzgd::Parameter& p : op.entry->parameters) FUZZ_CHECK(parsed->contains(std::string(p.name)));
  }

  std::unique_ptr<google::protobuf::Message> response(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(op.method->output_type())->New());
  const grpc::Status status =
      kzgd::grpc_api::operation_answer(*op.entry, kzgd::binary_response(std::string(answer_bytes), 11), *response);
  FUZZ_CHECK(status.ok() || status.error_code() == grpc::StatusCode::INTERNAL);
}

void check_batch(std::string_view message) {
  kzg::v1::BatchRequest request;
  if (!request.ParseFromArray(message.data(), static_cast<int>(message.size()))) return;
  const auto parsed = kzgd::parse_json_body(kzgd::grpc_api::batch_body(request));
  FUZZ_CHECK(parsed.ok());
  const auto& items = (*parsed)["requests"];
  FUZZ_CHECK(items.is_array() && items.size() == static_cast<std::size_t>(request.requests_size()));
  for (int i = 0; i < request.requests_size(); ++i) {
    const auto& item = request.requests(i);
    const auto* field =
        item.GetReflection()->GetOneofFieldDescriptor(item, item.GetDescriptor()->FindOneofByName("operation"));
    FUZZ_CHECK(items[static_cast<std::size_t>(i)]["op"] == (field == nullptr ? std::string() : field->name()));
  }
  // Answers that do not match the request are the service's fault: INTERNAL, never a crash.
  kzg::v1::BatchResponse response;
  const auto status = kzgd::grpc_api::batch_answer(
      request, kzgd::json_response(kzgd::HttpStatus::ok, std::string(message), 11), response);
  FUZZ_CHECK(status.ok() || status.error_code() == grpc::StatusCode::INTERNAL);
}

void check_stream(std::string_view message) {
  kzg::v1::VerifyStreamRequest request;
  if (!request.ParseFromArray(message.data(), static_cast<int>(message.size()))) return;
  const auto* field = request.GetReflection()->GetOneofFieldDescriptor(
      request, request.GetDescriptor()->FindOneofByName("verification"));
  if (field == nullptr) return;
  const GrpcOperation* op = kzgd::grpc_api::find_grpc_operation(field->name());
  FUZZ_CHECK(op != nullptr);
  const auto body = kzgd::grpc_api::operation_body(*op->entry, request.GetReflection()->GetMessage(request, field));
  FUZZ_CHECK(body.binary || kzgd::parse_json_body(body.body).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& ops = kzgd::grpc_api::grpc_operations();
  const std::size_t choice = data[0] % (ops.size() + 2);
  const std::string_view message(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string_view answer = message.substr(message.size() / 2);
  if (choice < ops.size())
    check_operation(ops[choice], message, answer);
  else if (choice == ops.size())
    check_batch(message);
  else
    check_stream(message);
  return 0;
}
