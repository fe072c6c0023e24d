// Errors as values: every failure of an engine function carries a code, a message a user can
// act on and, where it applies, the name of the input field at fault.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "engine/common/error_code.hpp"

namespace kzg {

struct Error {
  ErrorCode code;       // what kind of failure; its wire name is stable (to_string: "invalid_blob")
  std::string message;  // what is wrong, e.g. "field element 17 is not canonical (>= r)"
  std::string field;    // the spec parameter name at fault ("blob", "proofs[3]"), or empty
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(ErrorCode code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field)};
}

}  // namespace kzg
