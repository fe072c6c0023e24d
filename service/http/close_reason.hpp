// Why the server closed a client connection against the client's wishes: the protections against slow and greedy
// clients (docs/security.md). Each reason is one value of the metric kzgd_http_connections_closed_total{reason}.
#pragma once

#include <array>
#include <string_view>

namespace kzgd {

enum class CloseReason {
  connection_limit,         // server.max_connections connections were open; the new one was closed at once
  handshake_timeout,        // the TLS handshake took longer than tls.handshake_timeout_seconds
  handshake_failed,         // the TLS handshake failed (old protocol version, no client certificate, not TLS, ...)
  idle_timeout,             // a keep-alive connection sent no new request within server.idle_timeout_seconds
  header_timeout,           // a request head was not complete within server.header_timeout_seconds
  header_too_large,         // a request head over server.max_header_bytes (answered 431)
  body_timeout,             // a request body was not complete within server.request_timeout_seconds
  body_too_large,           // a request body over limits.max_body_bytes (answered 413)
  malformed_request,        // not HTTP/1.1 (answered 400)
  write_timeout,            // the client did not read its answer within server.request_timeout_seconds
  body_budget,              // the body would not fit limits.max_inflight_body_bytes (answered 503)
  client_connection_limit,  // the client already had server.max_connections_per_client open (answered 503)
};

inline constexpr std::array<CloseReason, 12> kCloseReasons{
    CloseReason::connection_limit, CloseReason::handshake_timeout, CloseReason::handshake_failed,
    CloseReason::idle_timeout,     CloseReason::header_timeout,    CloseReason::header_too_large,
    CloseReason::body_timeout,     CloseReason::body_too_large,    CloseReason::malformed_request,
    CloseReason::write_timeout,    CloseReason::body_budget,       CloseReason::client_connection_limit};

constexpr std::string_view to_string(CloseReason reason) {
  switch (reason) {
    case CloseReason::connection_limit:
      return "connection_limit";
    case CloseReason::handshake_timeout:
      return "handshake_timeout";
    case CloseReason::handshake_failed:
      return "handshake_failed";
    case CloseReason::idle_timeout:
      return "idle_timeout";
    case CloseReason::header_timeout:
      return "header_timeout";
    case CloseReason::header_too_large:
      return "header_too_large";
    case CloseReason::body_timeout:
      return "body_timeout";
    case CloseReason::body_too_large:
      return "body_too_large";
    case CloseReason::malformed_request:
      return "malformed_request";
    case CloseReason::write_timeout:
      return "write_timeout";
    case CloseReason::body_budget:
      return "body_budget";
    case CloseReason::client_connection_limit:
      return "client_connection_limit";
  }
  return "unknown";
}

}  // namespace kzgd
