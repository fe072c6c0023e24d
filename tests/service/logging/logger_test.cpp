#include "service/logging/logger.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  return out;
}

TEST(Logger, JsonLinesCarryTimeLevelMessageAndFieldsInOrder) {
  auto sink = std::make_shared<testing::MemorySink>();
  Logger logger(LogLevel::info, LogFormat::json, sink);
  logger.info("request", {{"request_id", "abc"}, {"status", 200}, {"duration_ms", 1.5}});
  const auto l = lines(sink->text());
  ASSERT_EQ(l.size(), 1u);
  const auto j = nlohmann::ordered_json::parse(l[0]);
  EXPECT_TRUE(std::regex_match(j["time"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["message"], "request");
  EXPECT_EQ(j["request_id"], "abc");
  EXPECT_EQ(j["status"], 200);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "level", "message", "request_id", "status", "duration_ms"}));
}

TEST(Logger, LevelFilters) {
  auto sink = std::make_shared<testing::MemorySink>();
  Logger logger(LogLevel::warn, LogFormat::json, sink);
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  const auto l = lines(sink->text());
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(l[0])["level"], "warn");
  EXPECT_EQ(nlohmann::json::parse(l[1])["level"], "error");
  EXPECT_FALSE(logger.enabled(LogLevel::info));

  Logger off(LogLevel::off, LogFormat::json, sink);
  off.error("nothing");
  EXPECT_EQ(lines(sink->text()).size(), 2u);
}

TEST(Logger, TextFormat) {
  auto sink = std::make_shared<testing::MemorySink>();
  Logger logger(LogLevel::info, LogFormat::text, sink);
  logger.info("request", {{"status", 404}, {"path", "/a b"}, {"operation", "unknown"}});
  const auto l = lines(sink->text());
  ASSERT_EQ(l.size(), 1u);
  EXPECT_TRUE(std::regex_match(l[0], std::regex(R"(\S+Z info request status=404 path="/a b" operation=unknown)")))
      << l[0];
}

TEST(Logger, InvalidUtf8IsReplacedNotThrown) {
  auto sink = std::make_shared<testing::MemorySink>();
  Logger logger(LogLevel::info, LogFormat::json, sink);
  logger.info("request", {{"path", std::string("/\xff\xfe")}});
  const auto l = lines(sink->text());
  ASSERT_EQ(l.size(), 1u);
  EXPECT_TRUE(nlohmann::json::accept(l[0])) << l[0];
}

}  // namespace
}  // namespace kzgd
