// What the process uses, read from glibc and /proc (Linux):
//   memory  heap bytes allocated now (glibc mallinfo2: in-use chunks plus mmap'ed blocks; the sanitizer's count
//           in AddressSanitizer builds), resident set
//           (/proc/self/statm) and its peak (VmHWM in /proc/self/status)
//   CPU     cumulative CPU ticks of the process (/proc/self/stat utime + stime) and of the whole machine
//           (/proc/stat "cpu" line: busy and total), turned into usage ratios between two samples
//   process /proc/self/stat (CPU times, start time, sizes) and the boot time, also read by the process_* metrics
//   limits  open file descriptors and RLIMIT_NOFILE; free bytes of a file system (statvfs)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kzgd {

struct MemoryUsage {
  std::uint64_t allocated_bytes = 0;
  std::uint64_t resident_bytes = 0;
  std::uint64_t resident_peak_bytes = 0;
};
MemoryUsage read_memory_usage();

// /proc/self/stat, the fields kzgd reads (proc(5)); times in clock ticks (sysconf(_SC_CLK_TCK)).
struct ProcessStat {
  std::uint64_t user_ticks = 0;    // utime
  std::uint64_t system_ticks = 0;  // stime
  std::uint64_t start_ticks = 0;   // starttime: since boot
  std::uint64_t virtual_bytes = 0;
  std::uint64_t resident_pages = 0;
};
std::optional<ProcessStat> read_process_stat();
// The boot time ("btime" in /proc/stat), seconds since the epoch.
std::optional<double> boot_time_seconds();

struct CpuTicks {
  std::uint64_t process = 0;       // utime + stime of this process
  std::uint64_t system_busy = 0;   // every CPU, all but idle and iowait
  std::uint64_t system_total = 0;  // every CPU, all states
};
std::optional<CpuTicks> read_cpu_ticks();

// Usage between two samples, as fractions: process of one core (2.0 = two cores busy), of all cores, and the
// machine's busy fraction.
struct CpuUsage {
  double process_cores = 0;
  double process_ratio = 0;  // of all cores
  double system_ratio = 0;
};
// ticks_per_second: sysconf(_SC_CLK_TCK); cores: the CPUs counted in /proc/stat.
CpuUsage cpu_usage_between(const CpuTicks& earlier, const CpuTicks& later, double elapsed_seconds,
                           double ticks_per_second, unsigned cores);
unsigned online_cpus();

struct FdUsage {
  std::uint64_t open = 0;
  std::uint64_t limit = 0;  // RLIMIT_NOFILE soft limit
};
FdUsage read_fd_usage();

struct DiskSpace {
  std::uint64_t free_bytes = 0;  // available to unprivileged users
  std::uint64_t total_bytes = 0;
};
std::optional<DiskSpace> read_disk_space(const std::string& path);

}  // namespace kzgd
