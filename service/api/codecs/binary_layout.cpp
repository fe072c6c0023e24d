#include "service/api/codecs/binary_layout.hpp"

namespace kzgd {

std::size_t BinaryLayout::total_size() const {
  std::size_t n = 0;
  for (const auto& p : parts) n += p.size;
  return n;
}

const std::vector<BinaryLayout>& binary_layouts() {
  static const std::vector<BinaryLayout> layouts = [] {
    std::vector<BinaryLayout> out;
    for (const OperationEntry& op : operation_catalogue())
      if (!op.binary.empty()) out.push_back({op.name, op.binary});
    return out;
  }();
  return layouts;
}

const BinaryLayout* find_binary_layout(std::string_view operation) {
  for (const auto& l : binary_layouts())
    if (l.operation == operation) return &l;
  return nullptr;
}

kzg::Result<BinaryInput> split_binary_body(const BinaryLayout& layout, std::span<const std::uint8_t> body) {
  if (body.size() != layout.total_size()) {
    std::string parts;
    for (const auto& p : layout.parts)
      parts += (parts.empty() ? "" : " || ") + std::string(p.name) + " (" + std::to_string(p.size) + ")";
    return kzg::make_error(kzg::ErrorCode::invalid_length,
                           "an application/octet-stream body for " + std::string(layout.operation) + " is " + parts +
                               " = " + std::to_string(layout.total_size()) + " bytes, got " +
                               std::to_string(body.size()),
                           "body");
  }
  BinaryInput input;
  std::size_t offset = 0;
  for (const auto& p : layout.parts) {
    input.fields.emplace_back(p.name, body.subspan(offset, p.size));
    offset += p.size;
  }
  return input;
}

}  // namespace kzgd
