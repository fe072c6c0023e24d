#include "service/diagnostics/diagnostics_options.hpp"

#include <sys/stat.h>

namespace kzgd {
namespace {

using D = DiagnosticsOptions;

// A memory threshold: "auto" (the default value, derived from the cgroup after loading) or a byte count from 1 MiB.
void auto_bytes(config::Section<D>& s, const char* name, std::uint64_t D::*value, bool D::*automatic) {
  const std::uint64_t fallback = D{}.*value;
  s.custom(
      name,
      [=](D& d, std::string_view text) -> std::optional<std::string> {
        if (trim(text) == "auto") {
          d.*value = fallback;
          d.*automatic = true;
          return std::nullopt;
        }
        const auto bytes = config::parse_byte_count(text, 1u << 20, 1ull << 50);
        if (!bytes) return bytes.error() + " or auto (derived from the cgroup's memory limit)";
        d.*value = *bytes;
        d.*automatic = false;
        return std::nullopt;
      },
      [=](const D& d) { return std::to_string(d.*value); });
}

}  // namespace

void DiagnosticsOptions::declare(config::Section<D>& s) {
  s.seconds("sample_interval_seconds", &D::sample_interval_seconds, 0.05, 60);
  s.integer("profile_window_seconds", &D::profile_window_seconds, 1, 86400);
  auto_bytes(s, "memory_warn_bytes", &D::memory_warn_bytes, &D::memory_warn_auto);
  auto_bytes(s, "memory_limit_bytes", &D::memory_limit_bytes, &D::memory_limit_auto);
  s.number("cpu_max_percent", &D::cpu_max_percent, 0, 100, "a percentage");
  s.custom(
      "disk_path",
      [](D& d, std::string_view text) -> std::optional<std::string> {
        const std::string path(trim(text));
        struct stat st {};
        if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
          return "expected an existing directory (where the logs go), got " + config::quoted(text);
        d.disk_path = path;
        return std::nullopt;
      },
      [](const D& d) { return d.disk_path; });
  s.bytes("disk_min_free_bytes", &D::disk_min_free_bytes, 0, 1ull << 50);
  s.number("fd_max_percent", &D::fd_max_percent, 0, 100, "a percentage");
  s.number("health_interval_seconds", &D::health_interval_seconds, 0, 86400, "a number of seconds (0: off)");
}

void DiagnosticsOptions::resolve_memory_thresholds(std::optional<std::uint64_t> cgroup_limit) {
  cgroup_memory_max = cgroup_limit.value_or(0);
  if (!cgroup_limit) return;
  const auto share = [&](double s) { return static_cast<std::uint64_t>(static_cast<double>(*cgroup_limit) * s); };
  if (memory_warn_auto) memory_warn_bytes = share(kMemoryWarnShareOfCgroup);
  if (memory_limit_auto) memory_limit_bytes = share(kMemoryLimitShareOfCgroup);
}

}  // namespace kzgd
