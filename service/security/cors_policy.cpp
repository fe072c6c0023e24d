#include "service/security/cors_policy.hpp"

#include <algorithm>

#include "service/util/text.hpp"

namespace kzgd {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// An HTTP token (RFC 9110 tchar).
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> items;
  for (const std::string_view item : split_list(text)) items.emplace_back(item);
  return items;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

// scheme://host[:port] with no path, or "null" is refused (sandboxed documents): kzgd names real origins.
bool is_origin(std::string_view s) {
  const auto sep = s.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  const std::string_view scheme = s.substr(0, sep), rest = s.substr(sep + 3);
  if (scheme != "http" && scheme != "https") return false;
  return !rest.empty() && rest.find_first_of("/?# ") == std::string_view::npos;
}

}  // namespace

kzg::Result<CorsPolicy> CorsPolicy::make(std::string_view origins, std::string_view methods, std::string_view headers,
                                         unsigned max_age_seconds) {
  CorsPolicy p;
  for (const auto& o : split(origins)) {
    if (o == "*") {
      p.any_origin_ = true;
    } else if (is_origin(o)) {
      p.origins_.push_back(lower(o));
    } else {
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "expected origins such as https://app.example.org or *, got \"" + o + "\"",
                             "cors.allowed_origins");
    }
  }
  if (p.any_origin_) p.origins_.emplace_back("*");
  for (const auto& m : split(methods)) {
    if (!is_token(m) || std::any_of(m.begin(), m.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "expected upper-case HTTP methods such as GET, POST, got \"" + m + "\"",
                             "cors.allowed_methods");
    p.methods_.push_back(m);
  }
  for (const auto& h : split(headers)) {
    if (!is_token(h))
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "expected header names such as Content-Type, got \"" + h + "\"", "cors.allowed_headers");
    p.headers_.push_back(lower(h));
  }
  p.methods_text_ = join(p.methods_);
  p.headers_text_ = join(split(headers));
  p.max_age_ = max_age_seconds;
  return p;
}

bool CorsPolicy::allows_origin(std::string_view origin) const {
  if (!enabled() || !is_origin(origin)) return false;
  if (any_origin_) return true;
  const std::string o = lower(origin);
  return std::find(origins_.begin(), origins_.end(), o) != origins_.end();
}

bool CorsPolicy::allows_method(std::string_view method) const {
  return std::find(methods_.begin(), methods_.end(), method) != methods_.end();
}

bool CorsPolicy::allows_headers(std::string_view request_headers) const {
  for (const auto& h : split(request_headers))
    if (std::find(headers_.begin(), headers_.end(), lower(h)) == headers_.end()) return false;
  return true;
}

std::string CorsPolicy::allow_origin_value(std::string_view origin) const {
  return any_origin_ ? std::string("*") : std::string(origin);
}

}  // namespace kzgd
