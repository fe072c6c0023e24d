#include "engine/dispatch/json_codec.hpp"

namespace kzg::api {
namespace {

Result<ByteString> decode_bytes(const nlohmann::json& v, const std::string& field, std::size_t size) {
  if (!v.is_string()) return make_error(ErrorCode::invalid_type, "expected a 0x-prefixed hex string", field);
  const auto& s = v.get_ref<const std::string&>();
  // The consensus specs write a lowercase 0x; "0X" is refused, as c-kzg's bindings and the spec vectors do.
  if (s.size() < 2 || s[0] != '0' || s[1] != 'x')
    return make_error(ErrorCode::invalid_hex, "expected a hex string with a lowercase 0x prefix", field);
  if (s.size() != 2 + 2 * size)
    return make_error(ErrorCode::invalid_length,
                      "expected " + std::to_string(size) + " bytes, got " +
                          ((s.size() % 2) ? std::string("an odd number of hex digits")
                                          : std::to_string((s.size() - 2) / 2) + " bytes"),
                      field);
  ByteString out(size);
  if (!hex_decode_into(out, s)) return make_error(ErrorCode::invalid_hex, "not a hex string", field);
  return out;
}

}  // namespace

Result<ByteString> bytes_field(const nlohmann::json& in, const char* name, std::size_t size) {
  const auto it = in.find(name);
  if (it == in.end()) return make_error(ErrorCode::missing_field, std::string("missing field \"") + name + "\"", name);
  return decode_bytes(*it, name, size);
}

Result<std::vector<ByteString>> bytes_list(const nlohmann::json& v, const std::string& field, std::size_t size,
                                           std::size_t max_items) {
  if (!v.is_array()) return make_error(ErrorCode::invalid_type, "expected a list", field);
  if (v.size() > max_items)
    return make_error(ErrorCode::too_many_items, "at most " + std::to_string(max_items) + " items", field);
  std::vector<ByteString> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto b = decode_bytes(v[i], field + "[" + std::to_string(i) + "]", size);
    if (!b) return b.error();
    out.push_back(std::move(b).value());
  }
  return out;
}

Result<std::vector<ByteString>> bytes_list_field(const nlohmann::json& in, const char* name, std::size_t size,
                                                 std::size_t max_items) {
  const auto it = in.find(name);
  if (it == in.end()) return make_error(ErrorCode::missing_field, std::string("missing field \"") + name + "\"", name);
  return bytes_list(*it, name, size, max_items);
}

Result<std::vector<std::uint64_t>> uint_list_field(const nlohmann::json& in, const char* name, std::size_t max_items) {
  const auto it = in.find(name);
  if (it == in.end()) return make_error(ErrorCode::missing_field, std::string("missing field \"") + name + "\"", name);
  if (!it->is_array()) return make_error(ErrorCode::invalid_type, "expected a list", name);
  if (it->size() > max_items)
    return make_error(ErrorCode::too_many_items, "at most " + std::to_string(max_items) + " items", name);
  std::vector<std::uint64_t> out;
  out.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
      return make_error(ErrorCode::invalid_type, "expected a non-negative integer",
                        std::string(name) + "[" + std::to_string(i) + "]");
    out.push_back(v.get<std::uint64_t>());
  }
  return out;
}

std::vector<std::span<const std::uint8_t>> spans(const std::vector<ByteString>& v) {
  std::vector<std::span<const std::uint8_t>> out;
  out.reserve(v.size());
  for (const auto& b : v) out.emplace_back(b);
  return out;
}

nlohmann::json encode_cells(const std::vector<Cell>& cells) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : cells) a.push_back(hex_encode(c));
  return a;
}

nlohmann::json encode_cells_and_proofs(const CellsAndProofs& cp) {
  nlohmann::json proofs = nlohmann::json::array();
  for (const auto& p : cp.proofs) proofs.push_back(hex_encode(p));
  return nlohmann::json::array({encode_cells(cp.cells), std::move(proofs)});
}

}  // namespace kzg::api
