// Every error code kzgd and the engine answer with, as one enum. The engine's codes say what is wrong with a spec
// input; the service's say what happened to a request (auth, limits, transport, start-up). A code's wire name, the
// "code" of an error body, is its enumerator's name; the HTTP and gRPC status of each code is the service's
// (service/api/codecs/error_status.hpp), so the engine knows nothing of transports.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace kzg {

// X(name): one line per code. The order is the documentation's order, and adding a code anywhere is fine: nothing
// stores the numeric values.
#define KZG_ERROR_CODES(X)                                                                           \
  /* A spec input is malformed or invalid (the engine). */                                           \
  X(invalid_json)             /* the body is not JSON, or a key repeats */                           \
  X(invalid_input)            /* the input is not the expected shape (object, array) */              \
  X(missing_field)            /* a parameter is absent */                                            \
  X(invalid_type)             /* a parameter has the wrong JSON type */                              \
  X(invalid_hex)              /* a byte string is not 0x-prefixed hex */                             \
  X(invalid_length)           /* a byte string or a list has the wrong length */                     \
  X(length_mismatch)          /* lists that must be as long as each other are not */                 \
  X(too_many_items)           /* a list is longer than the operation accepts */                      \
  X(invalid_field_element)    /* a 32-byte value is not a canonical scalar (>= r) */                 \
  X(invalid_blob)             /* a blob holds a non-canonical field element */                       \
  X(invalid_g1_point)         /* a commitment or proof is not a valid compressed G1 point */         \
  X(invalid_cell_index)       /* a cell index is out of range or repeats */                          \
  X(invalid_commitment_index) /* a commitment index is out of range */                               \
  X(invalid_cell_count)       /* too few or too many cells to recover from */                        \
  X(unknown_operation)        /* no spec function has this name */                                   \
  /* The request itself (the service). */                                                            \
  X(not_found)              /* no such path */                                                       \
  X(method_not_allowed)     /* the path takes another method */                                      \
  X(unsupported_media_type) /* the body's Content-Type is not accepted here */                       \
  X(body_too_large)         /* the body exceeds limits.max_body_bytes */                             \
  X(batch_too_large)        /* a batch has more items than limits.max_batch_items */                 \
  /* Who may ask (the service). */                                                                   \
  X(missing_api_key)   /* the path needs an API key and none was sent */                             \
  X(unknown_api_key)   /* the key is not known */                                                    \
  X(api_key_disabled)  /* the key is disabled */                                                     \
  X(api_key_expired)   /* the key has expired */                                                     \
  X(permission_denied) /* the key lacks the operation's permission */                                \
  X(forbidden)         /* the debug endpoints refuse this client */                                  \
  X(address_denied)    /* the client's address is not admitted (access lists) */                     \
  X(cors_not_allowed)  /* a cross-origin request the CORS policy does not admit */                   \
  X(rate_limited)      /* the client's rate limit is spent */                                        \
  /* The service cannot do it now, or not here (retrying may help). */                               \
  X(overloaded)           /* shed: the queue holds more work than it can finish in time */           \
  X(resource_exhausted)   /* memory for the request could not be allocated */                        \
  X(not_ready)            /* the trusted setup is still loading */                                   \
  X(shutting_down)        /* the replica is draining */                                              \
  X(health_check_running) /* another health check is running */                                      \
  X(deadline_exceeded)    /* the request waited past its deadline */                                 \
  X(client_gone)          /* the client hung up before its work started */                           \
  X(cell_proofs_disabled) /* this server was started without the cell-proof tables */                \
  /* A failure of the service itself. */                                                             \
  X(internal_error)   /* a bug or an unexpected exception */                                         \
  X(no_self_test)     /* the backend has no known-answer test */                                     \
  X(self_test_failed) /* the known-answer test gave a wrong answer */                                \
  /* Start-up and the command-line tool: configuration and files, never an answer to a request. */   \
  X(invalid_config)        /* a configuration value, file, variable or flag is invalid */            \
  X(invalid_keys_file)     /* the API keys file is unreadable or invalid */                          \
  X(invalid_permission)    /* an API key names an unknown permission */                              \
  X(invalid_tier)          /* an API key names an unknown rate-limit tier */                         \
  X(invalid_name)          /* an API key's name is invalid */                                        \
  X(invalid_tls_config)    /* the certificate or key cannot be loaded */                             \
  X(invalid_trusted_setup) /* the trusted setup is malformed or off the curve */                     \
  X(invalid_table_cache)   /* a table cache file is corrupt, truncated or made for something else */ \
  X(listen_failed)         /* the listening socket could not be opened */                            \
  X(random_unavailable)    /* the system's random source failed */                                   \
  X(io_error)              /* a file could not be read or written */                                 \
  X(bench_failed)          /* a benchmark could not run */

enum class ErrorCode : std::uint8_t {
#define KZG_ERROR_CODE_ENUMERATOR(name) name,
  KZG_ERROR_CODES(KZG_ERROR_CODE_ENUMERATOR)
#undef KZG_ERROR_CODE_ENUMERATOR
};

inline constexpr std::array kAllErrorCodes = {
#define KZG_ERROR_CODE_VALUE(name) ErrorCode::name,
    KZG_ERROR_CODES(KZG_ERROR_CODE_VALUE)
#undef KZG_ERROR_CODE_VALUE
};

// The wire name ("invalid_blob").
constexpr std::string_view to_string(ErrorCode code) {
  switch (code) {
#define KZG_ERROR_CODE_NAME(name) \
  case ErrorCode::name:           \
    return #name;
    KZG_ERROR_CODES(KZG_ERROR_CODE_NAME)
#undef KZG_ERROR_CODE_NAME
  }
  return "internal_error";  // unreachable: the switch names every enumerator
}

// The code with this wire name, if any.
std::optional<ErrorCode> parse_error_code(std::string_view name);

// Prints the wire name (test failure messages, logs).
std::ostream& operator<<(std::ostream& out, ErrorCode code);

}  // namespace kzg
