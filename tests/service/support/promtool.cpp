#include "tests/service/support/promtool.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace kzgd::testing {

std::optional<PromtoolResult> promtool_check_metrics(const std::string& exposition) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  const auto path = std::filesystem::temp_directory_path() / ("kzgd_metrics_" + std::to_string(getpid()) + ".txt");
  std::ofstream(path) << exposition;
  const std::string command = "promtool check metrics < " + path.string() + " 2>&1";
  PromtoolResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::array<char, 4096> buf;
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) result.output.append(buf.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::filesystem::remove(path);
  return result;
}

}  // namespace kzgd::testing
