// Hex decoding and encoding of untrusted byte strings ("0x"-prefixed or bare).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kzg {

// Decodes hex into out (whose size fixes the expected length). Accepts an optional "0x"/"0X" prefix.
// Returns false on a wrong length or a non-hex digit.
bool hex_decode_into(std::span<std::uint8_t> out, std::string_view hex);
// Decodes hex of any even length (at most max_bytes bytes); nullopt when malformed or too long.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex, std::size_t max_bytes);
// Lower-case hex with a "0x" prefix.
std::string hex_encode(std::span<const std::uint8_t> bytes);

}  // namespace kzg
