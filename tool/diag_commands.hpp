// `kzg diag URL` and `kzg health-check URL`: a running kzgd's diagnostics, from outside. Without API keys the
// debug endpoints answer loopback clients only (run these on the same host); with keys on, pass a key with the
// admin permission in a file (--api-key-file) or in KZGD_API_KEY, and for https:// the CA file (--cacert).
//
//   diag          memory, CPU and the profiler's table (GET /debug/memory, /debug/cpu, /debug/profile)
//   health-check  the operator's checklist: /health, /ready and every check of /debug/health with its value
//                 and threshold; exit 0 when all pass, 1 when any fails or kzgd cannot be reached
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "tool/http_get.hpp"

namespace kzg::tool {

// The profiler table of a /debug/profile answer: one row per operation and window.
std::string format_profile_table(const nlohmann::json& profile);

// Each command returns its exit code: 0 ok, 1 unhealthy or unreachable, 2 bad arguments.
int run_diag(const std::string& url, std::ostream& out, std::ostream& err, const ServerAccess& access = {});
int run_health_check(const std::string& url, std::ostream& out, std::ostream& err, const ServerAccess& access = {});

// Registers diag and health-check on `app`; each sets `exit_code` when it runs.
void add_diag_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);

}  // namespace kzg::tool
