#include "service/api/codecs/output_encoding.hpp"

#include "engine/common/hex.hpp"
#include "engine/common/json_text.hpp"

namespace kzgd {

namespace {

// Appends the bytes of a 0x-hex string, or of every one in a list (of lists) in order; false for anything else.
bool append_bytes(const nlohmann::json& v, std::string& out, int depth) {
  if (v.is_array()) {
    if (depth == 2) return false;  // the outputs nest two levels at most: [cells, proofs]
    for (const auto& item : v)
      if (!append_bytes(item, out, depth + 1)) return false;
    return true;
  }
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() < 2 || s[0] != '0' || s[1] != 'x' || s.size() % 2 != 0) return false;
  const std::size_t at = out.size();
  out.resize(at + (s.size() - 2) / 2);
  return kzg::from_hex(std::string_view(s).substr(2),
                       std::span(reinterpret_cast<std::uint8_t*>(out.data() + at), (s.size() - 2) / 2));
}

}  // namespace

std::optional<std::string> binary_output(const nlohmann::json& output) {
  if (output.is_boolean()) return std::string(1, output.get<bool>() ? '\x01' : '\x00');
  std::string bytes;
  if (!append_bytes(output, bytes, 0)) return std::nullopt;
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
