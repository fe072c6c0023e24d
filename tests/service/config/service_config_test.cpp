#include "service/service_config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

namespace kzgd {
namespace {

// A YAML file in the test's temporary directory, removed afterwards.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("kzgd_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
              std::to_string(counter_++) + ".yaml"))
                .string();
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

ConfigSources with_env(std::map<std::string, std::string> env) {
  ConfigSources s;
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(env));
  s.getenv = [shared](const char* name) -> const char* {
    const auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
  return s;
}

TEST(ServiceConfig, DefaultsWithoutSources) {
  const auto c = load_service_config({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(to_string(c->server.listen), "127.0.0.1:8080");
  EXPECT_EQ(c->server.request_timeout_seconds, 30);
  EXPECT_TRUE(c->setup.cell_proofs);
  EXPECT_TRUE(c->setup.fixed_base_msm);
  EXPECT_EQ(c->server.io_threads, 1u);
  EXPECT_EQ(c->workers.threads, 0u);
  EXPECT_EQ(c->workers.queue_limit, 256u);
  EXPECT_EQ(c->limits.max_body_bytes, 16u << 20);
  EXPECT_EQ(c->limits.max_batch_items, 64u);
  EXPECT_EQ(c->shutdown.grace_seconds, 10);
  EXPECT_EQ(c->log.level, LogLevel::info);
  EXPECT_EQ(c->log.format, LogFormat::json);
  EXPECT_EQ(c->setup.path, "");
}

TEST(ServiceConfig, ParsesEveryKeyFromYaml) {
  TempFile file(R"(
server:
  listen: "127.0.0.1:9000"
  io_threads: 2
  idle_timeout_seconds: 5.5
  request_timeout_seconds: 7
workers:
  threads: 3
  queue_limit: 17
limits:
  max_body_bytes: 2MiB
  max_batch_items: 9
shutdown:
  grace_seconds: 0.5
log:
  level: debug
  format: text
setup:
  path:
  cell_proofs: false
  fixed_base_msm: no
)");
  ConfigSources s;
  s.file = file.path();
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen.host, "127.0.0.1");
  EXPECT_EQ(c->server.listen.port, 9000);
  EXPECT_EQ(c->server.io_threads, 2u);
  EXPECT_DOUBLE_EQ(c->server.idle_timeout_seconds, 5.5);
  EXPECT_EQ(c->workers.threads, 3u);
  EXPECT_EQ(c->workers.queue_limit, 17u);
  EXPECT_EQ(c->limits.max_body_bytes, 2u << 20);
  EXPECT_EQ(c->limits.max_batch_items, 9u);
  EXPECT_DOUBLE_EQ(c->shutdown.grace_seconds, 0.5);
  EXPECT_EQ(c->log.level, LogLevel::debug);
  EXPECT_EQ(c->log.format, LogFormat::text);
  EXPECT_EQ(c->setup.path, "");
  EXPECT_DOUBLE_EQ(c->server.request_timeout_seconds, 7);
  EXPECT_FALSE(c->setup.cell_proofs);
  EXPECT_FALSE(c->setup.fixed_base_msm);
}

TEST(ServiceConfig, EmptyFileMeansDefaults) {
  TempFile file("");
  ConfigSources s;
  s.file = file.path();
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->workers.queue_limit, 256u);
}

TEST(ServiceConfig, EnvironmentOverridesFileAndFlagsOverrideEnvironment) {
  TempFile file("server:\n  listen: 127.0.0.1:1000\nworkers:\n  threads: 1\n  queue_limit: 5\n");
  ConfigSources s = with_env({{"KZGD_SERVER_LISTEN", "127.0.0.1:2000"}, {"KZGD_WORKERS_THREADS", "4"}});
  s.file = file.path();
  s.overrides.push_back({"workers.threads", "6", "flag --workers"});
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen.port, 2000);  // environment over file
  EXPECT_EQ(c->workers.threads, 6u);       // flag over environment
  EXPECT_EQ(c->workers.queue_limit, 5u);   // file over default
}

