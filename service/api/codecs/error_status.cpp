#include "service/api/codecs/error_status.hpp"

namespace kzgd {

std::string_view to_string(GrpcStatus status) {
  switch (status) {
    case GrpcStatus::ok:
      return "OK";
    case GrpcStatus::cancelled:
      return "CANCELLED";
    case GrpcStatus::unknown:
      return "UNKNOWN";
    case GrpcStatus::invalid_argument:
      return "INVALID_ARGUMENT";
    case GrpcStatus::deadline_exceeded:
      return "DEADLINE_EXCEEDED";
    case GrpcStatus::not_found:
      return "NOT_FOUND";
    case GrpcStatus::already_exists:
      return "ALREADY_EXISTS";
    case GrpcStatus::permission_denied:
      return "PERMISSION_DENIED";
    case GrpcStatus::resource_exhausted:
      return "RESOURCE_EXHAUSTED";
    case GrpcStatus::failed_precondition:
      return "FAILED_PRECONDITION";
    case GrpcStatus::aborted:
      return "ABORTED";
    case GrpcStatus::out_of_range:
      return "OUT_OF_RANGE";
    case GrpcStatus::unimplemented:
      return "UNIMPLEMENTED";
    case GrpcStatus::internal:
      return "INTERNAL";
    case GrpcStatus::unavailable:
      return "UNAVAILABLE";
    case GrpcStatus::data_loss:
      return "DATA_LOSS";
    case GrpcStatus::unauthenticated:
      return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

ErrorStatus error_status(kzg::ErrorCode code) {
  using C = kzg::ErrorCode;
  using G = GrpcStatus;
  constexpr ErrorStatus bad_input{400, G::invalid_argument, false};
  constexpr ErrorStatus unauthenticated{401, G::unauthenticated, false};
  constexpr ErrorStatus denied{403, G::permission_denied, false};
  constexpr ErrorStatus unavailable{503, G::unavailable, true};
  constexpr ErrorStatus internal{500, G::internal, false};
  switch (code) {
    case C::invalid_json:
    case C::invalid_input:
    case C::missing_field:
    case C::invalid_type:
    case C::invalid_hex:
    case C::invalid_length:
    case C::length_mismatch:
    case C::too_many_items:
    case C::invalid_field_element:
    case C::invalid_blob:
    case C::invalid_g1_point:
    case C::invalid_cell_index:
    case C::invalid_commitment_index:
    case C::invalid_cell_count:
      return bad_input;
    case C::unknown_operation:
      return {404, G::unimplemented, false};
    case C::not_found:
      return {404, G::not_found, false};
    case C::method_not_allowed:
      return {405, G::unimplemented, false};
    case C::unsupported_media_type:
      return {415, G::invalid_argument, false};
    case C::body_too_large:
      return {413, G::resource_exhausted, false};
    case C::batch_too_large:
      return {413, G::invalid_argument, false};
    case C::missing_api_key:
    case C::unknown_api_key:
    case C::api_key_disabled:
    case C::api_key_expired:
      return unauthenticated;
    case C::permission_denied:
    case C::forbidden:
    case C::address_denied:
    case C::cors_not_allowed:
      return denied;
    case C::rate_limited:
      return {429, G::resource_exhausted, true};
    // Load shedding: the server has no room now (gRPC's convention for a server out of capacity); a draining
    // or starting server is UNAVAILABLE, which tells a gRPC client to try another replica.
    case C::overloaded:
      return {503, G::resource_exhausted, true};
    case C::not_ready:
    case C::shutting_down:
    case C::health_check_running:
      return unavailable;
    case C::resource_exhausted:
      return {503, G::resource_exhausted, true};
    case C::deadline_exceeded:
      return {504, G::deadline_exceeded, true};
    case C::client_gone:
      return {499, G::cancelled, false};
    case C::cell_proofs_disabled:
      return {501, G::unimplemented, false};
    case C::internal_error:
    case C::no_self_test:
    case C::self_test_failed:
    // Start-up and tool codes never answer a request; should one ever reach a client, it is the service's fault.
    case C::invalid_config:
    case C::invalid_keys_file:
    case C::invalid_permission:
    case C::invalid_tier:
    case C::invalid_name:
    case C::invalid_tls_config:
    case C::invalid_trusted_setup:
    case C::invalid_table_cache:
    case C::listen_failed:
    case C::random_unavailable:
    case C::io_error:
    case C::bench_failed:
      return internal;
  }
  return internal;
}

}  // namespace kzgd
