// kzgd's command line: --config FILE plus flags for the most used keys, each feeding the same validation as
// the file and the environment (service/service_config.hpp).
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "service/service_config.hpp"

namespace kzgd {

struct CommandLine {
  ConfigSources sources;           // getenv left unset; the caller decides
  bool check_config = false;       // --check-config: print the effective configuration and exit
  bool openapi = false;            // --openapi: print the OpenAPI document and exit
  bool build_table_cache = false;  // --build-table-cache: write (or check) setup.table_cache's file and exit
};

// Exit codes of kzgd.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // a failure while running
inline constexpr int kExitUsage = 2;    // bad flags, configuration or setup: nothing was served

// Parses argv. When the process should exit at once (--help, --version, a bad flag) returns nullopt and sets
// exit_code, having written to out (help, version) or err (the error).
std::optional<CommandLine> parse_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
                                              int& exit_code);

}  // namespace kzgd
