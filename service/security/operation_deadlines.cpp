#include "service/security/operation_deadlines.hpp"

#include "service/catalogue/operation_catalogue.hpp"
#include "service/util/named_numbers.hpp"

namespace kzgd {
namespace {

constexpr double kMaxSeconds = 3600;

}  // namespace

OperationDeadlines::OperationDeadlines() {
  for (const OperationEntry& op : operation_catalogue()) seconds_[std::string(op.name)] = op.deadline_seconds;
  seconds_[std::string(kBatchOperation)] = kBatchDeadlineSeconds;
}

kzg::Result<OperationDeadlines> OperationDeadlines::with_overrides(std::string_view list) {
  OperationDeadlines deadlines;
  const auto pairs = parse_named_numbers(
      list, deadlines.seconds_, "OPERATION=SECONDS with SECONDS more than 0 and at most 3600 (e.g. verify_kzg_proof=2)",
      [](double v) { return v > 0 && v <= kMaxSeconds; }, "limits.deadlines");
  if (!pairs) return pairs.error();
  // A new default applies to every operation the list does not name, the batch ones included.
  for (const auto& [name, value] : *pairs)
    if (name == "default") {
      deadlines.default_ = value;
      for (auto& [op, s] : deadlines.seconds_) s = value;
    }
  for (const auto& [name, value] : *pairs)
    if (name != "default") deadlines.seconds_[name] = value;
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
  const auto value = parse_finite_number(text);
  if (!value || !(*value > 0) || *value * scale > kMaxSeconds)
    return kzg::make_error(kzg::ErrorCode::invalid_input,
                           "X-Request-Timeout must be a time more than 0 and at most 3600 s: seconds (\"2.5\", "
                           "\"2.5s\") or milliseconds (\"500ms\")",
                           "X-Request-Timeout");
  return *value * scale;
}

}  // namespace kzgd
