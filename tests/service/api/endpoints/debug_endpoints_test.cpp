// The debug endpoints through the real server on loopback.
#include "service/api/endpoints/debug_endpoints.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/promtool.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using nlohmann::json;

const json& check(const json& report, const std::string& name) {
  for (const auto& c : report.at("checks"))
    if (c.at("name") == name) return c;
  throw std::runtime_error("no check " + name);
}

TEST(DebugEndpoints, MemoryReportsAllocatedResidentAndPeaks) {
  TestService s(relaxed_config());
  const auto r = s.get("/debug/memory");
  ASSERT_EQ(r.result_int(), 200u);
  const json m = body_json(r);
  EXPECT_GT(m.at("allocated_bytes").get<std::uint64_t>(), 0u);
  EXPECT_GE(m.at("allocated_peak_bytes").get<std::uint64_t>(), m.at("allocated_bytes").get<std::uint64_t>());
  EXPECT_GT(m.at("resident_bytes").get<std::uint64_t>(), 1u << 20);
  EXPECT_GE(m.at("resident_peak_bytes").get<std::uint64_t>(), m.at("resident_bytes").get<std::uint64_t>());
  EXPECT_EQ(m.at("limit_bytes"), 4ull << 30);
  // A large allocation shows in the heap figure and raises the peak.
  const auto before = m.at("allocated_bytes").get<std::uint64_t>();
  {
    std::vector<char> big(64u << 20, 1);
    const json during = body_json(s.get("/debug/memory"));
    EXPECT_GE(during.at("allocated_bytes").get<std::uint64_t>(), before + (64u << 20) - (1u << 20));
    EXPECT_EQ(big[12345], 1);
  }
  const json after = body_json(s.get("/debug/memory"));
  EXPECT_LT(after.at("allocated_bytes").get<std::uint64_t>(), before + (32u << 20));
  EXPECT_GE(after.at("allocated_peak_bytes").get<std::uint64_t>(), before + (63u << 20));
}

TEST(DebugEndpoints, CpuReportsASampledInterval) {
  ServiceConfig c = relaxed_config();
  c.diagnostics.sample_interval_seconds = 0.05;
  TestService s(c);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const json cpu = body_json(s.get("/debug/cpu"));
  EXPECT_GT(cpu.at("interval_seconds").get<double>(), 0.02);
  EXPECT_GE(cpu.at("cores").get<unsigned>(), 1u);
  EXPECT_GE(cpu.at("process_percent").get<double>(), 0);
  EXPECT_LE(cpu.at("process_percent").get<double>(), 100.0 + 1e-9);
  EXPECT_GE(cpu.at("system_percent").get<double>(), 0);
  EXPECT_LE(cpu.at("system_percent").get<double>(), 100.0 + 1e-9);
}

TEST(DebugEndpoints, ProfileCountsEngineCallsPerOperation) {
  TestService s(relaxed_config());
  for (int i = 0; i < 3; ++i) s.post("/v1/sleep", R"({"ms": 20, "id": 1})");
  s.post("/v1/echo", "{}");
  const json p = body_json(s.get("/debug/profile"));
  EXPECT_EQ(p.at("window_seconds"), 60);
  std::map<std::string, json> by_op;
  for (const auto& op : p.at("operations")) by_op[op.at("operation")] = op;
  ASSERT_TRUE(by_op.count("sleep"));
  ASSERT_TRUE(by_op.count("echo"));
  const json& sleep = by_op["sleep"];
  EXPECT_EQ(sleep.at("since_start").at("count"), 3);
  EXPECT_EQ(sleep.at("window").at("count"), 3);
  EXPECT_GE(sleep.at("window").at("min_ms").get<double>(), 20.0);
  EXPECT_LT(sleep.at("window").at("min_ms").get<double>(), 1000.0);
  EXPECT_EQ(by_op["echo"].at("window").at("count"), 1);
}

