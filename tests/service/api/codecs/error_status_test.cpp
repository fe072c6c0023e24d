#include "service/api/codecs/error_status.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "service/api/codecs/responses.hpp"

namespace kzgd {
namespace {

using kzg::ErrorCode;

TEST(ErrorStatus, EveryCodeHasAUniqueSnakeCaseNameThatParsesBack) {
  std::set<std::string_view> names;
  for (const ErrorCode code : kzg::kAllErrorCodes) {
    const std::string_view name = kzg::to_string(code);
    EXPECT_TRUE(names.insert(name).second) << name << " is used twice";
    ASSERT_FALSE(name.empty());
    for (const char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << name;
    EXPECT_EQ(kzg::parse_error_code(name), code) << name;
  }
  EXPECT_EQ(kzg::parse_error_code("internal"), std::nullopt);
  EXPECT_EQ(kzg::parse_error_code(""), std::nullopt);
}

TEST(ErrorStatus, EveryCodeMapsToAnErrorStatusOnBothTransports) {
  for (const ErrorCode code : kzg::kAllErrorCodes) {
    const ErrorStatus s = error_status(code);
    EXPECT_GE(s.http, 400u) << code;
    EXPECT_LE(s.http, 599u) << code;
    EXPECT_NE(s.grpc, GrpcStatus::ok) << code;
    EXPECT_NE(to_string(s.grpc), "UNKNOWN") << code;
    // Retrying is offered exactly for what the client cannot fix by changing the request.
    if (s.http == 503) {
      EXPECT_TRUE(s.retryable) << code;
    }
    if (s.http == 400 || s.http == 401 || s.http == 403 || s.http == 500) {
      EXPECT_FALSE(s.retryable) << code;
    }
  }
}

TEST(ErrorStatus, TheServicesOwnFailuresAreNever4xx) {
  for (const ErrorCode code :
       {ErrorCode::internal_error, ErrorCode::no_self_test, ErrorCode::self_test_failed, ErrorCode::invalid_config,
        ErrorCode::invalid_keys_file, ErrorCode::invalid_tls_config, ErrorCode::invalid_trusted_setup,
        ErrorCode::invalid_table_cache, ErrorCode::listen_failed, ErrorCode::random_unavailable, ErrorCode::io_error,
        ErrorCode::bench_failed}) {
    EXPECT_EQ(error_status(code).http, 500u) << code;
    EXPECT_EQ(error_status(code).grpc, GrpcStatus::internal) << code;
  }
  for (const ErrorCode code : {ErrorCode::overloaded, ErrorCode::not_ready, ErrorCode::shutting_down,
                               ErrorCode::health_check_running, ErrorCode::resource_exhausted})
    EXPECT_EQ(error_status(code).http, 503u) << code;
}

TEST(ErrorStatus, SpecInputErrorsAreInvalidArgument) {
  for (const ErrorCode code :
       {ErrorCode::invalid_json, ErrorCode::invalid_input, ErrorCode::missing_field, ErrorCode::invalid_type,
        ErrorCode::invalid_hex, ErrorCode::invalid_length, ErrorCode::length_mismatch, ErrorCode::too_many_items,
        ErrorCode::invalid_field_element, ErrorCode::invalid_blob, ErrorCode::invalid_g1_point,
        ErrorCode::invalid_cell_index, ErrorCode::invalid_commitment_index, ErrorCode::invalid_cell_count}) {
    EXPECT_EQ(error_status(code).http, 400u) << code;
    EXPECT_EQ(error_status(code).grpc, GrpcStatus::invalid_argument) << code;
  }
}

TEST(ErrorStatus, TransportAndAccessCodes) {
  const auto is = [](ErrorCode code, unsigned http, GrpcStatus grpc) {
    return error_status(code).http == http && error_status(code).grpc == grpc;
  };
  EXPECT_TRUE(is(ErrorCode::not_found, 404, GrpcStatus::not_found));
  EXPECT_TRUE(is(ErrorCode::unknown_operation, 404, GrpcStatus::unimplemented));
  EXPECT_TRUE(is(ErrorCode::method_not_allowed, 405, GrpcStatus::unimplemented));
  EXPECT_TRUE(is(ErrorCode::unsupported_media_type, 415, GrpcStatus::invalid_argument));
  EXPECT_TRUE(is(ErrorCode::body_too_large, 413, GrpcStatus::resource_exhausted));
  EXPECT_TRUE(is(ErrorCode::batch_too_large, 413, GrpcStatus::invalid_argument));
  for (const ErrorCode code : {ErrorCode::missing_api_key, ErrorCode::unknown_api_key, ErrorCode::api_key_disabled,
                               ErrorCode::api_key_expired})
    EXPECT_TRUE(is(code, 401, GrpcStatus::unauthenticated)) << code;
  for (const ErrorCode code :
       {ErrorCode::permission_denied, ErrorCode::forbidden, ErrorCode::address_denied, ErrorCode::cors_not_allowed})
    EXPECT_TRUE(is(code, 403, GrpcStatus::permission_denied)) << code;
  EXPECT_TRUE(is(ErrorCode::rate_limited, 429, GrpcStatus::resource_exhausted));
  // Load shedding is RESOURCE_EXHAUSTED; draining and starting are UNAVAILABLE (retry another replica).
  EXPECT_TRUE(is(ErrorCode::overloaded, 503, GrpcStatus::resource_exhausted));
  EXPECT_TRUE(is(ErrorCode::shutting_down, 503, GrpcStatus::unavailable));
  EXPECT_TRUE(is(ErrorCode::not_ready, 503, GrpcStatus::unavailable));
  EXPECT_TRUE(is(ErrorCode::deadline_exceeded, 504, GrpcStatus::deadline_exceeded));
  EXPECT_TRUE(is(ErrorCode::client_gone, 499, GrpcStatus::cancelled));
  EXPECT_TRUE(is(ErrorCode::cell_proofs_disabled, 501, GrpcStatus::unimplemented));
}

TEST(ErrorStatus, ErrorResponsesTakeTheTablesStatus) {
  for (const ErrorCode code : kzg::kAllErrorCodes) {
    const HttpResponse r = error_response(kzg::make_error(code, "why", "field"), 11, 7);
    EXPECT_EQ(r.result_int(), error_status(code).http) << code;
    const auto body = nlohmann::json::parse(r.body());
    EXPECT_EQ(body["error"]["code"], std::string(kzg::to_string(code)));
    EXPECT_EQ(body["error"]["field"], "field");
    const bool has_retry_after = r.find(boost::beast::http::field::retry_after) != r.end();
    EXPECT_EQ(has_retry_after, r.result_int() == 503) << code;
    if (has_retry_after) {
      EXPECT_EQ(r[boost::beast::http::field::retry_after], "7");
    }
  }
}

// docs/service.md's error table: every code a request can get, each in the row of its HTTP status.
TEST(ErrorStatus, TheDocumentedTableMatches) {
  std::ifstream file(std::string(KZGD_SOURCE_DIR) + "/docs/service.md");
  ASSERT_TRUE(file) << "docs/service.md";
  std::stringstream text;
  text << file.rdbuf();
  std::string doc = text.str();
  const std::set<ErrorCode> start_up_only = {ErrorCode::no_self_test,
                                             ErrorCode::self_test_failed,
                                             ErrorCode::invalid_config,
                                             ErrorCode::invalid_keys_file,
                                             ErrorCode::invalid_permission,
                                             ErrorCode::invalid_tier,
                                             ErrorCode::invalid_name,
                                             ErrorCode::invalid_tls_config,
                                             ErrorCode::invalid_trusted_setup,
                                             ErrorCode::invalid_table_cache,
                                             ErrorCode::listen_failed,
                                             ErrorCode::random_unavailable,
                                             ErrorCode::io_error,
                                             ErrorCode::bench_failed};
  for (const ErrorCode code : kzg::kAllErrorCodes) {
    if (start_up_only.contains(code)) continue;
    const std::string quoted = "`" + std::string(kzg::to_string(code)) + "`";
    std::size_t row = std::string::npos;
    for (std::size_t at = doc.find(quoted); at != std::string::npos; at = doc.find(quoted, at + 1)) {
      const std::size_t line = doc.rfind('\n', at) + 1;
      if (doc.compare(line, 2, "| ") == 0 && std::isdigit(static_cast<unsigned char>(doc[line + 2]))) {
        row = line;
        break;
      }
    }
    ASSERT_NE(row, std::string::npos) << quoted << " has no row in docs/service.md's error table";
    EXPECT_EQ(doc.substr(row + 2, 3), std::to_string(error_status(code).http)) << quoted;
  }
}

}  // namespace
}  // namespace kzgd
