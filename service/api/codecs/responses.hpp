// Building the API's responses: JSON bodies, the error object, binary bodies.
//
// Every error answer has the body {"error": {"code": ..., "message": ..., "field": ...}}: code is a stable
// machine-readable class, message says what is wrong, field names the input at fault (null when none).
#pragma once

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"
#include "service/api/codecs/error_status.hpp"
#include "service/http/http_server.hpp"

namespace kzgd {

using HttpStatus = boost::beast::http::status;

nlohmann::json error_json(const kzg::Error& error);
HttpResponse json_response(HttpStatus status, std::string body, unsigned version);
HttpResponse json_response(HttpStatus status, const nlohmann::json& body, unsigned version);
// The error body, with the status the code has in error_status (service/api/codecs/error_status.hpp); a 503
// also says Retry-After: retry_after_seconds.
HttpResponse error_response(const kzg::Error& error, unsigned version, unsigned retry_after_seconds = 1);
HttpResponse binary_response(std::string bytes, unsigned version);

// The error of an {"error": {...}} object (an error answer's body, a batch item): nullopt without one of a known
// code.
std::optional<kzg::Error> error_in_json(const nlohmann::json& item);
// The error a non-2xx answer carries (its body's error object; without one, an internal_error naming the status).
kzg::Error error_of_response(const HttpResponse& response);
// The gRPC code of an answer: OK for 2xx, else its error's (error_status.hpp).
GrpcStatus grpc_code_of(const HttpResponse& response);

// True when the Accept header asks for application/octet-stream.
bool accepts_binary(const HttpRequest& request);
// True when the Content-Type is application/octet-stream (parameters ignored).
bool has_binary_body(const HttpRequest& request);

}  // namespace kzgd
