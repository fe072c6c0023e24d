#include "service/security/permissions.hpp"

#include <array>

#include "service/catalogue/operation_catalogue.hpp"
#include "service/util/text.hpp"

namespace kzgd {
namespace {

constexpr std::array<std::pair<std::string_view, Permission>, 6> kNames{{{"commit", Permission::commit},
                                                                         {"prove", Permission::prove},
                                                                         {"verify", Permission::verify},
                                                                         {"cells", Permission::cells},
                                                                         {"batch", Permission::batch},
                                                                         {"admin", Permission::admin}}};

}  // namespace

std::string_view to_string(Permission p) {
  for (const auto& [name, value] : kNames)
    if (value == p) return name;
  return "admin";
}

std::optional<Permission> parse_permission(std::string_view name) {
  for (const auto& [n, value] : kNames)
    if (n == name) return value;
  return std::nullopt;
}

kzg::Result<PermissionSet> parse_permissions(std::string_view list) {
  PermissionSet set;
  auto items = split_list(list);
  // No permission at all, or a dangling comma, is refused like an unknown one.
  if (items.empty() || trim(list).ends_with(',')) items.emplace_back();
  for (const std::string_view item : items) {
    const auto p = parse_permission(item);
    if (!p)
      return kzg::make_error(kzg::ErrorCode::invalid_permission,
                             "unknown permission \"" + std::string(item) +
                                 "\"; expected a comma-separated list of commit, prove, verify, cells, batch, admin",
                             "permissions");
    set.add(*p);
  }
  return set;
}

std::string to_string(const PermissionSet& set) {
  std::string s;
  for (const auto& [name, value] : kNames)
    if (set.has(value)) {
      if (!s.empty()) s += ',';
      s += name;
    }
  return s;
}

Permission operation_permission(std::string_view op) {
  const OperationEntry* entry = find_operation_entry(op);
  return entry ? entry->permission : Permission::admin;  // an unknown name fails closed
}

std::optional<Permission> path_permission(std::string_view path, bool metrics_open) {
  if (path == "/health" || path == "/ready" || path == "/openapi.json") return std::nullopt;
  if (path == "/metrics") return metrics_open ? std::nullopt : std::optional(Permission::admin);
  if (path == "/v1/batch") return Permission::batch;
  constexpr std::string_view v1 = "/v1/";
  if (path.starts_with(v1)) return operation_permission(path.substr(v1.size()));
  return Permission::admin;  // /debug, /debug/* and any other path
}

}  // namespace kzgd
