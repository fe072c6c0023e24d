#include "service/diagnostics/process_usage.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace kzgd {
namespace {

// The one /proc/self/stat reader, shared by /debug/cpu and the process_* metrics.
TEST(ProcessUsage, ReadsThisProcesssStat) {
  const auto stat = read_process_stat();
  ASSERT_TRUE(stat.has_value());
  EXPECT_GT(stat->resident_pages, 0u);
  EXPECT_GE(stat->virtual_bytes, stat->resident_pages * 4096);
  EXPECT_GT(stat->start_ticks, 0u);
  const auto boot = boot_time_seconds();
  ASSERT_TRUE(boot.has_value());
  EXPECT_GT(*boot, 1.5e9);
  EXPECT_LT(*boot, static_cast<double>(std::time(nullptr)));
}

TEST(ProcessUsage, CpuTicksGrowWithWork) {
  const auto before = read_cpu_ticks();
  ASSERT_TRUE(before.has_value());
  volatile double sink = 0;
  const std::clock_t start = std::clock();
  while (std::clock() - start < CLOCKS_PER_SEC / 10) sink = sink + 1;  // 0.1 s of CPU
  const auto after = read_cpu_ticks();
  ASSERT_TRUE(after.has_value());
  EXPECT_GT(after->process, before->process);
  EXPECT_GE(after->system_total, after->system_busy);
}

}  // namespace
}  // namespace kzgd
