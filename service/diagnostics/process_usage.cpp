#include "service/diagnostics/process_usage.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define KZGD_ASAN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KZGD_ASAN_ALLOCATOR 1
#endif
#endif
#ifdef KZGD_ASAN_ALLOCATOR
// From the sanitizer runtime's allocator interface (sanitizer/allocator_interface.h, not always installed).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace kzgd {
namespace {

// Heap bytes in use. Under AddressSanitizer the heap is the sanitizer's, not glibc's, so it is asked instead.
std::uint64_t heap_allocated_bytes() {
#ifdef KZGD_ASAN_ALLOCATOR
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

std::uint64_t status_kib(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(key + ":")) return std::stoull(line.substr(key.size() + 1)) * 1024;
  return 0;
}

}  // namespace

MemoryUsage read_memory_usage() {
  MemoryUsage m;
  m.allocated_bytes = heap_allocated_bytes();
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0, resident_pages = 0;
  if (statm >> size_pages >> resident_pages)
    m.resident_bytes = resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  m.resident_peak_bytes = std::max(status_kib("VmHWM"), m.resident_bytes);
  return m;
}

std::optional<ProcessStat> read_process_stat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // The command name, in parentheses, may hold spaces and parentheses: the fields start after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 > line.size()) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::vector<std::string> f;
  for (std::string x; fields >> x && f.size() < 22;) f.push_back(x);
  // f[0] is field 3 (state): utime is field 14 (f[11]), stime 15, starttime 22, vsize 23, rss 24 (f[21]).
  if (f.size() < 22) return std::nullopt;
  const auto number = [](const std::string& s) -> std::optional<std::uint64_t> {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
  };
  const auto utime = number(f[11]), stime = number(f[12]), start = number(f[19]), vsize = number(f[20]),
             rss = number(f[21]);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return ProcessStat{*utime, *stime, *start, *vsize, *rss};
}

std::optional<double> boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double v = 0;
      if (in >> v) return v;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::optional<CpuTicks> read_cpu_ticks() {
  CpuTicks t;
  const auto stat = read_process_stat();
  if (!stat) return std::nullopt;
  t.process = stat->user_ticks + stat->system_ticks;
  std::ifstream in("/proc/stat");
  std::string cpu;
  if (!(in >> cpu) || cpu != "cpu") return std::nullopt;
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  std::uint64_t v[8] = {};
  for (auto& x : v)
    if (!(in >> x)) return std::nullopt;
  for (auto x : v) t.system_total += x;
  t.system_busy = t.system_total - v[3] - v[4];
  return t;
}

CpuUsage cpu_usage_between(const CpuTicks& a, const CpuTicks& b, double elapsed_seconds, double ticks_per_second,
                           unsigned cores) {
  CpuUsage u;
  if (elapsed_seconds > 0 && ticks_per_second > 0 && b.process >= a.process) {
    u.process_cores = static_cast<double>(b.process - a.process) / ticks_per_second / elapsed_seconds;
    u.process_ratio = u.process_cores / std::max(1u, cores);
  }
  if (b.system_total > a.system_total && b.system_busy >= a.system_busy)
    u.system_ratio =
        static_cast<double>(b.system_busy - a.system_busy) / static_cast<double>(b.system_total - a.system_total);
  return u;
}

unsigned online_cpus() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : std::max(1u, std::thread::hardware_concurrency());
}

FdUsage read_fd_usage() {
  FdUsage u;
  std::error_code ec;
  std::uint64_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::end(it);
       it.increment(ec))
    ++n;
  u.open = n > 0 ? n - 1 : 0;  // the iterator's own descriptor is listed too
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
    u.limit = limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max() : limit.rlim_cur;
  return u;
}

std::optional<DiskSpace> read_disk_space(const std::string& path) {
  struct statvfs s {};
  if (statvfs(path.c_str(), &s) != 0) return std::nullopt;
  return DiskSpace{static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize,
                   static_cast<std::uint64_t>(s.f_blocks) * s.f_frsize};
}

}  // namespace kzgd