TEST(ServiceConfig, EveryKeyHasAnEnvironmentVariable) {
  EXPECT_EQ(environment_variable_for("server.listen"), "KZGD_SERVER_LISTEN");
  EXPECT_EQ(environment_variable_for("limits.max_body_bytes"), "KZGD_LIMITS_MAX_BODY_BYTES");
  // Setting each key's variable to a bad value must fail naming that key.
  for (const auto& key : config_keys()) {
    if (key == "setup.path") continue;            // any readable path is valid; tested below
    if (key == "setup.table_cache") continue;     // any file path is valid (created at start); tested below
    if (key == "cors.allowed_headers") continue;  // "not-a-valid-value" is a valid header name
    if (key == "redis.key_prefix") continue;      // and a valid key prefix
    const auto c = load_service_config(with_env({{environment_variable_for(key), "not-a-valid-value"}}));
    ASSERT_FALSE(c.ok()) << key;
    EXPECT_EQ(c.error().field, key);
    EXPECT_NE(c.error().message.find(key), std::string::npos) << c.error().message;
    EXPECT_NE(c.error().message.find(environment_variable_for(key)), std::string::npos) << c.error().message;
  }
}

TEST(ServiceConfig, BadValuesNameTheKeyAndTheSource) {
  struct Case {
    std::string key, value;
  };
  for (const auto& [key, value] : std::vector<Case>{{"server.listen", "8080"},
                                                    {"server.listen", "127.0.0.1:70000"},
                                                    {"server.listen", "example.com:80"},
                                                    {"server.io_threads", "0"},
                                                    {"workers.threads", "-1"},
                                                    {"workers.queue_limit", "lots"},
                                                    {"limits.max_body_bytes", "12"},
                                                    {"limits.max_body_bytes", "2TiB"},
                                                    {"limits.max_batch_items", "0"},
                                                    {"shutdown.grace_seconds", "-1"},
                                                    {"log.level", "verbose"},
                                                    {"log.format", "xml"},
                                                    {"setup.cell_proofs", "maybe"},
                                                    {"server.request_timeout_seconds", "0"},
                                                    {"setup.path", "/nonexistent/setup.txt"},
                                                    {"setup.table_cache", "/tmp"}}) {
    ConfigSources s;
    s.overrides.push_back({key, value, "flag --x"});
    const auto c = load_service_config(s);
    ASSERT_FALSE(c.ok()) << key << "=" << value;
    EXPECT_EQ(c.error().code, kzg::ErrorCode::invalid_config);
    EXPECT_EQ(c.error().field, key);
    EXPECT_EQ(c.error().message.rfind(key + ": ", 0), 0u) << c.error().message;
    EXPECT_NE(c.error().message.find("flag --x"), std::string::npos) << c.error().message;
  }
}

TEST(ServiceConfig, BadYamlValueNamesKeyAndFile) {
  TempFile file("workers:\n  queue_limit: many\n");
  ConfigSources s;
  s.file = file.path();
  const auto c = load_service_config(s);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "workers.queue_limit");
  EXPECT_NE(c.error().message.find(file.path()), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("\"many\""), std::string::npos) << c.error().message;
}

TEST(ServiceConfig, UnknownKeysAreRefused) {
  TempFile file("server:\n  lisen: 127.0.0.1:1\n");
  ConfigSources s;
  s.file = file.path();
  const auto c = load_service_config(s);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "server.lisen");
  EXPECT_NE(c.error().message.find("unknown key"), std::string::npos);
}

TEST(ServiceConfig, StructureErrors) {
  for (const std::string text : {"- a\n- b\n", "server: 5\n", "server:\n  listen: [1, 2]\n", "server: {listen: "}) {
    TempFile file(text);
    ConfigSources s;
    s.file = file.path();
    const auto c = load_service_config(s);
    EXPECT_FALSE(c.ok()) << text;
  }
  ConfigSources missing;
  missing.file = "/nonexistent/kzgd.yaml";
  const auto c = load_service_config(missing);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "config");
}

// Found by the config fuzzer: YAML allows any node as a mapping key, and reading a list or mapping key as a string
// threw out of load_service_config (kzgd ended with an uncaught exception).
TEST(ServiceConfig, ListOrMappingKeysAreRefusedNamingWhere) {
  for (const std::string text : {"[a, b]: 1\n", "{server: x}:\n  listen: 127.0.0.1:1\n", "? [server]\n: {}\n"}) {
    TempFile file(text);
    ConfigSources s;
    s.file = file.path();
    const auto c = load_service_config(s);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_EQ(c.error().code, kzg::ErrorCode::invalid_config);
    EXPECT_EQ(c.error().field, "config") << text;
    EXPECT_NE(c.error().message.find("section name must be a plain word"), std::string::npos) << c.error().message;
  }
  for (const std::string text : {"server:\n  [listen]: 127.0.0.1:1\n", "log:\n  {level: x}: debug\n"}) {
    TempFile file(text);
    ConfigSources s;
    s.file = file.path();
    const auto c = load_service_config(s);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_EQ(c.error().field, text.substr(0, text.find(':'))) << text;
    EXPECT_NE(c.error().message.find("key must be a plain word"), std::string::npos) << c.error().message;
  }
}

