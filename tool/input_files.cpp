#include "tool/input_files.hpp"

#include <fstream>
#include <iostream>

#include "engine/common/bytes.hpp"
#include "engine/common/hex.hpp"

namespace kzg::tool {
namespace {

constexpr std::size_t kMaxBlobFileBytes = 2 * (2 + 2 * kBytesPerBlob);  // generous bound for hex with whitespace

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

Result<std::vector<std::uint8_t>> read_blob_file(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return make_error(kzg::ErrorCode::io_error, "cannot open " + path, "blob");
    in = &file;
  }
  std::string data;
  char buf[1 << 16];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in->gcount()));
    if (data.size() > kMaxBlobFileBytes)
      return make_error(kzg::ErrorCode::invalid_length, path + ": too large for a blob", "blob");
  }
  if (data.size() == kBytesPerBlob) return std::vector<std::uint8_t>(data.begin(), data.end());
  std::size_t b = 0, e = data.size();
  while (b < e && is_space(data[b])) ++b;
  while (e > b && is_space(data[e - 1])) --e;
  std::vector<std::uint8_t> blob(kBytesPerBlob);
  if (!hex_decode_into(blob, std::string_view(data).substr(b, e - b)))
    return make_error(kzg::ErrorCode::invalid_blob,
                      path + ": expected " + std::to_string(kBytesPerBlob) + " raw bytes or their hex (" +
                          std::to_string(2 * kBytesPerBlob) + " hex digits), got " + std::to_string(data.size()) +
                          " bytes",
                      "blob");
  return blob;
}

Result<std::vector<std::uint8_t>> parse_hex_argument(const std::string& value, std::size_t size,
                                                     const std::string& name) {
  std::vector<std::uint8_t> out(size);
  if (!hex_decode_into(out, value))
    return make_error(kzg::ErrorCode::invalid_hex, "expected " + std::to_string(size) + " bytes of hex", name);
  return out;
}

}  // namespace kzg::tool
