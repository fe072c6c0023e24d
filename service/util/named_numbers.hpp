// "NAME=NUMBER, ..." lists of the configuration (rate_limit.costs, limits.deadlines): the names checked against
// a table's, the numbers parsed and checked once, for each caller to apply as its key means.
#pragma once

#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/result.hpp"
#include "service/util/text.hpp"

namespace kzgd {

// A whole finite number (no surrounding text), or nothing.
inline std::optional<double> parse_finite_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

// The pairs of `list`, in order. A name must be "default" or a key of `known`; a number must be finite and pass
// `valid`. Errors name `field`; a bad pair's says what was expected (`expected`, e.g. "OPERATION=COST with a
// positive COST") and quotes the pair.
inline kzg::Result<std::vector<std::pair<std::string, double>>> parse_named_numbers(
    std::string_view list, const std::map<std::string, double, std::less<>>& known, const std::string& expected,
    const std::function<bool(double)>& valid, const std::string& field) {
  std::vector<std::pair<std::string, double>> pairs;
  for (const std::string_view item : split_list(list)) {
    const auto eq = item.find('=');
    const std::string_view number = eq == std::string_view::npos ? std::string_view() : trim(item.substr(eq + 1));
    const auto value = parse_finite_number(number);
    if (!value || !valid(*value))
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "expected " + expected + ", got \"" + std::string(item) + "\"", field);
    std::string name(trim(item.substr(0, eq)));
    if (name != "default" && !known.contains(name)) {
      std::string names = "default";
      for (const auto& [n, v] : known) names += ", " + n;
      return kzg::make_error(kzg::ErrorCode::invalid_config,
                             "unknown operation \"" + name + "\"; the operations are " + std::move(names), field);
    }
    pairs.emplace_back(std::move(name), *value);
  }
  return pairs;
}

}  // namespace kzgd
