#include "service/security/api_key.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "engine/common/hex.hpp"

namespace kzgd {

kzg::Result<std::string> generate_api_key() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return kzg::make_error(kzg::ErrorCode::random_unavailable, "the operating system's random number generator failed");
  std::string key(kApiKeyPrefix);
  key += kzg::to_hex(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

KeyDigest api_key_digest(std::string_view key) {
  KeyDigest d{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), d.data());
  return d;
}

std::string digest_hex(const KeyDigest& digest) { return kzg::to_hex(digest); }

std::optional<KeyDigest> parse_digest_hex(std::string_view hex) {
  KeyDigest d{};
  if (!kzg::from_hex(hex, d)) return std::nullopt;
  return d;
}

bool valid_key_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.'))
      return false;
  return true;
}

bool valid_tier_name(std::string_view name) { return valid_key_name(name) && name.find('.') == std::string_view::npos; }

std::string keys_file_entry(const NewApiKeyRequest& r, std::string_view key) {
  std::string permissions;
  for (Permission p : {Permission::commit, Permission::prove, Permission::verify, Permission::cells, Permission::batch,
                       Permission::admin}) {
    if (!r.permissions.has(p)) continue;
    if (!permissions.empty()) permissions += ", ";
    permissions += to_string(p);
  }
  std::string e = "  - name: " + r.name + "\n";
  e += "    sha256: " + digest_hex(api_key_digest(key)) + "\n";
  e += "    permissions: [" + permissions + "]\n";
  e += "    enabled: true\n";
  if (r.expires) e += "    expires: " + format_rfc3339(*r.expires) + "\n";
  if (!r.tier.empty()) e += "    tier: " + r.tier + "\n";
  return e;
}

kzg::Result<NewApiKey> new_api_key(const NewApiKeyRequest& r) {
  if (!valid_key_name(r.name))
    return kzg::make_error(kzg::ErrorCode::invalid_name, "the name must be 1 to 64 characters of [A-Za-z0-9._-]",
                           "name");
  if (r.permissions.empty())
    return kzg::make_error(kzg::ErrorCode::invalid_permission, "give at least one permission", "permissions");
  if (!r.tier.empty() && !valid_tier_name(r.tier))
    return kzg::make_error(kzg::ErrorCode::invalid_tier, "the tier must be 1 to 64 characters of [A-Za-z0-9_-]",
                           "tier");
  auto key = generate_api_key();
  if (!key) return key.error();
  NewApiKey made{*key, keys_file_entry(r, *key)};
  return made;
}

bool digests_equal(const KeyDigest& a, const KeyDigest& b) { return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

}  // namespace kzgd
