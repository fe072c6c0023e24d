// The result cache's encodings (result_cache.hpp):
//   - the key: SHA-256 of (operation, the trusted setup's fingerprint, the input's canonical bytes). The
//     canonical bytes are the decoded parameters in the operation's order, each with its name and length, so a
//     JSON request and an application/octet-stream request for the same input share a key, and inputs of
//     different shapes cannot collide;
//   - an output (the JSON the engine answers: hex strings, booleans and lists of them) as compact bytes, half
//     the size of its hex;
//   - an entry in Redis: "kzc1" ‖ HMAC-SHA256(key, redis key ‖ payload) ‖ payload. The MAC covers the Redis key,
//     so an entry copied under another key (a foreign entry) fails as surely as a changed or truncated one.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "service/api/operation_backend.hpp"

namespace kzgd {

using CacheDigest = std::array<std::uint8_t, 32>;

// The key of an operation's input; nothing when the input does not decode (the request then runs uncached and
// gets its error) or the operation is not cacheable.
std::optional<CacheDigest> cache_key(std::string_view operation, const OperationInput& input,
                                     std::span<const std::uint8_t> setup_fingerprint);

// An output as bytes, and back; nothing for a value that is not of the engine's output shapes.
std::optional<std::string> encode_output(const nlohmann::json& output);
std::optional<nlohmann::json> decode_output(std::string_view bytes);

enum class SealCheck { ok, truncated, mac, format };
std::string_view to_string(SealCheck c);

// The Redis value of a payload under a key, and its check (on ok, `payload` views into `value`).
std::string seal_entry(std::span<const std::uint8_t> mac_key, std::string_view redis_key, std::string_view payload);
SealCheck open_entry(std::span<const std::uint8_t> mac_key, std::string_view redis_key, std::string_view value,
                     std::string_view& payload);

}  // namespace kzgd
