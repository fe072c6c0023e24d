#include "service/security/api_key_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace kzgd {
namespace {

using std::chrono::system_clock;

std::string digest_of(const std::string& key) { return digest_hex(api_key_digest(key)); }

const SystemTime kNow = system_clock::from_time_t(1800000000);

std::string three_keys() {
  return "keys:\n"
         "  - name: alice\n    sha256: " +
         digest_of("key-alice") +
         "\n    permissions: [commit, verify]\n"
         "  - name: bob\n    sha256: " +
         digest_of("key-bob") +
         "\n    permissions: verify\n    enabled: false\n"
         "  - name: carol\n    sha256: " +
         digest_of("key-carol") +
         "\n    permissions: prove\n"
         "    expires: 2027-06-01T00:00:00Z\n    tier: bulk\n";
}

class KeysFile {
 public:
  explicit KeysFile(const std::string& text)
      : path_((std::filesystem::temp_directory_path() /
               ("kzgd_keys_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml"))
                  .string()) {
    write(text);
  }
  ~KeysFile() { std::filesystem::remove(path_); }
  void write(const std::string& text) const { std::ofstream(path_, std::ios::trunc) << text; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ApiKeyStore, AuthenticatesByDigestAndReportsDisabledAndExpired) {
  KeysFile file(three_keys());
  ApiKeyStore store(file.path(), {"bulk"});
  const auto loaded = store.reload();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, 3u);

  const auto alice = store.authenticate("key-alice", kNow);
  EXPECT_EQ(alice.check, KeyCheck::accepted);
  ASSERT_TRUE(alice.key);
  EXPECT_EQ(alice.key->name, "alice");
  EXPECT_TRUE(alice.key->permissions.has(Permission::verify));
  EXPECT_FALSE(alice.key->permissions.has(Permission::prove));

  EXPECT_EQ(store.authenticate("key-alicf", kNow).check, KeyCheck::unknown);
  EXPECT_EQ(store.authenticate("", kNow).check, KeyCheck::unknown);
  EXPECT_EQ(store.authenticate(digest_of("key-alice"), kNow).check, KeyCheck::unknown);  // the digest is no key
  EXPECT_EQ(store.authenticate("key-bob", kNow).check, KeyCheck::disabled);
  const auto carol = store.authenticate("key-carol", kNow);
  EXPECT_EQ(carol.check, KeyCheck::accepted);
  EXPECT_EQ(carol.key->tier, "bulk");
  EXPECT_EQ(store.authenticate("key-carol", *parse_rfc3339("2027-06-01T00:00:00Z")).check, KeyCheck::expired);
}

TEST(ApiKeyStore, ReloadReplacesTheKeysAndABadFileKeepsTheOldOnes) {
  KeysFile file(three_keys());
  ApiKeyStore store(file.path(), {"bulk"});
  ASSERT_TRUE(store.reload().ok());
  file.write("keys:\n  - name: dave\n    sha256: " + digest_of("key-dave") + "\n    permissions: [admin]\n");
  ASSERT_TRUE(store.reload().ok());
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.authenticate("key-alice", kNow).check, KeyCheck::unknown);
  EXPECT_EQ(store.authenticate("key-dave", kNow).check, KeyCheck::accepted);
  file.write("keys:\n  - name: eve\n    sha256: nope\n    permissions: [admin]\n");
  const auto bad = store.reload();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "keys[0].sha256");
  EXPECT_EQ(store.authenticate("key-dave", kNow).check, KeyCheck::accepted);  // still the old keys
  std::filesystem::remove(file.path());
  EXPECT_FALSE(store.reload().ok());
  EXPECT_EQ(store.size(), 1u);
}

TEST(ApiKeyStore, ParseErrorsNameTheEntryAndField) {
  const std::string d = digest_of("k");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"keys: 5\n", "keys"},
      {"other: []\n", "other"},
      {"keys:\n  - 5\n", "keys[0]"},
      {"keys:\n  - sha256: " + d + "\n    permissions: [verify]\n", "keys[0].name"},
      {"keys:\n  - name: a b\n    sha256: " + d + "\n    permissions: [verify]\n", "keys[0].name"},
      {"keys:\n  - name: a\n    permissions: [verify]\n", "keys[0].sha256"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n", "keys[0].permissions"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [fly]\n", "keys[0].permissions"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: []\n", "keys[0].permissions"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [verify]\n    enabled: maybe\n", "keys[0].enabled"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [verify]\n    expires: soon\n", "keys[0].expires"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [verify]\n    tier: gold\n", "keys[0].tier"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [verify]\n    colour: red\n", "keys[0].colour"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [verify]\n  - name: a\n    sha256: " +
           digest_of("other") + "\n    permissions: [verify]\n",
       "keys[1].name"},
      {"keys:\n  - name: a\n    sha256: " + d + "\n    permissions: [verify]\n  - name: b\n    sha256: " + d +
           "\n    permissions: [verify]\n",
       "keys[1].sha256"},
      {"keys: [\n", "keys"},
  };
  for (const auto& [text, field] : cases) {
    const auto r = parse_keys_file(text, "keys file test.yaml", {"bulk"});
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().field, field) << text << "\n" << r.error().message;
    EXPECT_NE(r.error().message.find("test.yaml"), std::string::npos) << r.error().message;
  }
  const auto empty = parse_keys_file("", "empty", {});
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->empty());
  const auto no_keys = parse_keys_file("keys:\n", "no keys", {});
  ASSERT_TRUE(no_keys.ok()) << no_keys.error().message;
  EXPECT_TRUE(no_keys->empty());
}

}  // namespace
}  // namespace kzgd
