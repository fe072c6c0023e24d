// Hex, one implementation for the whole code base: the consensus specs' "0x"-prefixed byte strings (hex_encode,
// hex_decode) and plain hex for the service's own identifiers (to_hex, from_hex: trace ids, key digests,
// certificate fingerprints). Decoding never trusts its input.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kzg {

enum class HexCase { any, lower_only };

// The value of one hex digit, or -1.
constexpr int hex_digit_value(char c, HexCase accepted = HexCase::any) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (accepted == HexCase::any && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lowercase hex, two digits a byte, no prefix.
std::string to_hex(std::span<const std::uint8_t> bytes);
// Decodes exactly 2 * out.size() hex digits, no prefix, into out; false (out unspecified) on any other length or
// digit.
bool from_hex(std::string_view hex, std::span<std::uint8_t> out, HexCase accepted = HexCase::any);

// Decodes hex into out (whose size fixes the expected length). Accepts an optional "0x"/"0X" prefix.
// Returns false on a wrong length or a non-hex digit.
bool hex_decode_into(std::span<std::uint8_t> out, std::string_view hex);
// Decodes hex of any even length (at most max_bytes bytes); nullopt when malformed or too long.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex, std::size_t max_bytes);
// Lower-case hex with a "0x" prefix.
std::string hex_encode(std::span<const std::uint8_t> bytes);

}  // namespace kzg
