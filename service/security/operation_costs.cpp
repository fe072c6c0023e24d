#include "security/operation_costs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kzgd {
namespace {

// The item sizes that bound a batch verification's item count from its JSON body size.
constexpr std::size_t kBlobHexBytes = 262144;  // 131072 bytes as hex
constexpr std::size_t kCellHexBytes = 4096;    // 2048 bytes as hex

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

// Measured with build/bench/kzg_bench (Release, one core of a 2.6 GHz x86-64): verify_kzg_proof 0.98 ms,
// verify_blob_kzg_proof 1.65, blob_to_kzg_commitment 10.5, compute_kzg_proof 11.6, compute_blob_kzg_proof 12.6,
// verify_blob_kzg_proof_batch 58.2 for 64 blobs, compute_cells 3.4, compute_cells_and_kzg_proofs 104,
// recover_cells_and_kzg_proofs 114 (half the cells missing), verify_cell_kzg_proof_batch 15.9 for 128 cells.
OperationCosts::OperationCosts()
    : costs_{{"blob_to_kzg_commitment", 11},
             {"compute_kzg_proof", 12},
             {"compute_blob_kzg_proof", 13},
             {"verify_kzg_proof", 1},
             {"verify_blob_kzg_proof", 2},
             {"verify_blob_kzg_proof_batch", 1},  // per blob
             {"compute_challenge", 1},
             {"compute_cells", 4},
             {"compute_cells_and_kzg_proofs", 105},
             {"recover_cells", 15},
             {"recover_cells_and_kzg_proofs", 120},
             {"verify_cell_kzg_proof_batch", 0.125},  // per cell
             {"compute_verify_cell_kzg_proof_batch_challenge", 1}} {}

kzg::Result<OperationCosts> OperationCosts::with_overrides(std::string_view list) {
  OperationCosts costs;
  list = trim(list);
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    const auto eq = item.find('=');
    const std::string name(trim(item.substr(0, eq == std::string_view::npos ? 0 : eq)));
    double value = 0;
    const std::string_view number = eq == std::string_view::npos ? std::string_view() : trim(item.substr(eq + 1));
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (eq == std::string_view::npos || number.empty() || ec != std::errc() || end != number.data() + number.size() ||
        !(value > 0) || !std::isfinite(value))
      return kzg::make_error("invalid_config",
                             "expected OPERATION=COST with a positive COST (e.g. compute_cells_and_kzg_proofs=150), "
                             "got \"" + std::string(item) + "\"",
                             "rate_limit.costs");
    if (name == "default") {
      costs.default_ = value;
    } else if (costs.costs_.contains(name)) {
      costs.costs_[name] = value;
    } else {
      std::string known = "default";
      for (const auto& [op, c] : costs.costs_) known += ", " + op;
      return kzg::make_error("invalid_config", "unknown operation \"" + name + "\"; the operations are " + known,
                             "rate_limit.costs");
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return costs;
}

bool OperationCosts::per_item(std::string_view op) {
  return op == "verify_blob_kzg_proof_batch" || op == "verify_cell_kzg_proof_batch";
}

double OperationCosts::unit_cost(std::string_view op) const {
  const auto it = costs_.find(op);
  return it == costs_.end() ? default_ : it->second;
}

double OperationCosts::request_cost(std::string_view op, std::size_t body_bytes) const {
  const double unit = unit_cost(op);
  if (!per_item(op)) return unit;
  const std::size_t item_bytes = op == "verify_blob_kzg_proof_batch" ? kBlobHexBytes : kCellHexBytes;
  return std::max(1.0, unit * static_cast<double>(body_bytes / item_bytes));
}

double OperationCosts::batch_item_cost(const nlohmann::json& item) const {
  if (!item.is_object()) return 0;
  const auto op = item.find("op");
  if (op == item.end() || !op->is_string()) return 0;
  const auto& name = op->get_ref<const std::string&>();
  const double unit = unit_cost(name);
  if (!per_item(name)) return unit;
  const auto input = item.find("input");
  const char* list = name == "verify_blob_kzg_proof_batch" ? "blobs" : "cells";
  std::size_t n = 0;
  if (input != item.end() && input->is_object()) {
    const auto items = input->find(list);
    if (items != input->end() && items->is_array()) n = items->size();
  }
  return std::max(1.0, unit * static_cast<double>(n));
}

}  // namespace kzgd
