#include "service/api/filters/auth_filter.hpp"

#include "service/api/codecs/error_status.hpp"
#include "service/api/codecs/responses.hpp"

namespace kzgd {
namespace {

namespace http = boost::beast::http;

struct PresentedKey {
  std::string_view key;
  std::string_view field;  // the header it came in
};

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(s[i]) != lower(prefix[i])) return false;
  }
  return true;
}

std::optional<PresentedKey> presented_key(const HttpRequest& request) {
  const auto authorization = request.find(http::field::authorization);
  if (authorization != request.end()) {
    std::string_view value(authorization->value().data(), authorization->value().size());
    if (!starts_with_ignoring_case(value, "Bearer ")) return PresentedKey{{}, "Authorization"};
    value.remove_prefix(7);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return PresentedKey{value, "Authorization"};
  }
  const auto api_key = request.find("X-API-Key");
  if (api_key != request.end()) return PresentedKey{{api_key->value().data(), api_key->value().size()}, "X-API-Key"};
  return std::nullopt;
}

}  // namespace

bool AuthFilter::refuse(Exchange& exchange, const kzg::Error& error) {
  const unsigned status = error_status(error.code).http;
  metrics_.record_rejected(status == 401 ? "unauthorized" : "forbidden");
  HttpResponse r = error_response(error, exchange.version());
  if (status == 401) r.set(http::field::www_authenticate, "Bearer realm=\"kzgd\"");
  exchange.respond(std::move(r));
  return false;
}

bool AuthFilter::pass(Exchange& exchange) {
  const auto needed = path_permission(exchange.record->path, metrics_open_);
  if (!needed) return true;
  const auto presented = presented_key(exchange.request);
  if (!presented || presented->key.empty())
    return refuse(exchange, kzg::make_error(kzg::ErrorCode::missing_api_key,
                                            "this path needs an API key: send \"Authorization: Bearer <key>\" or "
                                            "\"X-API-Key: <key>\"",
                                            presented ? std::string(presented->field) : "Authorization"));
  const Authentication auth = keys_.authenticate(presented->key, clock_());
  const std::string field(presented->field);
  switch (auth.check) {
    case KeyCheck::unknown:
      return refuse(exchange, kzg::make_error(kzg::ErrorCode::unknown_api_key, "the API key is not known", field));
    case KeyCheck::disabled:
      return refuse(exchange, kzg::make_error(kzg::ErrorCode::api_key_disabled, "the API key is disabled", field));
    case KeyCheck::expired:
      return refuse(exchange, kzg::make_error(kzg::ErrorCode::api_key_expired,
                                              "the API key expired at " + format_rfc3339(*auth.key->expires), field));
    case KeyCheck::accepted:
      break;
  }
  const auto& key = auth.key;
  if (!key->permissions.has(*needed))
    return refuse(exchange,
                  kzg::make_error(kzg::ErrorCode::permission_denied,
                                  "the API key \"" + key->name + "\" lacks the \"" + std::string(to_string(*needed)) +
                                      "\" permission this request needs (it has: " + to_string(key->permissions) + ")",
                                  exchange.record->operation == "batch" ? "requests" : "operation"));
  exchange.api_key = key;
  if (exchange.record->operation == "batch") {
    exchange.check_batch_items = [key, version = exchange.version(),
                                  &metrics = metrics_](const nlohmann::json& requests) -> std::optional<HttpResponse> {
      for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& item = requests[i];
        if (!item.is_object() || !item.contains("op") || !item["op"].is_string()) continue;  // fails unrun
        const auto& op = item["op"].get_ref<const std::string&>();
        const Permission p = operation_permission(op);
        if (key->permissions.has(p)) continue;
        metrics.record_rejected("forbidden");
        return error_response(kzg::make_error(kzg::ErrorCode::permission_denied,
                                              "the API key \"" + key->name + "\" lacks the \"" +
                                                  std::string(to_string(p)) + "\" permission that " + op + " needs",
                                              "requests[" + std::to_string(i) + "].op"),
                              version);
      }
      return std::nullopt;
    };
  }
  return true;
}

}  // namespace kzgd
