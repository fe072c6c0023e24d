#include "service/command_line.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace kzgd {
namespace {

std::optional<CommandLine> parse(std::vector<const char*> args, int& exit_code, std::string* out_text = nullptr) {
  args.insert(args.begin(), "kzgd");
  std::ostringstream out, err;
  auto cl = parse_command_line(static_cast<int>(args.size()), args.data(), out, err, exit_code);
  if (out_text) *out_text = out.str() + err.str();
  return cl;
}

TEST(CommandLine, FlagsBecomeOverridesNamingTheFlag) {
  int code = -1;
  const auto cl =
      parse({"--config", "x.yaml", "--listen", "127.0.0.1:1", "--workers", "3", "--log-level", "warn"}, code);
  ASSERT_TRUE(cl);
  EXPECT_EQ(code, kExitOk);
  EXPECT_EQ(cl->sources.file, "x.yaml");
  ASSERT_EQ(cl->sources.overrides.size(), 3u);
  EXPECT_EQ(cl->sources.overrides[0].key, "server.listen");
  EXPECT_EQ(cl->sources.overrides[0].origin, "flag --listen");
  EXPECT_EQ(cl->sources.overrides[1].key, "workers.threads");
  EXPECT_EQ(cl->sources.overrides[2].key, "log.level");
}

TEST(CommandLine, NoArgumentsMeansNoSources) {
  int code = -1;
  const auto cl = parse({}, code);
  ASSERT_TRUE(cl);
  EXPECT_FALSE(cl->sources.file);
  EXPECT_TRUE(cl->sources.overrides.empty());
  EXPECT_FALSE(cl->check_config);
}

TEST(CommandLine, BadFlagExitsWithUsageCode) {
  int code = -1;
  std::string text;
  EXPECT_FALSE(parse({"--no-such-flag"}, code, &text));
  EXPECT_EQ(code, kExitUsage);
  EXPECT_NE(text.find("no-such-flag"), std::string::npos);
}

TEST(CommandLine, HelpExitsZero) {
  int code = -1;
  std::string text;
  EXPECT_FALSE(parse({"--help"}, code, &text));
  EXPECT_EQ(code, kExitOk);
  EXPECT_NE(text.find("--listen"), std::string::npos);
}

TEST(CommandLine, BadFlagValueIsReportedByTheConfigurationWithTheFlagName) {
  int code = -1;
  auto cl = parse({"--queue-limit", "-5"}, code);
  ASSERT_TRUE(cl);
  const auto c = load_service_config(cl->sources);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "workers.queue_limit");
  EXPECT_NE(c.error().message.find("flag --queue-limit"), std::string::npos) << c.error().message;
}

}  // namespace
}  // namespace kzgd
