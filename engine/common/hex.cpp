#include "engine/common/hex.hpp"

#include <array>
#include <cstring>

namespace kzg {
namespace {

constexpr std::array<int, 256> make_nibble_table() {
  std::array<int, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[c] = c - '0';
  for (int c = 'a'; c <= 'f'; ++c) t[c] = c - 'a' + 10;
  for (int c = 'A'; c <= 'F'; ++c) t[c] = c - 'A' + 10;
  return t;
}
constexpr auto kNibble = make_nibble_table();

std::string_view strip_prefix(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  return hex;
}

// Each byte's two digits, as one table entry: a 131,072-byte blob encodes with one lookup and one 2-byte store per
// byte, straight into the output string.
constexpr std::array<std::array<char, 2>, 256> make_pair_table() {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> t{};
  for (int b = 0; b < 256; ++b) t[b] = {kDigits[b >> 4], kDigits[b & 15]};
  return t;
}
constexpr auto kPairs = make_pair_table();

void write_hex(char* out, std::span<const std::uint8_t> bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) std::memcpy(out + 2 * i, kPairs[bytes[i]].data(), 2);
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string s(2 * bytes.size(), '0');
  write_hex(s.data(), bytes);
  return s;
}

bool from_hex(std::string_view hex, std::span<std::uint8_t> out, HexCase accepted) {
  if (hex.size() != 2 * out.size()) return false;
  if (accepted == HexCase::lower_only) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      const int hi = hex_digit_value(hex[2 * i], accepted), lo = hex_digit_value(hex[2 * i + 1], accepted);
      if (hi < 0 || lo < 0) return false;
      out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return true;
  }
  // The spec decoders' path (blobs are 262144 digits): one table lookup a digit.
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = kNibble[static_cast<unsigned char>(hex[2 * i])];
    const int lo = kNibble[static_cast<unsigned char>(hex[2 * i + 1])];
    if ((hi | lo) < 0) return false;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return true;
}

bool hex_decode_into(std::span<std::uint8_t> out, std::string_view hex) { return from_hex(strip_prefix(hex), out); }

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex, std::size_t max_bytes) {
  hex = strip_prefix(hex);
  if (hex.size() % 2 != 0 || hex.size() / 2 > max_bytes) return std::nullopt;
  std::vector<std::uint8_t> out(hex.size() / 2);
  if (!hex_decode_into(out, hex)) return std::nullopt;
  return out;
}

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  std::string s(2 + 2 * bytes.size(), '0');
  s[1] = 'x';
  write_hex(s.data() + 2, bytes);
  return s;
}

}  // namespace kzg
