// Permissions: what an API key may do, by operation class (catalogue/operation_catalogue.hpp gives each
// operation its class).
//
//   commit   blob_to_kzg_commitment
//   prove    compute_kzg_proof, compute_blob_kzg_proof (compute_* with "proof" outside the cells family)
//   verify   verify_* (every verification, batch verifications included), compute_*challenge
//   cells    compute_cells*, recover_* (EIP-7594 cells and their proofs)
//   batch    POST /v1/batch (each item also needs its own class)
//   admin    /debug/* and anything not classified above (unknown operations fail closed), /metrics when
//            auth.open_metrics is false
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"

namespace kzgd {

enum class Permission : std::uint8_t { commit, prove, verify, cells, batch, admin };

// A set of permissions, one bit each.
class PermissionSet {
 public:
  PermissionSet() = default;
  void add(Permission p) { bits_ |= bit(p); }
  bool has(Permission p) const { return (bits_ & bit(p)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool operator==(const PermissionSet&) const = default;

 private:
  static std::uint8_t bit(Permission p) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(p)); }
  std::uint8_t bits_ = 0;
};

std::string_view to_string(Permission p);
std::optional<Permission> parse_permission(std::string_view name);
// "commit,prove, verify" (commas, optional spaces). Error field "permissions" names the bad item.
kzg::Result<PermissionSet> parse_permissions(std::string_view list);
// "commit,prove" in the canonical order.
std::string to_string(const PermissionSet& set);

// The permission a spec function needs (the operation catalogue's); admin for a name it does not list.
Permission operation_permission(std::string_view operation);

// What a path needs, for the paths outside /v1/<operation>: nullopt when it is open to all.
// /health and /ready are open; /metrics is open when metrics_open; /v1/batch needs batch; /debug and
// everything under /debug/ need admin.
std::optional<Permission> path_permission(std::string_view path, bool metrics_open);

}  // namespace kzgd
