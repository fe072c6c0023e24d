#include "service/diagnostics/resource_sampler.hpp"

#include <unistd.h>

#include <algorithm>

namespace kzgd {

ResourceSampler::ResourceSampler(std::chrono::milliseconds interval, std::uint64_t memory_warn_bytes, Logger* logger)
    : interval_(interval),
      memory_warn_bytes_(memory_warn_bytes),
      logger_(logger),
      ticks_per_second_(static_cast<double>(sysconf(_SC_CLK_TCK))) {
  sample();
  thread_ = std::thread([this] { run(); });
}

ResourceSampler::~ResourceSampler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

ResourceSample ResourceSampler::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void ResourceSampler::sample() {
  const MemoryUsage memory = read_memory_usage();
  const auto ticks = read_cpu_ticks();
  const auto now = std::chrono::steady_clock::now();
  bool warn = false;
  ResourceSample s;
  {
    std::lock_guard lock(mutex_);
    s = latest_;
    s.memory = memory;
    s.allocated_peak_bytes = std::max(s.allocated_peak_bytes, memory.allocated_bytes);
    s.cores = online_cpus();
    s.taken = std::chrono::system_clock::now();
    // CPU use is measured over about one interval: an early sample (from /debug/memory, say) leaves it be.
    const double elapsed = std::chrono::duration<double>(now - last_ticks_at_).count();
    const bool cpu_due = !last_ticks_ || elapsed >= 0.5 * std::chrono::duration<double>(interval_).count();
    if (ticks && last_ticks_ && cpu_due) {
      s.cpu = cpu_usage_between(*last_ticks_, *ticks, elapsed, ticks_per_second_, s.cores);
      s.cpu_interval_seconds = elapsed;
    }
    if (ticks && cpu_due) {
      last_ticks_ = ticks;
      last_ticks_at_ = now;
    }
    const bool over = memory_warn_bytes_ > 0 && memory.resident_bytes > memory_warn_bytes_;
    warn = over && !over_warning_;
    over_warning_ = over;
    latest_ = s;
  }
  if (warn && logger_)
    logger_->warn("memory over its warning threshold", {{"resident_bytes", memory.resident_bytes},
                                                        {"allocated_bytes", memory.allocated_bytes},
                                                        {"threshold_bytes", memory_warn_bytes_},
                                                        {"key", "diagnostics.memory_warn_bytes"}});
}

void ResourceSampler::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    sample();
    lock.lock();
  }
}

}  // namespace kzgd
