// OperationCosts: how many rate-limit tokens a request takes, in proportion to the work it asks for: the
// operation catalogue's costs (catalogue/operation_catalogue.hpp), which rate_limit.costs overrides
// ("compute_cells_and_kzg_proofs=150, verify_kzg_proof=1"). The overload manager reads the same costs as
// estimated CPU time (one token ~ 1 ms on one core).
//
// The two batch verifications cost per item (per blob, per cell): their JSON bodies grow with the item count,
// so a single request's item count is bounded from above by its body size, which is known before the body is
// parsed. Inside POST /v1/batch the items' input arrays are counted instead.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"

namespace kzgd {

class OperationCosts {
 public:
  OperationCosts();  // the catalogue's

  // Defaults overridden by "op=COST, ..." (COST a positive number; op a known operation or "default", the
  // cost of operations not in the table). Error field "rate_limit.costs".
  static kzg::Result<OperationCosts> with_overrides(std::string_view list);

  // The cost of one item (for batch verifications) or one call (for everything else).
  double unit_cost(std::string_view operation) const;
  // Whether an operation's cost is per item.
  static bool per_item(std::string_view operation);

  // POST /v1/<operation> with a body of body_bytes.
  double request_cost(std::string_view operation, std::size_t body_bytes) const;
  // One item of POST /v1/batch: {"op": ..., "input": {...}} (malformed items cost nothing: they fail unrun).
  double batch_item_cost(const nlohmann::json& item) const;

  // Every entry, for the documentation and --check-config style listings.
  const std::map<std::string, double, std::less<>>& table() const { return costs_; }
  double default_cost() const { return default_; }

 private:
  std::map<std::string, double, std::less<>> costs_;
  double default_ = 1;
};

}  // namespace kzgd