// Found by the config fuzzer: an override with an empty name ("=text") gave an error with an empty field.
TEST(ServiceConfig, EmptyKeyNamesAreRefusedNamingConfig) {
  ConfigSources s;
  s.overrides.push_back({"", "text", "flag --set"});
  const auto c = load_service_config(s);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, kzg::ErrorCode::invalid_config);
  EXPECT_EQ(c.error().field, "config");
  EXPECT_NE(c.error().message.find("empty key name"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("flag --set"), std::string::npos) << c.error().message;

  TempFile file("\"\":\n  listen: 127.0.0.1:1\n");
  ConfigSources from_file;
  from_file.file = file.path();
  const auto y = load_service_config(from_file);
  ASSERT_FALSE(y.ok());
  EXPECT_FALSE(y.error().field.empty());
}

TEST(ServiceConfig, ListenAddressForms) {
  ListenAddress a;
  for (const auto& [text, host, port] : std::vector<std::tuple<std::string, std::string, int>>{
           {"0.0.0.0:8080", "0.0.0.0", 8080}, {"[::1]:9", "::1", 9}, {"localhost:0", "localhost", 0}}) {
    ConfigSources s;
    s.overrides.push_back({"server.listen", text, "test"});
    const auto c = load_service_config(s);
    ASSERT_TRUE(c.ok()) << text << ": " << c.error().message;
    EXPECT_EQ(c->server.listen.host, host);
    EXPECT_EQ(c->server.listen.port, port);
  }
  EXPECT_EQ(to_string(ListenAddress{"::1", 9}), "[::1]:9");
}

TEST(ServiceConfig, ByteSizes) {
  for (const auto& [text, bytes] : std::vector<std::pair<std::string, std::size_t>>{
           {"1024", 1024}, {"64KiB", 64 << 10}, {"16 MiB", 16 << 20}, {"1GiB", 1u << 30}}) {
    ConfigSources s;
    s.overrides.push_back({"limits.max_body_bytes", text, "test"});
    const auto c = load_service_config(s);
    ASSERT_TRUE(c.ok()) << text << ": " << c.error().message;
    EXPECT_EQ(c->limits.max_body_bytes, bytes);
  }
}

TEST(ServiceConfig, TheExampleFileHasEveryKeyAtItsDefault) {
  const std::string path = std::string(KZGD_SOURCE_DIR) + "/examples/kzgd.yaml";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& key : config_keys()) {
    const std::string leaf = key.substr(key.find('.') + 1);
    EXPECT_NE(text.find("\n  " + leaf + ":"), std::string::npos) << key << " is missing from " << path;
  }
  ConfigSources s;
  s.file = path;
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  const ServiceConfig defaults;
  EXPECT_EQ(to_yaml(*c), to_yaml(defaults));
}

TEST(ServiceConfig, TheConfigurationGuideDocumentsEveryKey) {
  const std::string path = std::string(KZGD_SOURCE_DIR) + "/docs/configuration.md";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& key : config_keys()) EXPECT_NE(text.find("| `" + key + "` |"), std::string::npos) << key;
}

TEST(ServiceConfig, MemoryThresholdsDeriveFromTheCgroupLimit) {
  ConfigSources boxed;
  boxed.memory_max = [] { return std::optional<std::uint64_t>(1ull << 30); };
  const auto c = load_service_config(boxed);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->diagnostics.memory_limit_bytes, static_cast<std::uint64_t>((1ull << 30) * 0.9));
  EXPECT_EQ(c->diagnostics.memory_warn_bytes, static_cast<std::uint64_t>((1ull << 30) * 0.75));
  EXPECT_LT(c->diagnostics.memory_limit_bytes, 1ull << 30);
  EXPECT_EQ(c->diagnostics.cgroup_memory_max, 1ull << 30);

  // Without a cgroup limit: the fixed defaults.
  ConfigSources unboxed;
  unboxed.memory_max = [] { return std::optional<std::uint64_t>(); };
  for (const auto& sources : {unboxed, ConfigSources{}}) {
    const auto d = load_service_config(sources);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->diagnostics.memory_limit_bytes, 4ull << 30);
    EXPECT_EQ(d->diagnostics.memory_warn_bytes, 2ull << 30);
    EXPECT_EQ(d->diagnostics.cgroup_memory_max, 0u);
  }
}

