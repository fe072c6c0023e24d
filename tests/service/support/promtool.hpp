// Runs `promtool check metrics` (Debian package prometheus) on an exposition, when promtool is installed.
#pragma once

#include <optional>
#include <string>

namespace kzgd::testing {

struct PromtoolResult {
  int exit_code = 0;
  std::string output;  // promtool's complaints, if any
};

// nullopt when promtool is not on PATH.
std::optional<PromtoolResult> promtool_check_metrics(const std::string& exposition);

}  // namespace kzgd::testing
