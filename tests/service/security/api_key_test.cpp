#include "service/security/api_key.hpp"

#include <gtest/gtest.h>

#include <set>

#include "service/security/api_key_store.hpp"

namespace kzgd {
namespace {

TEST(ApiKey, NewKeysHave256BitsOfHexAfterThePrefixAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto key = generate_api_key();
    ASSERT_TRUE(key.ok());
    ASSERT_EQ(key->size(), kApiKeyPrefix.size() + 64);
    EXPECT_TRUE(key->starts_with(kApiKeyPrefix));
    EXPECT_EQ(key->find_first_not_of("0123456789abcdef", kApiKeyPrefix.size()), std::string::npos) << *key;
    seen.insert(*key);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(ApiKey, DigestIsSha256OfTheKey) {
  // FIPS 180-2 test vector: SHA-256("abc").
  EXPECT_EQ(digest_hex(api_key_digest("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto parsed = parse_digest_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(digests_equal(*parsed, api_key_digest("abc")));
  EXPECT_FALSE(digests_equal(*parsed, api_key_digest("abd")));
  EXPECT_FALSE(parse_digest_hex("ba7816bf").has_value());
  EXPECT_FALSE(parse_digest_hex(std::string(63, 'a') + "g").has_value());
}

TEST(ApiKey, NewKeyEntryHoldsOnlyTheDigestAndLoadsBackIntoTheStore) {
  NewApiKeyRequest request;
  request.name = "indexer";
  const auto permissions = parse_permissions("verify,commit");
  ASSERT_TRUE(permissions.ok()) << permissions.error().message;
  request.permissions = *permissions;
  request.expires = parse_rfc3339("2031-05-06T07:08:09Z");
  request.tier = "bulk";
  const auto made = new_api_key(request);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->entry.find(made->key), std::string::npos) << "the entry must not contain the key";
  EXPECT_NE(made->entry.find(digest_hex(api_key_digest(made->key))), std::string::npos);
  const auto keys = parse_keys_file("keys:\n" + made->entry, "test", {"bulk"});
  ASSERT_TRUE(keys.ok()) << keys.error().message << "\n" << made->entry;
  ASSERT_EQ(keys->size(), 1u);
  const ApiKey& k = keys->front();
  EXPECT_EQ(k.name, "indexer");
  EXPECT_TRUE(digests_equal(k.digest, api_key_digest(made->key)));
  EXPECT_EQ(to_string(k.permissions), "commit,verify");
  EXPECT_TRUE(k.enabled);
  EXPECT_EQ(format_rfc3339(*k.expires), "2031-05-06T07:08:09Z");
  EXPECT_EQ(k.tier, "bulk");
}

TEST(ApiKey, NewKeyRefusesBadNamesPermissionsAndTiers) {
  NewApiKeyRequest request;
  request.name = "has space";
  const auto verify_only = parse_permissions("verify");
  ASSERT_TRUE(verify_only.ok()) << verify_only.error().message;
  request.permissions = *verify_only;
  EXPECT_EQ(new_api_key(request).error().field, "name");
  request.name = std::string(65, 'a');
  EXPECT_EQ(new_api_key(request).error().field, "name");
  request.name = "ok";
  request.permissions = PermissionSet{};
  EXPECT_EQ(new_api_key(request).error().field, "permissions");
  request.permissions = *verify_only;
  request.tier = "a.b";
  EXPECT_EQ(new_api_key(request).error().field, "tier");
}

}  // namespace
}  // namespace kzgd