TEST(ServiceConfig, ExplicitMemoryThresholdsWinOverTheCgroup) {
  TempFile file("diagnostics:\n  memory_limit_bytes: 700MiB\n  memory_warn_bytes: auto\n");
  ConfigSources s;
  s.file = file.path();
  s.memory_max = [] { return std::optional<std::uint64_t>(1ull << 30); };
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->diagnostics.memory_limit_bytes, 700ull << 20);
  EXPECT_EQ(c->diagnostics.memory_warn_bytes, static_cast<std::uint64_t>((1ull << 30) * 0.75));

  ConfigSources bad;
  bad.overrides.push_back({"diagnostics.memory_limit_bytes", "half", "test"});
  const auto e = load_service_config(bad);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "diagnostics.memory_limit_bytes");
  EXPECT_NE(e.error().message.find("or auto"), std::string::npos) << e.error().message;
}

TEST(ServiceConfig, YamlDumpLoadsBackToTheSameConfiguration) {
  ConfigSources s;
  s.overrides.push_back({"server.listen", "[::1]:7000", "test"});
  s.overrides.push_back({"log.format", "text", "test"});
  s.overrides.push_back({"shutdown.grace_seconds", "2.5", "test"});
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok());
  TempFile file(to_yaml(*c));
  ConfigSources again;
  again.file = file.path();
  const auto d = load_service_config(again);
  ASSERT_TRUE(d.ok()) << d.error().message << "\n" << to_yaml(*c);
  EXPECT_EQ(to_yaml(*d), to_yaml(*c));
  EXPECT_EQ(d->server.listen.host, "::1");
  EXPECT_DOUBLE_EQ(d->shutdown.grace_seconds, 2.5);
}

}  // namespace
}  // namespace kzgd

namespace kzgd {
namespace {

TEST(ServiceConfig, SecurityKeysTakeYamlListsAndCheckEveryItem) {
  TempFile file(
      "auth:\n  open_metrics: false\n"
      "rate_limit:\n  enabled: true\n  rate: 2.5\n  burst: 10\n  tiers: [bulk=100/200, trial=1/2]\n"
      "  costs: verify_kzg_proof=3\n  max_clients: 64\n"
      "access:\n  allow: [10.0.0.0/8, \"2001:db8::/32\"]\n  trusted_proxies: 127.0.0.1\n"
      "cors:\n  allowed_origins: [\"*\"]\n  max_age_seconds: 60\n");
  ConfigSources s;
  s.file = file.path();
  const auto c = load_service_config(s);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->auth.open_metrics);
  EXPECT_TRUE(c->rate_limit.enabled);
  EXPECT_DOUBLE_EQ(c->rate_limit.rate, 2.5);
  EXPECT_EQ(c->rate_limit.tiers.text, "bulk=100/200, trial=1/2");
  EXPECT_EQ(c->rate_limit.max_clients, 64u);
  EXPECT_EQ(c->access.allow.text, "10.0.0.0/8, 2001:db8::/32");
  EXPECT_EQ(c->cors.allowed_origins, "*");
  // The dump loads back to the same values (IPv6 ranges and "*" are quoted).
  TempFile again_file(to_yaml(*c));
  ConfigSources again;
  again.file = again_file.path();
  const auto d = load_service_config(again);
  ASSERT_TRUE(d.ok()) << d.error().message << "\n" << to_yaml(*c);
  EXPECT_EQ(to_yaml(*d), to_yaml(*c));

  const std::vector<std::pair<std::string, std::string>> bad{
      {"access:\n  deny: [10.0.0.0/8, 300.0.0.1]\n", "access.deny"},
      {"access:\n  trusted_proxies: [[1]]\n", "access.trusted_proxies"},
      {"rate_limit:\n  rate: 0\n", "rate_limit.rate"},
      {"rate_limit:\n  tiers: bulk\n", "rate_limit.tiers"},
      {"rate_limit:\n  costs: [teleport=1]\n", "rate_limit.costs"},
      {"cors:\n  allowed_origins: example.org\n", "cors.allowed_origins"},
      {"auth:\n  keys_file: /nonexistent/keys.yaml\n", "auth.keys_file"},
      {"auth:\n  enabled: [true]\n", "auth.enabled"},
  };
  for (const auto& [text, key] : bad) {
    TempFile f(text);
    ConfigSources b;
    b.file = f.path();
    const auto r = load_service_config(b);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().field, key) << r.error().message;
  }
}

}  // namespace
}  // namespace kzgd
