// CorsPolicy: which browser origins may call kzgd (cors.* keys). With no allowed origins CORS is off: no
// Access-Control-* header is ever sent and browsers keep cross-origin pages out. An origin is allowed when it
// equals an entry exactly (scheme://host[:port], compared case-insensitively) or the list has "*".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"

namespace kzgd {

class CorsPolicy {
 public:
  CorsPolicy() = default;
  // The lists are comma-separated; errors name the key. max_age_seconds: how long browsers cache a preflight.
  static kzg::Result<CorsPolicy> make(std::string_view origins, std::string_view methods, std::string_view headers,
                                      unsigned max_age_seconds);

  bool enabled() const { return !origins_.empty(); }
  bool allows_origin(std::string_view origin) const;
  bool allows_method(std::string_view method) const;
  // Every name in a comma-separated Access-Control-Request-Headers value is allowed (case-insensitive).
  bool allows_headers(std::string_view request_headers) const;

  // The Access-Control-Allow-Origin value for an allowed origin: "*" for the wildcard, else the origin.
  std::string allow_origin_value(std::string_view origin) const;
  const std::string& methods() const { return methods_text_; }
  const std::string& headers() const { return headers_text_; }
  unsigned max_age_seconds() const { return max_age_; }

  // Response headers a browser script may read (Access-Control-Expose-Headers).
  static constexpr std::string_view kExposedHeaders =
      "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, X-Request-Id";

 private:
  std::vector<std::string> origins_;  // lowercased
  bool any_origin_ = false;
  std::vector<std::string> methods_;
  std::vector<std::string> headers_;  // lowercased
  std::string methods_text_, headers_text_;
  unsigned max_age_ = 0;
};

}  // namespace kzgd
