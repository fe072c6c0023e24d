#include "service/redis/redis_options.hpp"

#include <gtest/gtest.h>

#include "service/service_config.hpp"

namespace kzgd {
namespace {

TEST(RedisUrl, HostPortDatabaseAndCredentials) {
  auto e = parse_redis_url("redis://kzgd:s%40cret@redis.internal:6380/2");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "redis.internal");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->db, 2u);
  EXPECT_EQ(e->user, "kzgd");
  EXPECT_EQ(e->password, "s@cret");

  auto plain = parse_redis_url("redis://127.0.0.1");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 6379);
  EXPECT_EQ(plain->db, 0u);
  EXPECT_TRUE(plain->password.empty());

  auto password_only = parse_redis_url("redis://:pw@[::1]:7000/0");
  ASSERT_TRUE(password_only) << password_only.error().message;
  EXPECT_EQ(password_only->host, "::1");
  EXPECT_EQ(password_only->port, 7000);
  EXPECT_EQ(password_only->user, "");
  EXPECT_EQ(password_only->password, "pw");
}

TEST(RedisUrl, MalformedUrlsAreRefusedWithoutRepeatingThePassword) {
  for (const char* bad :
       {"http://host:6379", "rediss://host", "redis://", "redis://host:0", "redis://host:70000", "redis://host:port",
        "redis://host:6379/16", "redis://host:6379/x", "redis://[::1", "redis://u:p%zz@host", "redis://host:"}) {
    auto e = parse_redis_url(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().field, "redis.url") << bad;
  }
  auto e = parse_redis_url("redis://user:topsecret@host:99999");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message.find("topsecret"), std::string::npos);
}

TEST(RedisUrl, RedactedForLogs) {
  EXPECT_EQ(redacted_redis_url("redis://kzgd:hunter2@redis:6379/0"), "redis://kzgd:***@redis:6379/0");
  EXPECT_EQ(redacted_redis_url("redis://:hunter2@redis"), "redis://:***@redis");
  EXPECT_EQ(redacted_redis_url("redis://redis:6379"), "redis://redis:6379");
}

TEST(RedisOptions, ConfigKeysParseAndThePasswordNeverPrints) {
  ServiceConfig config;
  ASSERT_FALSE(set_config_value(config, "redis.url", "redis://:hunter2@10.0.0.5:6379/1"));
  EXPECT_TRUE(config.redis.enabled());
  const std::string yaml = to_yaml(config);
  EXPECT_EQ(yaml.find("hunter2"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("redis://:***@10.0.0.5:6379/1"), std::string::npos) << yaml;

  auto bad = set_config_value(config, "redis.url", "redis://:hunter2@host:0");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->message.find("redis.url"), std::string::npos) << bad->message;
  EXPECT_EQ(bad->message.find("hunter2"), std::string::npos) << bad->message;

  EXPECT_DOUBLE_EQ(config.redis.fallback_share(), 1.0 / 3);  // three expected replicas
  ASSERT_FALSE(set_config_value(config, "redis.expected_replicas", "4"));
  EXPECT_DOUBLE_EQ(config.redis.fallback_share(), 0.25);
  ASSERT_FALSE(set_config_value(config, "redis.fallback_rate_share", "0.5"));
  EXPECT_DOUBLE_EQ(config.redis.fallback_share(), 0.5);
  EXPECT_TRUE(set_config_value(config, "redis.fallback_rate_share", "1.5"));
  EXPECT_TRUE(set_config_value(config, "redis.command_timeout_ms", "0"));
  EXPECT_TRUE(set_config_value(config, "redis.key_prefix", "has space"));
}

TEST(CacheOptions, OnlyCacheableOperations) {
  ServiceConfig config;
  EXPECT_EQ(config.cache.operations.value.size(), 6u);
  ASSERT_FALSE(set_config_value(config, "cache.operations", "compute_cells, compute_cells"));
  EXPECT_EQ(config.cache.operations.value, std::vector<std::string>{"compute_cells"});
  auto bad = set_config_value(config, "cache.operations", "verify_blob_kzg_proof");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->message.find("cannot be cached"), std::string::npos) << bad->message;
}

}  // namespace
}  // namespace kzgd
