// The memory limit the kernel enforces on this process's control group: cgroup v2's memory.max, or cgroup v1's
// memory.limit_in_bytes, taking the smallest limit on the path from the group up to the hierarchy's root (a
// parent's limit binds its children). In a container this is the container's memory limit; on a host without
// one there is none.
//
// kzgd derives its default memory thresholds from it (ServiceConfig::Diagnostics), so the memory health check
// and the warning fire before the kernel's OOM kill does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kzgd {

// The limit in bytes, or nullopt when no finite limit applies (or the files cannot be read). The paths are
// parameters so tests can point them at a fake hierarchy.
std::optional<std::uint64_t> cgroup_memory_max(const std::string& proc_self_cgroup = "/proc/self/cgroup",
                                               const std::string& cgroup_root = "/sys/fs/cgroup");

}  // namespace kzgd
