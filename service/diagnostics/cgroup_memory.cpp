#include "service/diagnostics/cgroup_memory.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace kzgd {
namespace {

// v1 writes a page-rounded 2^63 - 1 for "no limit"; anything this large is no limit.
constexpr std::uint64_t kUnlimited = std::uint64_t{1} << 62;

std::optional<std::uint64_t> read_limit(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0 || v >= kUnlimited)
    return std::nullopt;  // "max", garbage, or unlimited
  return v;
}

// The smallest limit named `file` in `dir` and each of its parents up to `root`.
std::optional<std::uint64_t> smallest_up_to_root(const std::filesystem::path& root, const std::string& group,
                                                 const std::string& file) {
  std::optional<std::uint64_t> smallest;
  std::filesystem::path relative = std::filesystem::path(group).relative_path();
  while (true) {
    if (const auto v = read_limit(root / relative / file)) smallest = smallest ? std::min(*smallest, *v) : *v;
    if (relative.empty()) break;
    relative = relative.parent_path();
  }
  return smallest;
}

}  // namespace

std::optional<std::uint64_t> cgroup_memory_max(const std::string& proc_self_cgroup, const std::string& cgroup_root) {
  std::ifstream in(proc_self_cgroup);
  if (!in) return std::nullopt;
  const std::filesystem::path root(cgroup_root);
  std::optional<std::uint64_t> result;
  std::string line;
  while (std::getline(in, line)) {
    // "ID:CONTROLLERS:PATH"; the path may itself hold ':'.
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? std::string::npos : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string id = line.substr(0, first);
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string group = line.substr(second + 1);
    std::optional<std::uint64_t> v;
    if (id == "0" && controllers.empty()) {
      v = smallest_up_to_root(root, group, "memory.max");  // v2 (unified)
    } else {
      std::stringstream names(controllers);
      std::string name;
      bool memory = false;
      while (std::getline(names, name, ',')) memory = memory || name == "memory";
      if (memory) v = smallest_up_to_root(root / "memory", group, "memory.limit_in_bytes");  // v1
    }
    if (v) result = result ? std::min(*result, *v) : *v;
  }
  return result;
}

}  // namespace kzgd
