#include "tool/key_commands.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "service/security/api_key.hpp"
#include "tool/blob_commands.hpp"

namespace kzg::tool {
namespace {

struct KeysRun {
  int exit_code = -1;
  std::string out, err;
};

KeysRun run(std::vector<std::string> args) {
  CLI::App app;
  std::ostringstream out, err;
  KeysRun r;
  add_key_commands(app, out, err, r.exit_code);
  args.insert(args.begin(), "kzg");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    r.exit_code = app.exit(e, out, err) == 0 ? 0 : kExitUsage;
  }
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) v.push_back(line);
  return v;
}

TEST(KeysNew, PrintsTheKeyOnceAndAnEntryWithOnlyItsDigest) {
  const KeysRun r = run({"keys", "new", "--name", "indexer", "--permissions", "commit,verify", "--expires",
                         "2099-01-31T00:00:00Z", "--tier", "bulk"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const auto l = lines(r.out);
  ASSERT_GE(l.size(), 8u) << r.out;
  const std::string key = l[1];
  ASSERT_TRUE(key.starts_with(kzgd::kApiKeyPrefix)) << r.out;
  EXPECT_EQ(key.size(), kzgd::kApiKeyPrefix.size() + 64);
  EXPECT_EQ(r.out.find(key), r.out.rfind(key)) << "the key appears once";
  EXPECT_NE(r.out.find("    sha256: " + kzgd::digest_hex(kzgd::api_key_digest(key))), std::string::npos);
  EXPECT_NE(r.out.find("  - name: indexer\n"), std::string::npos);
  EXPECT_NE(r.out.find("    permissions: [commit, verify]\n"), std::string::npos);
  EXPECT_NE(r.out.find("    expires: 2099-01-31T00:00:00Z\n"), std::string::npos);
  EXPECT_NE(r.out.find("    tier: bulk\n"), std::string::npos);
  // Two runs, two keys.
  EXPECT_NE(lines(run({"keys", "new", "--name", "a", "--permissions", "verify"}).out)[1], key);
}

TEST(KeysNew, BadArgumentsExit2WithAMessage) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"keys", "new", "--name", "a b", "--permissions", "verify"}, "--name"},
      {{"keys", "new", "--name", "a", "--permissions", "verify,fly"}, "--permissions"},
      {{"keys", "new", "--name", "a", "--permissions", "verify", "--expires", "next week"}, "--expires"},
      {{"keys", "new", "--name", "a", "--permissions", "verify", "--expires", "2001-01-01T00:00:00Z"}, "past"},
      {{"keys", "new", "--name", "a", "--permissions", "verify", "--tier", "x.y"}, "--tier"},
      {{"keys", "new", "--permissions", "verify"}, "--name"},
  };
  for (const auto& [args, expected] : cases) {
    const KeysRun r = run(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << args[3];
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(kzgd::kApiKeyPrefix), std::string::npos) << "no key printed on error";
  }
}

}  // namespace
}  // namespace kzg::tool
