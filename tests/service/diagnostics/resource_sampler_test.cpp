#include "service/diagnostics/resource_sampler.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace std::chrono_literals;

TEST(ProcessUsage, CpuUsageBetweenTwoSamples) {
  // 2 s apart at 100 ticks/s: 300 process ticks = 1.5 cores; 4 cores -> 37.5%; machine busy 600 of 800 ticks.
  const CpuTicks a{1000, 5000, 20000};
  const CpuTicks b{1300, 5600, 20800};
  const CpuUsage u = cpu_usage_between(a, b, 2.0, 100, 4);
  EXPECT_DOUBLE_EQ(u.process_cores, 1.5);
  EXPECT_DOUBLE_EQ(u.process_ratio, 0.375);
  EXPECT_DOUBLE_EQ(u.system_ratio, 0.75);
  // No time or counters going backwards: zeros, not nonsense.
  const CpuUsage none = cpu_usage_between(b, a, 2.0, 100, 4);
  EXPECT_EQ(none.process_cores, 0);
  EXPECT_EQ(none.system_ratio, 0);
}

TEST(ProcessUsage, ReadsThisProcess) {
  const auto ticks = read_cpu_ticks();
  ASSERT_TRUE(ticks);
  EXPECT_GE(ticks->system_total, ticks->system_busy);
  const MemoryUsage m = read_memory_usage();
  EXPECT_GT(m.allocated_bytes, 0u);
  EXPECT_GT(m.resident_bytes, 0u);
  EXPECT_GE(m.resident_peak_bytes, m.resident_bytes);
  const FdUsage fds = read_fd_usage();
  EXPECT_GE(fds.open, 3u);  // at least stdin, stdout, stderr
  EXPECT_GT(fds.limit, fds.open);
  EXPECT_TRUE(read_disk_space("."));
  EXPECT_FALSE(read_disk_space("/nonexistent/directory/for/the/test"));
}

TEST(ResourceSampler, WarnsOnceWhenResidentMemoryIsOverTheThreshold) {
  auto sink = std::make_shared<testing::MemorySink>();
  Logger logger(LogLevel::info, LogFormat::json, sink);
  {
    ResourceSampler sampler(10ms, 1u << 20, &logger);  // every process is over 1 MiB resident
    sampler.sample();
    sampler.sample();
    std::this_thread::sleep_for(50ms);
    const ResourceSample s = sampler.latest();
    EXPECT_GT(s.memory.resident_bytes, 1u << 20);
    EXPECT_GE(s.allocated_peak_bytes, s.memory.allocated_bytes);
  }
  const std::string text = sink->text();
  const auto first = text.find("memory over its warning threshold");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_EQ(text.find("memory over its warning threshold", first + 1), std::string::npos) << "warned twice: " << text;
  EXPECT_NE(text.find("\"threshold_bytes\":1048576"), std::string::npos) << text;
  EXPECT_NE(text.find("diagnostics.memory_warn_bytes"), std::string::npos) << text;
}

TEST(ResourceSampler, NoWarningUnderTheThresholdAndThePeakFollowsAllocations) {
  auto sink = std::make_shared<testing::MemorySink>();
  Logger logger(LogLevel::info, LogFormat::json, sink);
  ResourceSampler sampler(1s, 1ull << 50, &logger);
  const auto before = sampler.latest().allocated_peak_bytes;
  {
    std::vector<char> big(32u << 20, 1);
    sampler.sample();
    EXPECT_EQ(big[100], 1);
  }
  sampler.sample();
  const ResourceSample s = sampler.latest();
  EXPECT_GE(s.allocated_peak_bytes, before + (31u << 20));
  EXPECT_LT(s.memory.allocated_bytes, s.allocated_peak_bytes - (16u << 20));
  EXPECT_EQ(sink->text().find("memory over"), std::string::npos);
}

}  // namespace
}  // namespace kzgd
