#include "service/security/operation_costs.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "service/catalogue/operation_catalogue.hpp"
#include "service/util/named_numbers.hpp"

namespace kzgd {
OperationCosts::OperationCosts() {
  for (const OperationEntry& op : operation_catalogue()) costs_.emplace(std::string(op.name), op.cost);
}

kzg::Result<OperationCosts> OperationCosts::with_overrides(std::string_view list) {
  OperationCosts costs;
  auto pairs = parse_named_numbers(
      list, costs.costs_, "OPERATION=COST with a positive COST (e.g. compute_cells_and_kzg_proofs=150)",
      [](double v) { return v > 0; }, "rate_limit.costs");
  if (!pairs) return pairs.error();
  for (const auto& [name, value] : *pairs) (name == "default" ? costs.default_ : costs.costs_[name]) = value;
  return costs;
}

bool OperationCosts::per_item(std::string_view op) {
  const OperationEntry* entry = find_operation_entry(op);
  return entry != nullptr && !entry->items.empty();
}

double OperationCosts::unit_cost(std::string_view op) const {
  const auto it = costs_.find(op);
  return it == costs_.end() ? default_ : it->second;
}

double OperationCosts::request_cost(std::string_view op, std::size_t body_bytes) const {
  const double unit = unit_cost(op);
  const OperationEntry* entry = find_operation_entry(op);
  if (entry == nullptr || entry->items.empty()) return unit;
  // Whole items only: a partial item's bytes are JSON punctuation, not work.
  const std::size_t items = body_bytes / entry->item_json_bytes;
  return std::max(1.0, unit * static_cast<double>(items));
}

double OperationCosts::batch_item_cost(const nlohmann::json& item) const {
  if (!item.is_object()) return 0;
  const auto op = item.find("op");
  if (op == item.end() || !op->is_string()) return 0;
  const auto& name = op->get_ref<const std::string&>();
  const double unit = unit_cost(name);
  const OperationEntry* entry = find_operation_entry(name);
  if (entry == nullptr || entry->items.empty()) return unit;
  const auto input = item.find("input");
  std::size_t n = 0;
  if (input != item.end() && input->is_object()) {
    const auto items = input->find(entry->items);
    if (items != input->end() && items->is_array()) n = items->size();
  }
  return std::max(1.0, unit * static_cast<double>(n));
}

}  // namespace kzgd
