// Plain hex (no 0x prefix) for the service's own identifiers: trace and span ids, API key digests, certificate
// fingerprints. The spec's 0x-prefixed byte strings are the engine's (engine/common/hex.hpp), which kzgd_core
// does not link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kzgd {

// Lowercase hex, two digits a byte.
inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(2 * bytes.size(), '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    s[2 * i] = kDigits[bytes[i] >> 4];
    s[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return s;
}

enum class HexCase { any, lower_only };

// The value of one hex digit, or -1.
inline int hex_digit_value(char c, HexCase accepted = HexCase::any) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (accepted == HexCase::any && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes exactly 2 * out.size() hex digits into out; false (out unspecified) on any other length or digit.
inline bool from_hex(std::string_view hex, std::span<std::uint8_t> out, HexCase accepted = HexCase::any) {
  if (hex.size() != 2 * out.size()) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(hex[2 * i], accepted), lo = hex_digit_value(hex[2 * i + 1], accepted);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

}  // namespace kzgd
