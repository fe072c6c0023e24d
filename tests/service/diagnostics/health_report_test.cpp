#include "service/diagnostics/health_report.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

HealthMeasurements healthy_measurements() {
  HealthMeasurements m;
  m.resources.memory.resident_bytes = 300u << 20;
  m.resources.cpu.process_ratio = 0.25;
  m.resources.cores = 4;
  m.fds = {100, 1024};
  m.disk = DiskSpace{10ull << 30, 100ull << 30};
  return m;
}

HealthThresholds thresholds() {
  HealthThresholds t;
  t.memory_limit_bytes = 1u << 30;
  t.cpu_max_percent = 90;
  t.disk_path = "/var/log/kzgd";
  t.disk_min_free_bytes = 1u << 30;
  t.fd_max_percent = 50;
  return t;
}

const HealthCheck& check(const HealthReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return c;
  throw std::runtime_error("no check " + name);
}

TEST(HealthReport, AllChecksPassWithTheirValuesAndThresholds) {
  const auto r = build_health_report(thresholds(), healthy_measurements());
  EXPECT_TRUE(r.healthy);
  ASSERT_EQ(r.checks.size(), 5u);
  EXPECT_DOUBLE_EQ(check(r, "memory").value, 300.0 * (1 << 20));
  EXPECT_DOUBLE_EQ(check(r, "memory").threshold, 1 << 30);
  EXPECT_DOUBLE_EQ(check(r, "cpu").value, 25);
  EXPECT_DOUBLE_EQ(check(r, "disk").value, 10.0 * (1ull << 30));
  EXPECT_DOUBLE_EQ(check(r, "fds").value, 100);
  EXPECT_DOUBLE_EQ(check(r, "fds").threshold, 512);
  EXPECT_TRUE(check(r, "self_test").ok);
  const auto j = health_json(r);
  EXPECT_EQ(j["status"], "healthy");
  EXPECT_EQ(j["checks"][0]["name"], "memory");
}

TEST(HealthReport, EachThresholdBelowItsValueFailsItsCheck) {
  struct Case {
    std::string check;
    void (*lower)(HealthThresholds&);
  };
  const std::vector<Case> cases = {
      {"memory", [](HealthThresholds& t) { t.memory_limit_bytes = 299u << 20; }},
      {"cpu", [](HealthThresholds& t) { t.cpu_max_percent = 24.9; }},
      {"disk", [](HealthThresholds& t) { t.disk_min_free_bytes = (10ull << 30) + 1; }},
      {"fds", [](HealthThresholds& t) { t.fd_max_percent = 9; }},  // 92 allowed < 100 open
  };
  for (const auto& c : cases) {
    HealthThresholds t = thresholds();
    c.lower(t);
    const auto r = build_health_report(t, healthy_measurements());
    EXPECT_FALSE(r.healthy) << c.check;
    for (const auto& x : r.checks) EXPECT_EQ(x.ok, x.name != c.check) << c.check << " / " << x.name;
    EXPECT_EQ(health_json(r)["status"], "unhealthy");
  }
}

TEST(HealthReport, AFailedSelfTestOrAnUnreadableDiskFails) {
  auto m = healthy_measurements();
  m.self_test = kzg::make_error(kzg::ErrorCode::self_test_failed, "self-test: commitment mismatch");
  auto r = build_health_report(thresholds(), m);
  EXPECT_FALSE(r.healthy);
  EXPECT_FALSE(check(r, "self_test").ok);
  EXPECT_NE(check(r, "self_test").message.find("commitment mismatch"), std::string::npos);
  m = healthy_measurements();
  m.disk.reset();
  r = build_health_report(thresholds(), m);
  EXPECT_FALSE(check(r, "disk").ok);
}

}  // namespace
}  // namespace kzgd