TEST(DebugEndpoints, HealthPassesWithRoomyThresholds) {
  TestService s(relaxed_config());
  const auto r = s.get("/debug/health");
  const json h = body_json(r);
  EXPECT_EQ(r.result_int(), 200u) << h.dump(2);
  EXPECT_EQ(h.at("status"), "healthy");
  EXPECT_EQ(h.at("checks").size(), 5u);
  EXPECT_TRUE(check(h, "self_test").at("ok").get<bool>());
  EXPECT_GT(check(h, "memory").at("value").get<double>(), 0);
  EXPECT_GT(check(h, "fds").at("value").get<double>(), 0);
}

TEST(DebugEndpoints, HealthFailsWhenAThresholdIsBelowTheCurrentValue) {
  ServiceConfig c = relaxed_config();
  c.diagnostics.memory_limit_bytes = 1u << 20;  // any process has more resident than 1 MiB
  c.diagnostics.fd_max_percent = 0;             // and at least one open descriptor
  TestService s(c);
  const auto r = s.get("/debug/health");
  EXPECT_EQ(r.result_int(), 503u);
  const json h = body_json(r);
  EXPECT_EQ(h.at("status"), "unhealthy");
  const json& memory = check(h, "memory");
  EXPECT_FALSE(memory.at("ok").get<bool>());
  EXPECT_GT(memory.at("value").get<double>(), memory.at("threshold").get<double>());
  EXPECT_DOUBLE_EQ(memory.at("threshold").get<double>(), 1 << 20);
  EXPECT_FALSE(check(h, "fds").at("ok").get<bool>());
  EXPECT_TRUE(check(h, "self_test").at("ok").get<bool>());
  // The result shows in the metrics too.
  const std::string metrics = s.get("/metrics").body();
  EXPECT_NE(metrics.find("kzgd_health_check_ok{check=\"memory\"} 0"), std::string::npos);
  EXPECT_NE(metrics.find("kzgd_health_check_ok{check=\"self_test\"} 1"), std::string::npos);
}

TEST(DebugEndpoints, HealthFailsWhenTheSelfTestFails) {
  TestService s(relaxed_config());
  s.backend().set_self_test_broken(true);
  const auto r = s.get("/debug/health");
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_FALSE(check(body_json(r), "self_test").at("ok").get<bool>());
}

TEST(DebugEndpoints, UnknownDebugPathIs404AndPostIs405) {
  TestService s(relaxed_config());
  EXPECT_TRUE(is_error(s.get("/debug/nothing"), 404, "not_found", "path"));
  EXPECT_EQ(s.post("/debug/health", "").result_int(), 405u);
}

TEST(DebugEndpoints, MetricsIncludeTheDiagnosticsAndPassPromtool) {
  TestService s(relaxed_config());
  s.post("/v1/echo", "{}");
  s.get("/debug/health");
  const std::string text = s.get("/metrics").body();
  for (const char* name :
       {"kzgd_memory_allocated_bytes ", "kzgd_memory_allocated_peak_bytes ", "kzgd_cpu_process_ratio ",
        "kzgd_cpu_system_ratio ", "kzgd_operation_latency_seconds_count{operation=\"echo\",window=\"start\"} 1",
        "kzgd_operation_latency_seconds{operation=\"echo\",window=\"60s\",quantile=\"0.99\"}",
        "kzgd_tracing_spans_dropped_total 0"})
    EXPECT_NE(text.find(name), std::string::npos) << name;
  if (const auto check = promtool_check_metrics(text)) {
    EXPECT_EQ(check->exit_code, 0) << check->output;
  }
}

TEST(DebugEndpoints, TracingReportsDisabledWithoutAnEndpoint) {
  TestService s(relaxed_config());
  EXPECT_EQ(body_json(s.get("/debug/tracing")), (json{{"enabled", false}}));
}

}  // namespace
}  // namespace kzgd
