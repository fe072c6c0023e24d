// API keys: how they are made, hashed and written down. kzgd stores only the SHA-256 digest of each key
// (a leaked keys file does not leak the keys); the `kzg keys new` command makes a key and its entry, and the
// service hashes every presented key and compares digests in constant time (api_key_store.hpp).
//
// A key is "kzgk_" followed by 64 lowercase hex digits: 256 bits from the operating system's CSPRNG
// (OpenSSL RAND_bytes). The prefix makes leaked keys easy to recognize (in logs, by secret scanners).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"
#include "service/security/permissions.hpp"
#include "service/security/rfc3339.hpp"

namespace kzgd {

using KeyDigest = std::array<std::uint8_t, 32>;

inline constexpr std::string_view kApiKeyPrefix = "kzgk_";

// A fresh key; an error when the CSPRNG cannot deliver.
kzg::Result<std::string> generate_api_key();

// SHA-256 of the key's bytes, as presented (no normalization).
KeyDigest api_key_digest(std::string_view key);

// 64 lowercase hex digits, and back (nullopt unless exactly 64 hex digits, either case).
std::string digest_hex(const KeyDigest& digest);
std::optional<KeyDigest> parse_digest_hex(std::string_view hex);

// Digests equal, compared in time independent of where they differ (CRYPTO_memcmp).
bool digests_equal(const KeyDigest& a, const KeyDigest& b);

// A key's name: 1 to 64 characters of [A-Za-z0-9._-] (it appears in logs and rate-limit messages).
bool valid_key_name(std::string_view name);
// A rate-limit tier's name: 1 to 64 characters of [A-Za-z0-9_-].
bool valid_tier_name(std::string_view name);

// What `kzg keys new` makes: the key (shown once) and the keys-file entry that holds only its digest.
struct NewApiKey {
  std::string key;
  std::string entry;  // a YAML list item for "keys:", two-space indented, ending in a newline
};

struct NewApiKeyRequest {
  std::string name;
  PermissionSet permissions;
  std::optional<SystemTime> expires;
  std::string tier;  // empty: the default tier
};

// Errors name the field at fault: name, permissions, tier; or the CSPRNG's failure.
kzg::Result<NewApiKey> new_api_key(const NewApiKeyRequest& request);
// The entry for a given key (new_api_key with the key chosen by the caller; for tests).
std::string keys_file_entry(const NewApiKeyRequest& request, std::string_view key);

}  // namespace kzgd
