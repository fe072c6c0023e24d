// ApiKeyStore: the API keys kzgd accepts, read from the keys file (auth.keys_file) and reloaded on demand
// (SIGHUP). Only SHA-256 digests of the keys are stored; a presented key is hashed and its digest compared with
// every stored one in constant time (CRYPTO_memcmp, no early exit), so neither the time nor the answer tells
// an attacker how close a guess was.
//
// The keys file (YAML; `kzg keys new` prints entries for it):
//
//   keys:
//     - name: indexer                 # unique; the rate limiter's client name and the access log's
//       sha256: 9f86d08...            # SHA-256 of the key, 64 hex digits
//       permissions: [commit, verify] # or "commit,verify"; see permissions.hpp
//       enabled: true                 # optional, default true
//       expires: 2027-01-31T00:00:00Z # optional RFC 3339 date-time
//       tier: bulk                    # optional rate_limit.tiers name; default: rate_limit.rate/burst
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "service/security/api_key.hpp"
#include "service/security/permissions.hpp"
#include "service/security/rfc3339.hpp"

namespace kzgd {

struct ApiKey {
  std::string name;
  KeyDigest digest{};
  PermissionSet permissions;
  bool enabled = true;
  std::optional<SystemTime> expires;
  std::string tier;  // empty: the default tier
};

enum class KeyCheck { accepted, unknown, disabled, expired };

struct Authentication {
  KeyCheck check = KeyCheck::unknown;
  std::shared_ptr<const ApiKey> key;  // set unless unknown
};

// Parses a keys file's text. Every entry is checked; the error's field is the entry's key
// ("keys[2].permissions") and its message names the file (origin). tiers: the tier names a key may use.
kzg::Result<std::vector<ApiKey>> parse_keys_file(std::string_view text, const std::string& origin,
                                                 const std::vector<std::string>& tiers);

class ApiKeyStore {
 public:
  // allow_empty: a file with no keys is accepted (auth.allow_empty_keys); otherwise it is refused like a broken
  // one, since it would revoke every key at once (a truncated write, a template deployed by mistake).
  ApiKeyStore(std::string path, std::vector<std::string> tiers, bool allow_empty = false)
      : path_(std::move(path)), tiers_(std::move(tiers)), allow_empty_(allow_empty) {}

  // Reads the file again. On success the new keys replace the old at once (requests in progress keep the key
  // they were authenticated with); on failure the old keys stay and the error says why. Returns the key count.
  kzg::Result<std::size_t> reload();

  Authentication authenticate(std::string_view presented, SystemTime now) const;
  std::size_t size() const;
  const std::string& path() const { return path_; }

 private:
  using KeyList = std::vector<std::shared_ptr<const ApiKey>>;
  std::shared_ptr<const KeyList> snapshot() const;

  const std::string path_;
  const std::vector<std::string> tiers_;
  const bool allow_empty_;
  mutable std::mutex mutex_;
  std::shared_ptr<const KeyList> keys_ = std::make_shared<const KeyList>();
};

}  // namespace kzgd
