// The gRPC API's codec: a kzg.v1 request message becomes the request the HTTP API's chain runs (the binary body
// of the operation's layout when it has one, else its JSON input object), and that chain's answer becomes the
// response message or a gRPC status. The mapping is read from the operation catalogue and the proto's
// descriptors (RPC = the spec function in UpperCamelCase, request fields = its parameters, response fields = its
// outputs in order), so an operation added to the catalogue needs its RPC and nothing here.
//
// Errors become statuses by the one table of service/api/codecs/error_status.hpp. The message names the field
// ("proofs[3]: ..."); the details (grpc-status-details-bin) are a google.rpc.Status carrying a
// google.rpc.ErrorInfo (reason: kzgd's error code, domain "kzgd") and, for INVALID_ARGUMENT with a field, a
// google.rpc.BadRequest naming it.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "kzg/v1/kzg.pb.h"
#include "service/api/codecs/error_status.hpp"
#include "service/catalogue/operation_catalogue.hpp"
#include "service/http/http_server.hpp"

namespace kzgd::grpc_api {

// One RPC of kzg.v1.Kzg that runs a catalogue operation.
struct GrpcOperation {
  const OperationEntry* entry;
  const google::protobuf::MethodDescriptor* method;
};

// "verify_kzg_proof" -> "VerifyKzgProof".
std::string rpc_name(std::string_view operation);
// Every catalogue operation that has an RPC, in the catalogue's order.
const std::vector<GrpcOperation>& grpc_operations();
// The catalogue operations without an RPC, or RPCs whose messages do not match the catalogue (empty when the
// proto and the catalogue agree; a test asserts it).
std::vector<std::string> catalogue_mismatches();
const GrpcOperation* find_grpc_operation(std::string_view operation);

// The body the HTTP chain runs for a request message.
struct InternalBody {
  std::string body;
  bool binary = false;  // application/octet-stream (else application/json)
};
// The operation's binary layout when it has one and every part has its size; otherwise its JSON input object,
// whose decoding names the field at fault (a wrong length, a missing list).
InternalBody operation_body(const OperationEntry& entry, const google::protobuf::Message& request);
// POST /v1/batch's body; an item without an operation is sent as one naming none, which gets its own error.
std::string batch_body(const kzg::v1::BatchRequest& request);

// Fills the response message from the chain's answer to an operation (binary or JSON), or answers its error.
grpc::Status operation_answer(const OperationEntry& entry, const HttpResponse& answer,
                              google::protobuf::Message& response);
// The same for POST /v1/batch's answer.
grpc::Status batch_answer(const kzg::v1::BatchRequest& request, const HttpResponse& answer,
                          kzg::v1::BatchResponse& response);

// The status for an error, with its details.
grpc::Status error_status_of(const kzg::Error& error);
// An ItemError for a Batch item or a VerifyStream answer.
void fill_item_error(const kzg::Error& error, kzg::v1::ItemError& out);

}  // namespace kzgd::grpc_api
