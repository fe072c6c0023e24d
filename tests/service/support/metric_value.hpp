// Reads one sample from a Prometheus text exposition.
#pragma once

#include <optional>
#include <string>

namespace kzgd::testing {

// The value of the series written exactly as `series` (name with its labels), or nothing when absent.
inline std::optional<double> metric_value(const std::string& exposition, const std::string& series) {
  const std::string prefix = series + " ";
  std::size_t at = exposition.rfind('\n' + prefix);
  if (at != std::string::npos)
    ++at;
  else if (exposition.compare(0, prefix.size(), prefix) == 0)
    at = 0;
  else
    return std::nullopt;
  return std::stod(exposition.substr(at + prefix.size()));
}

inline std::string closed_series(const std::string& reason) {
  return "kzgd_http_connections_closed_total{reason=\"" + reason + "\"}";
}

}  // namespace kzgd::testing
