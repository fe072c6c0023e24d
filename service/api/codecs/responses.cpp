#include "service/api/codecs/responses.hpp"

#include "engine/common/json_text.hpp"
#include "service/api/codecs/error_status.hpp"
#include "service/api/codecs/json_body.hpp"

namespace kzgd {

namespace http = boost::beast::http;

nlohmann::json error_json(const kzg::Error& error) {
  return {{"error",
           {{"code", kzg::to_string(error.code)},
            {"message", error.message},
            {"field", error.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.field)}}}};
}

HttpResponse json_response(HttpStatus status, std::string body, unsigned version) {
  HttpResponse r{status, version};
  r.set(http::field::content_type, "application/json");
  r.body() = std::move(body);
  return r;
}

HttpResponse json_response(HttpStatus status, const nlohmann::json& body, unsigned version) {
  return json_response(status, kzg::json_text(body), version);
}

HttpResponse error_response(const kzg::Error& error, unsigned version, unsigned retry_after_seconds) {
  const unsigned status = error_status(error.code).http;
  HttpResponse r = json_response(static_cast<HttpStatus>(status), error_json(error), version);
  if (status == 503) r.set(http::field::retry_after, std::to_string(retry_after_seconds));
  return r;
}

std::optional<kzg::Error> error_in_json(const nlohmann::json& item) {
  const auto error = item.is_object() ? item.find("error") : item.end();
  if (error != item.end() && error->is_object()) {
    const auto code = error->find("code");
    const auto message = error->find("message");
    const auto field = error->find("field");
    const auto parsed = code != error->end() && code->is_string()
                            ? kzg::parse_error_code(code->get_ref<const std::string&>())
                            : std::nullopt;
    if (parsed)
      return kzg::make_error(*parsed,
                             message != error->end() && message->is_string() ? message->get<std::string>() : "",
                             field != error->end() && field->is_string() ? field->get<std::string>() : "");
  }
  return std::nullopt;
}

kzg::Error error_of_response(const HttpResponse& response) {
  if (const auto parsed = parse_json_body(response.body()))
    if (auto error = error_in_json(*parsed)) return std::move(*error);
  return kzg::make_error(kzg::ErrorCode::internal_error,
                         "internal error: HTTP status " + std::to_string(response.result_int()));
}

GrpcStatus grpc_code_of(const HttpResponse& response) {
  if (response.result_int() / 100 == 2) return GrpcStatus::ok;
  return error_status(error_of_response(response).code).grpc;
}

HttpResponse binary_response(std::string bytes, unsigned version) {
  HttpResponse r{HttpStatus::ok, version};
  r.set(http::field::content_type, "application/octet-stream");
  r.body() = std::move(bytes);
  return r;
}

namespace {
bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view media_type(std::string_view value) {
  const auto semicolon = value.find(';');
  if (semicolon != std::string_view::npos) value = value.substr(0, semicolon);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}
}  // namespace

bool accepts_binary(const HttpRequest& request) {
  const auto accept = request[http::field::accept];
  std::string_view rest(accept.data(), accept.size());
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    if (iequals_ascii(media_type(rest.substr(0, comma)), "application/octet-stream")) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

bool has_binary_body(const HttpRequest& request) {
  const auto type = request[http::field::content_type];
  return iequals_ascii(media_type(std::string_view(type.data(), type.size())), "application/octet-stream");
}

}  // namespace kzgd
