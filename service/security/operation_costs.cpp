#include "security/operation_costs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "catalogue/operation_catalogue.hpp"
#include "util/text.hpp"

namespace kzgd {
OperationCosts::OperationCosts() {
  for (const OperationEntry& op : operation_catalogue()) costs_.emplace(std::string(op.name), op.cost);
}

kzg::Result<OperationCosts> OperationCosts::with_overrides(std::string_view list) {
  OperationCosts costs;
  for (const std::string_view item : split_list(list)) {
    const auto eq = item.find('=');
    const std::string name(trim(item.substr(0, eq == std::string_view::npos ? 0 : eq)));
    double value = 0;
    const std::string_view number = eq == std::string_view::npos ? std::string_view() : trim(item.substr(eq + 1));
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (eq == std::string_view::npos || number.empty() || ec != std::errc() || end != number.data() + number.size() ||
        !(value > 0) || !std::isfinite(value))
      return kzg::make_error("invalid_config",
                             "expected OPERATION=COST with a positive COST (e.g. compute_cells_and_kzg_proofs=150), "
                             "got \"" +
                                 std::string(item) + "\"",
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
  }
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
  return std::max(1.0, unit * static_cast<double>(body_bytes / entry->item_json_bytes));
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
