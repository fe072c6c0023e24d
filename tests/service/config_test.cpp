#include "config.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

TEST(Config, YamlThenEnvironmentOverride) {
  Config c;
  ASSERT_FALSE(apply_yaml(c, "server:\n  listen: 0.0.0.0:9000\nworkers:\n  threads: 3\n  queue_limit: 10\n"
                             "log:\n  level: debug\nsetup:\n  cell_proofs: false\n"));
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.worker_threads, 3u);
  EXPECT_EQ(c.queue_limit, 10u);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_FALSE(c.cell_proofs);
  ASSERT_FALSE(apply_env(c, {{"KZGD_SERVER_LISTEN", "[::1]:7000"}, {"KZGD_LIMITS_MAX_BATCH_ITEMS", "5"},
                             {"UNRELATED", "x"}}));
  EXPECT_EQ(c.listen, "[::1]:7000");
  EXPECT_EQ(c.host(), "::1");
  EXPECT_EQ(c.port(), 7000);
  EXPECT_EQ(c.max_batch_items, 5u);
  EXPECT_FALSE(validate(c));
}

TEST(Config, BadValuesNameTheKey) {
  Config c;
  auto e = apply_yaml(c, "workers:\n  threads: many\n");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->key, "workers.threads");
  e = apply_yaml(c, "server:\n  listne: x\n");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->key, "server.listne");
  EXPECT_EQ(e->message, "unknown configuration key");
  e = apply_env(c, {{"KZGD_LOG_LEVEL", "loud"}});
  ASSERT_TRUE(e);
  EXPECT_NE(e->key.find("log.level"), std::string::npos);
  e = apply_yaml(c, "server: [1, 2\n");
  ASSERT_TRUE(e);
  c = Config{};
  c.listen = "nohostport";
  e = validate(c);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->key, "server.listen");
  c = Config{};
  c.queue_limit = 0;
  EXPECT_EQ(validate(c)->key, "workers.queue_limit");
  EXPECT_EQ(env_name("shutdown.grace_seconds"), "KZGD_SHUTDOWN_GRACE_SECONDS");
}

TEST(Config, EveryKeyIsSettable) {
  for (const auto& [key, help] : config_keys()) {
    EXPECT_FALSE(help.empty()) << key;
    Config c;
    const auto e = set_config_value(c, key, "1");
    // "1" is valid for numbers, booleans and strings; only the choice keys refuse it, naming themselves.
    if (e) {
      EXPECT_EQ(e->key, key);
    }
  }
}

}  // namespace
}  // namespace kzgd
