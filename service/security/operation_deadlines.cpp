#include "security/operation_deadlines.hpp"

#include <charconv>
#include <cmath>

#include "catalogue/operation_catalogue.hpp"
#include "util/text.hpp"

namespace kzgd {
namespace {

constexpr double kMaxSeconds = 3600;

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

}  // namespace

OperationDeadlines::OperationDeadlines() {
  for (const OperationEntry& op : operation_catalogue()) seconds_[std::string(op.name)] = op.deadline_seconds;
  seconds_[std::string(kBatchOperation)] = kBatchDeadlineSeconds;
}

kzg::Result<OperationDeadlines> OperationDeadlines::with_overrides(std::string_view list) {
  OperationDeadlines deadlines;
  std::map<std::string, double, std::less<>> explicit_values;
  std::optional<double> new_default;
  for (const std::string_view item : split_list(list)) {
    const auto eq = item.find('=');
    const std::string name(trim(item.substr(0, eq == std::string_view::npos ? 0 : eq)));
    const auto value = eq == std::string_view::npos ? std::nullopt : parse_number(trim(item.substr(eq + 1)));
    if (!value || !(*value > 0) || *value > kMaxSeconds)
      return kzg::make_error("invalid_config",
                             "expected OPERATION=SECONDS with SECONDS more than 0 and at most 3600 (e.g. "
                             "verify_kzg_proof=2), got \"" +
                                 std::string(item) + "\"",
                             "limits.deadlines");
    if (name == "default") {
      new_default = *value;
    } else if (deadlines.seconds_.contains(name)) {
      explicit_values[name] = *value;
    } else {
      std::string known = "default";
      for (const auto& [op, s] : deadlines.seconds_) known += ", " + op;
      return kzg::make_error("invalid_config", "unknown operation \"" + name + "\"; the operations are " + known,
                             "limits.deadlines");
    }
  }
  // A new default applies to every operation the list does not name, the batch ones included.
  if (new_default) {
    deadlines.default_ = *new_default;
    for (auto& [op, s] : deadlines.seconds_) s = *new_default;
  }
  for (const auto& [op, s] : explicit_values) deadlines.seconds_[op] = s;
  return deadlines;
}

double OperationDeadlines::seconds(std::string_view operation) const {
  const auto it = seconds_.find(operation);
  return it == seconds_.end() ? default_ : it->second;
}

kzg::Result<double> parse_request_timeout(std::string_view text) {
  text = trim(text);
  double scale = 1;
  if (text.ends_with("ms")) {
    scale = 0.001;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
  }
  const auto value = parse_number(text);
  if (!value || !(*value > 0) || *value * scale > kMaxSeconds)
    return kzg::make_error("invalid_input",
                           "X-Request-Timeout must be a time more than 0 and at most 3600 s: seconds (\"2.5\", "
                           "\"2.5s\") or milliseconds (\"500ms\")",
                           "X-Request-Timeout");
  return *value * scale;
}

}  // namespace kzgd
