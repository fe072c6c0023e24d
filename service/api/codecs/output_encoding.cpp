#include "service/api/codecs/output_encoding.hpp"

#include "engine/common/hex.hpp"
#include "engine/common/json_text.hpp"

namespace kzgd {

std::optional<std::string> binary_output(const nlohmann::json& output) {
  if (output.is_boolean()) return std::string(1, output.get<bool>() ? '\x01' : '\x00');
  if (!output.is_string()) return std::nullopt;
  const auto& s = output.get_ref<const std::string&>();
  if (s.size() < 2 || s[0] != '0' || s[1] != 'x' || s.size() % 2 != 0) return std::nullopt;
  std::string bytes((s.size() - 2) / 2, '\0');
  if (!kzg::from_hex(std::string_view(s).substr(2),
                     std::span(reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size())))
    return std::nullopt;
  return bytes;
}

HttpResponse outcome_response(const Outcome& outcome, bool binary_wanted, unsigned version) {
  if (outcome.error) return error_response(*outcome.error, version);
  if (binary_wanted)
    if (auto bytes = binary_output(outcome.output)) return binary_response(std::move(*bytes), version);
  std::string body = "{\"output\":";
  kzg::append_json_text(body, outcome.output);
  body += '}';
  return json_response(HttpStatus::ok, std::move(body), version);
}

nlohmann::json outcome_json(Outcome&& outcome) {
  nlohmann::json item;
  if (outcome.error) {
    item = error_json(*outcome.error);
    item["output"] = nullptr;
  } else {
    item["output"] = std::move(outcome.output);
  }
  return item;
}

}  // namespace kzgd
