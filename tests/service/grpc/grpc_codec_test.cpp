#include "service/grpc/grpc_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service/api/codecs/responses.hpp"

namespace kzgd::grpc_api {
namespace {

TEST(GrpcCodec, EveryCatalogueOperationHasAMatchingRpc) {
  EXPECT_EQ(catalogue_mismatches(), std::vector<std::string>{});
  EXPECT_EQ(grpc_operations().size(), operation_catalogue().size());
  EXPECT_EQ(rpc_name("verify_cell_kzg_proof_batch"), "VerifyCellKzgProofBatch");
  EXPECT_EQ(rpc_name("blob_to_kzg_commitment"), "BlobToKzgCommitment");
  ASSERT_NE(find_grpc_operation("recover_cells"), nullptr);
  EXPECT_EQ(find_grpc_operation("recover_cells")->method->name(), "RecoverCells");
  EXPECT_EQ(find_grpc_operation("nope"), nullptr);
}

TEST(GrpcCodec, WellSizedSingleBlobRequestsTravelAsTheBinaryLayout) {
  kzg::v1::VerifyKzgProofRequest request;
  request.set_commitment(std::string(48, '\x01'));
  request.set_z(std::string(32, '\x02'));
  request.set_y(std::string(32, '\x03'));
  request.set_proof(std::string(48, '\x04'));
  const InternalBody body = operation_body(*find_operation_entry("verify_kzg_proof"), request);
  ASSERT_TRUE(body.binary);
  EXPECT_EQ(body.body,
            std::string(48, '\x01') + std::string(32, '\x02') + std::string(32, '\x03') + std::string(48, '\x04'));
}

TEST(GrpcCodec, AMissizedFieldTravelsAsJsonSoItsErrorNamesTheField) {
  kzg::v1::VerifyKzgProofRequest request;
  request.set_commitment(std::string(48, '\x01'));
  request.set_z("\xab");
  const InternalBody body = operation_body(*find_operation_entry("verify_kzg_proof"), request);
  ASSERT_FALSE(body.binary);
  const auto json = nlohmann::json::parse(body.body);
  EXPECT_EQ(json["z"], "0xab");
  EXPECT_EQ(json["y"], "0x");  // absent: empty, which the chain answers as a wrong length naming y
  EXPECT_EQ(json["commitment"].get<std::string>().size(), 2 + 96u);
}

TEST(GrpcCodec, ListsAndNestedListsBecomeJsonArrays) {
  kzg::v1::ComputeVerifyCellKzgProofBatchChallengeRequest request;
  request.add_commitments(std::string(2, '\x11'));
  request.add_commitment_indices(0);
  request.add_cell_indices(7);
  auto* evals = request.add_cosets_evals();
  evals->add_evals("\x01");
  evals->add_evals("\x02");
  const InternalBody body =
      operation_body(*find_operation_entry("compute_verify_cell_kzg_proof_batch_challenge"), request);
  ASSERT_FALSE(body.binary);
  const auto json = nlohmann::json::parse(body.body);
  EXPECT_EQ(json["commitments"], nlohmann::json::array({"0x1111"}));
  EXPECT_EQ(json["cell_indices"], nlohmann::json::array({7}));
  EXPECT_EQ(json["cosets_evals"], nlohmann::json::parse(R"([["0x01","0x02"]])"));
  EXPECT_EQ(json["proofs"], nlohmann::json::array());
}

TEST(GrpcCodec, BinaryAnswersFillTheResponseFieldsInOrder) {
  HttpResponse answer = binary_response(std::string(48, 'p') + std::string(32, 'y'), 11);
  kzg::v1::ComputeKzgProofResponse response;
  ASSERT_TRUE(operation_answer(*find_operation_entry("compute_kzg_proof"), answer, response).ok());
  EXPECT_EQ(response.proof(), std::string(48, 'p'));
  EXPECT_EQ(response.y(), std::string(32, 'y'));

  std::string cells_and_proofs = std::string(128 * 2048, 'c') + std::string(128 * 48, 'q');
  kzg::v1::ComputeCellsAndKzgProofsResponse pair;
  ASSERT_TRUE(operation_answer(*find_operation_entry("compute_cells_and_kzg_proofs"),
                               binary_response(cells_and_proofs, 11), pair)
                  .ok());
  EXPECT_EQ(pair.cells_size(), 128);
  EXPECT_EQ(pair.proofs_size(), 128);
  EXPECT_EQ(pair.proofs(127), std::string(48, 'q'));

  kzg::v1::VerifyResponse verified;
  ASSERT_TRUE(operation_answer(*find_operation_entry("verify_kzg_proof"), binary_response("\x01", 11), verified).ok());
  EXPECT_TRUE(verified.valid());
  // An answer of the wrong size is the service's fault, never a short field.
  kzg::v1::ComputeKzgProofResponse short_answer;
  EXPECT_EQ(operation_answer(*find_operation_entry("compute_kzg_proof"), binary_response("xx", 11), short_answer)
                .error_code(),
            grpc::StatusCode::INTERNAL);
}

TEST(GrpcCodec, ErrorAnswersBecomeStatusesNamingTheField) {
  const kzg::Error error = kzg::make_error(kzg::ErrorCode::invalid_length, "expected 48 bytes", "proofs[3]");
  kzg::v1::VerifyResponse response;
  const grpc::Status status =
      operation_answer(*find_operation_entry("verify_kzg_proof"), error_response(error, 11), response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "proofs[3]: expected 48 bytes");
  // The details: google.rpc.Status{code, message, details: [ErrorInfo, BadRequest]}; the names and the field
  // appear in their wire form.
  const std::string& details = status.error_details();
  EXPECT_EQ(details.substr(0, 2), std::string("\x08\x03", 2));
  EXPECT_NE(details.find("type.googleapis.com/google.rpc.ErrorInfo"), std::string::npos);
  EXPECT_NE(details.find("type.googleapis.com/google.rpc.BadRequest"), std::string::npos);
  EXPECT_NE(details.find("invalid_length"), std::string::npos);
  EXPECT_NE(details.find("\x0a\x09proofs[3]"), std::string::npos);

  const auto shed = error_status_of(kzg::make_error(kzg::ErrorCode::overloaded, "the work queue is full"));
  EXPECT_EQ(shed.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(shed.error_details().find("BadRequest"), std::string::npos);
  EXPECT_EQ(error_status_of(kzg::make_error(kzg::ErrorCode::shutting_down, "draining")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(GrpcCodec, BatchItemsBecomeOneBodyAndTheirAnswersTheirOwnResults) {
  kzg::v1::BatchRequest request;
  request.add_requests()->mutable_compute_cells()->set_blob("\x01");
  request.add_requests();  // no operation
  request.add_requests()->mutable_verify_kzg_proof();
  const auto body = nlohmann::json::parse(batch_body(request));
  ASSERT_EQ(body["requests"].size(), 3u);
  EXPECT_EQ(body["requests"][0]["op"], "compute_cells");
  EXPECT_EQ(body["requests"][0]["input"]["blob"], "0x01");
  EXPECT_EQ(body["requests"][1]["op"], "");

  const nlohmann::json answer = {
      {"responses",
       {{{"output", nlohmann::json::array({"0x0102"})}},
        {{"output", nullptr}, {"error", {{"code", "unknown_operation"}, {"message", "no"}, {"field", "op"}}}},
        {{"output", true}}}}};
  kzg::v1::BatchResponse response;
  ASSERT_TRUE(batch_answer(request, json_response(HttpStatus::ok, answer, 11), response).ok());
  ASSERT_EQ(response.responses_size(), 3);
  EXPECT_EQ(response.responses(0).cells().cells(0), "\x01\x02");
  EXPECT_EQ(response.responses(1).error().code(), static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_EQ(response.responses(1).error().field(), "op");
  EXPECT_TRUE(response.responses(2).verification().valid());
}

}  // namespace
}  // namespace kzgd::grpc_api
