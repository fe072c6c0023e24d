// The one table from an error code to what each transport answers with: the HTTP status and the gRPC status.
// Every code is in it (the switch names each one; the compiler fails the build when a code is missing), and
// ErrorStatus.* tests walk every code. A client's mistake is 4xx; the service's own failure is 5xx, 503 (with
// Retry-After) where retrying, here or on another replica, can succeed.
#pragma once

#include <string_view>

#include "engine/common/error_code.hpp"

namespace kzgd {

// The canonical gRPC status codes (grpc/status.h), by value.
enum class GrpcStatus : int {
  ok = 0,
  cancelled = 1,
  unknown = 2,
  invalid_argument = 3,
  deadline_exceeded = 4,
  not_found = 5,
  already_exists = 6,
  permission_denied = 7,
  resource_exhausted = 8,
  failed_precondition = 9,
  aborted = 10,
  out_of_range = 11,
  unimplemented = 12,
  internal = 13,
  unavailable = 14,
  data_loss = 15,
  unauthenticated = 16,
};

// "INVALID_ARGUMENT", as gRPC spells them.
std::string_view to_string(GrpcStatus status);

struct ErrorStatus {
  unsigned http;    // 400 ... 599; 499 is nginx's "client closed request"
  GrpcStatus grpc;  // never ok
  // True when the same request may succeed later or elsewhere: 503s carry Retry-After, clients may retry.
  bool retryable;
};

ErrorStatus error_status(kzg::ErrorCode code);

}  // namespace kzgd
