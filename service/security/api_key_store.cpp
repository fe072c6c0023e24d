#include "service/security/api_key_store.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace kzgd {
namespace {

kzg::Error key_error(const std::string& field, const std::string& origin, const std::string& message) {
  return kzg::make_error(kzg::ErrorCode::invalid_keys_file, origin + ": " + field + ": " + message, field);
}

// A permissions value: a YAML list of names or one comma-separated string.
kzg::Result<PermissionSet> permissions_of(const YAML::Node& node) {
  if (node.IsScalar()) return parse_permissions(node.Scalar());
  if (!node.IsSequence() || node.size() == 0)
    return kzg::make_error(kzg::ErrorCode::invalid_permission, "expected a list of permissions", "permissions");
  std::string joined;
  for (const auto& item : node) {
    if (!item.IsScalar())
      return kzg::make_error(kzg::ErrorCode::invalid_permission, "expected permission names", "permissions");
    joined += (joined.empty() ? "" : ",") + item.Scalar();
  }
  return parse_permissions(joined);
}

kzg::Result<ApiKey> parse_entry(const YAML::Node& entry, const std::string& where, const std::string& origin,
                                const std::vector<std::string>& tiers) {
  if (!entry.IsMap()) return key_error(where, origin, "expected a mapping with name, sha256 and permissions");
  ApiKey key;
  for (const auto& field : entry) {
    const std::string name = field.first.as<std::string>();
    if (name != "name" && name != "sha256" && name != "permissions" && name != "enabled" && name != "expires" &&
        name != "tier") {
      std::string at = where;
      at.append(".").append(name);
      return key_error(at, origin, "unknown field; the fields are name, sha256, permissions, enabled, expires, tier");
    }
  }
  const auto scalar = [&](const char* field) -> std::optional<std::string> {
    const YAML::Node n = entry[field];
    if (!n || n.IsNull() || !n.IsScalar()) return std::nullopt;
    return n.Scalar();
  };
  const auto name = scalar("name");
  if (!name || !valid_key_name(*name))
    return key_error(where + ".name", origin, "expected 1 to 64 characters of [A-Za-z0-9._-]");
  key.name = *name;
  const auto sha = scalar("sha256");
  const auto digest = sha ? parse_digest_hex(*sha) : std::nullopt;
  if (!digest) return key_error(where + ".sha256", origin, "expected the key's SHA-256 digest, 64 hex digits");
  key.digest = *digest;
  if (!entry["permissions"]) return key_error(where + ".permissions", origin, "missing; e.g. [commit, verify]");
  auto permissions = permissions_of(entry["permissions"]);
  if (!permissions) return key_error(where + ".permissions", origin, permissions.error().message);
  key.permissions = *permissions;
  if (entry["enabled"]) {
    const auto text = scalar("enabled");
    if (text == "true" || text == "yes" || text == "on")
      key.enabled = true;
    else if (text == "false" || text == "no" || text == "off")
      key.enabled = false;
    else
      return key_error(where + ".enabled", origin, "expected true or false");
  }
  if (entry["expires"]) {
    const auto text = scalar("expires");
    const auto when = text ? parse_rfc3339(*text) : std::nullopt;
    if (!when)
      return key_error(where + ".expires", origin, "expected an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z");
    key.expires = *when;
  }
  if (entry["tier"]) {
    const auto text = scalar("tier");
    if (!text || std::find(tiers.begin(), tiers.end(), *text) == tiers.end()) {
      std::string known;
      for (const auto& t : tiers) known += (known.empty() ? "" : ", ") + t;
      return key_error(where + ".tier", origin,
                       "unknown tier" + (text ? " \"" + *text + "\"" : std::string()) + "; rate_limit.tiers names " +
                           (known.empty() ? std::string("none") : known));
    }
    key.tier = *text;
  }
  return key;
}

}  // namespace

kzg::Result<std::vector<ApiKey>> parse_keys_file(std::string_view text, const std::string& origin,
                                                 const std::vector<std::string>& tiers) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return key_error("keys", origin, std::string("not valid YAML: ") + e.what());
  }
  if (root.IsNull()) return std::vector<ApiKey>{};
  if (!root.IsMap() || (root["keys"] && !root["keys"].IsSequence() && !root["keys"].IsNull()))
    return key_error("keys", origin, "expected a mapping with \"keys\": a list of key entries");
  for (const auto& top : root)
    if (top.first.as<std::string>() != "keys")
      return key_error(top.first.as<std::string>(), origin, "unknown section; the file has only \"keys\"");
  std::vector<ApiKey> keys;
  const YAML::Node list = root["keys"];
  if (!list || list.IsNull()) return keys;
  try {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = "keys[" + std::to_string(i) + "]";
      auto key = parse_entry(list[i], where, origin, tiers);
      if (!key) return key.error();
      for (const auto& other : keys) {
        if (other.name == key->name) return key_error(where + ".name", origin, "duplicate name \"" + key->name + "\"");
        if (digests_equal(other.digest, key->digest))
          return key_error(where + ".sha256", origin, "the same key as \"" + other.name + "\"");
      }
      keys.push_back(std::move(key).value());
    }
  } catch (const YAML::Exception& e) {
    return key_error("keys", origin, std::string("malformed entry: ") + e.what());
  }
  return keys;
}

kzg::Result<std::size_t> ApiKeyStore::reload() {
  std::ifstream in(path_, std::ios::binary);
  if (!in.good())
    return kzg::make_error(kzg::ErrorCode::invalid_keys_file,
                           "cannot read the keys file \"" + path_ + "\" (auth.keys_file)", "auth.keys_file");
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_keys_file(text.str(), "keys file " + path_, tiers_);
  if (!parsed) return parsed.error();
  if (parsed->empty() && !allow_empty_)
    return kzg::make_error(kzg::ErrorCode::invalid_keys_file,
                           "the keys file \"" + path_ +
                               "\" holds no keys, which would refuse every request with 401; add a key (kzg keys "
                               "new), or set auth.allow_empty_keys to true if that is what you want",
                           "auth.keys_file");
  auto list = std::make_shared<KeyList>();
  for (auto& key : parsed.value()) list->push_back(std::make_shared<const ApiKey>(std::move(key)));
  const std::size_t n = list->size();
  std::lock_guard lock(mutex_);
  keys_ = std::move(list);
  return n;
}

std::shared_ptr<const ApiKeyStore::KeyList> ApiKeyStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

std::size_t ApiKeyStore::size() const { return snapshot()->size(); }

Authentication ApiKeyStore::authenticate(std::string_view presented, SystemTime now) const {
  const KeyDigest digest = api_key_digest(presented);
  const auto keys = snapshot();
  std::shared_ptr<const ApiKey> match;
  // Every digest is compared, whichever matches, so the time does not depend on the key's position.
  for (const auto& key : *keys)
    if (digests_equal(key->digest, digest)) match = key;
  if (!match) return {KeyCheck::unknown, nullptr};
  if (!match->enabled) return {KeyCheck::disabled, match};
  if (match->expires && now >= *match->expires) return {KeyCheck::expired, match};
  return {KeyCheck::accepted, match};
}

}  // namespace kzgd
