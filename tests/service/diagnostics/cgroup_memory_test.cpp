// The cgroup memory limit, read from fake v1 and v2 hierarchies written to a temporary directory.
#include "service/diagnostics/cgroup_memory.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/service/support/test_certificates.hpp"  // TempDir

namespace kzgd {
namespace {

using kzgd::testing::TempDir;

void put(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

TEST(CgroupMemory, V2ReadsMemoryMaxOfTheProcesssGroup) {
  TempDir d;
  put(d.path() / "proc-cgroup", "0::/kubepods/pod1/container\n");
  put(d.path() / "root/kubepods/pod1/container/memory.max", "1073741824\n");
  EXPECT_EQ(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()), 1073741824u);
}

TEST(CgroupMemory, V2TakesTheSmallestLimitUpTheHierarchy) {
  TempDir d;
  put(d.path() / "proc-cgroup", "0::/a/b\n");
  put(d.path() / "root/a/b/memory.max", "max\n");
  put(d.path() / "root/a/memory.max", "536870912\n");
  put(d.path() / "root/memory.max", "1073741824\n");
  EXPECT_EQ(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()), 536870912u);
}

TEST(CgroupMemory, V2InAContainerNamespaceReadsTheRoot) {
  TempDir d;
  put(d.path() / "proc-cgroup", "0::/\n");
  put(d.path() / "root/memory.max", "805306368\n");
  EXPECT_EQ(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()), 805306368u);
}

TEST(CgroupMemory, NoLimitIsNone) {
  TempDir d;
  put(d.path() / "proc-cgroup", "0::/user.slice\n");
  put(d.path() / "root/user.slice/memory.max", "max\n");
  EXPECT_FALSE(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()));
  // v1's "unlimited" is 2^63 rounded down to a page.
  put(d.path() / "proc-cgroup-v1", "4:memory:/x\n");
  put(d.path() / "root/memory/x/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_FALSE(cgroup_memory_max((d.path() / "proc-cgroup-v1").string(), (d.path() / "root").string()));
}

TEST(CgroupMemory, V1ReadsTheMemoryControllersLimit) {
  TempDir d;
  put(d.path() / "proc-cgroup", "9:name=systemd:/\n5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n");
  put(d.path() / "root/memory/docker/abc/memory.limit_in_bytes", "268435456\n");
  put(d.path() / "root/memory/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_EQ(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()), 268435456u);
}

TEST(CgroupMemory, GarbageAndMissingFilesAreNone) {
  TempDir d;
  EXPECT_FALSE(cgroup_memory_max((d.path() / "absent").string(), (d.path() / "root").string()));
  put(d.path() / "proc-cgroup", "not a cgroup line\n0::/g\n");
  put(d.path() / "root/g/memory.max", "12abc\n");
  EXPECT_FALSE(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()));
  put(d.path() / "root/g/memory.max", "0\n");
  EXPECT_FALSE(cgroup_memory_max((d.path() / "proc-cgroup").string(), (d.path() / "root").string()));
}

}  // namespace
}  // namespace kzgd
