#include "diag_commands.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

#include "blob_commands.hpp"
#include "http_get.hpp"

namespace kzg::tool {
namespace {

using nlohmann::json;

constexpr int kExitUnhealthy = 1;

// GET target as JSON; on failure a message in `why`.
std::optional<json> get_json(const ServerUrl& server, const std::string& target, std::string& why,
                             unsigned* status = nullptr) {
  const HttpAnswer a = http_get(server, target);
  if (status) *status = a.status;
  if (a.status == 0) {
    why = target + ": " + a.error;
    return std::nullopt;
  }
  json j = json::parse(a.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    why = target + ": HTTP " + std::to_string(a.status) + " with a body that is not a JSON object";
    return std::nullopt;
  }
  if (a.status == 403 || (a.status >= 400 && a.status != 503)) {
    why = target + ": HTTP " + std::to_string(a.status);
    if (j.contains("error") && j["error"].is_object()) why += ": " + j["error"].value("message", std::string());
    return std::nullopt;
  }
  return j;
}

double number(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}

std::string mib(double bytes) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << bytes / (1024.0 * 1024.0) << " MiB";
  return o.str();
}

std::string text(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string("?");
}

}  // namespace

std::string format_profile_table(const json& profile) {
  std::ostringstream o;
  const std::string window = std::to_string(static_cast<long long>(number(profile, "window_seconds"))) + "s";
  char line[256];
  std::snprintf(line, sizeof line, "%-36s %-6s %9s %10s %10s %10s %10s %10s %10s\n", "operation", "window", "count",
                "min ms", "mean ms", "max ms", "p50 ms", "p95 ms", "p99 ms");
  o << line;
  const auto ops = profile.find("operations");
  if (ops == profile.end() || !ops->is_array() || ops->empty()) {
    o << "(no operations yet)\n";
    return o.str();
  }
  for (const auto& op : *ops) {
    if (!op.is_object()) continue;
    for (const auto& [key, label] : {std::pair<const char*, std::string>{"window", window}, {"since_start", "start"}}) {
      const auto s = op.find(key);
      if (s == op.end() || !s->is_object()) continue;
      std::snprintf(line, sizeof line, "%-36.36s %-6s %9.0f %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f\n",
                    text(op, "operation").c_str(), label.c_str(), number(*s, "count"), number(*s, "min_ms"),
                    number(*s, "mean_ms"), number(*s, "max_ms"), number(*s, "p50_ms"), number(*s, "p95_ms"),
                    number(*s, "p99_ms"));
      o << line;
    }
  }
  return o.str();
}

int run_diag(const std::string& url, std::ostream& out, std::ostream& err) {
  std::string why;
  const auto server = parse_server_url(url, why);
  if (!server) {
    err << "kzg diag: URL " << url << ": " << why << '\n';
    return kExitUsage;
  }
  const auto memory = get_json(*server, "/debug/memory", why);
  const auto cpu = memory ? get_json(*server, "/debug/cpu", why) : std::nullopt;
  const auto profile = cpu ? get_json(*server, "/debug/profile", why) : std::nullopt;
  if (!profile) {
    err << "kzg diag: " << why << '\n';
    return kExitUnhealthy;
  }
  out << "memory  allocated " << mib(number(*memory, "allocated_bytes")) << " (peak "
      << mib(number(*memory, "allocated_peak_bytes")) << "), resident " << mib(number(*memory, "resident_bytes"))
      << " (peak " << mib(number(*memory, "resident_peak_bytes")) << "), limit " << mib(number(*memory, "limit_bytes"))
      << '\n';
  out << std::fixed << std::setprecision(1) << "cpu     process " << number(*cpu, "process_percent")
      << "% of " << static_cast<long long>(number(*cpu, "cores")) << " cores, system "
      << number(*cpu, "system_percent") << "% (over " << std::setprecision(2) << number(*cpu, "interval_seconds")
      << " s)\n\n";
  out << format_profile_table(*profile);
  return kExitOk;
}

int run_health_check(const std::string& url, std::ostream& out, std::ostream& err) {
  std::string why;
  const auto server = parse_server_url(url, why);
  if (!server) {
    err << "kzg health-check: URL " << url << ": " << why << '\n';
    return kExitUsage;
  }
  bool healthy = true;
  auto row = [&](bool ok, const std::string& name, const std::string& detail) {
    healthy = healthy && ok;
    char line[64];
    std::snprintf(line, sizeof line, "[%s] %-10s ", ok ? " ok " : "FAIL", name.c_str());
    out << line << detail << '\n';
  };
  for (const auto& [target, name] : {std::pair<std::string, std::string>{"/health", "live"}, {"/ready", "ready"}}) {
    unsigned status = 0;
    const auto j = get_json(*server, target, why, &status);
    if (!j) {
      row(false, name, why);
      if (status == 0) {  // unreachable: nothing more to ask
        out << "status: unhealthy\n";
        return kExitUnhealthy;
      }
      continue;
    }
    std::string detail = "GET " + target + " answered " + std::to_string(status);
    if (j->contains("reason")) detail += " (" + text(*j, "reason") + ")";
    row(status == 200, name, detail);
  }
  unsigned status = 0;
  const auto report = get_json(*server, "/debug/health", why, &status);
  if (!report || !report->contains("checks") || !(*report)["checks"].is_array()) {
    row(false, "debug", report ? "/debug/health: no checks in the answer" : why);
  } else {
    for (const auto& c : (*report)["checks"]) {
      if (!c.is_object()) continue;
      const bool ok = c.value("ok", false);
      std::ostringstream detail;
      const std::string unit = text(c, "unit");
      const int digits = unit == "seconds" ? 4 : unit == "percent" ? 1 : 0;
      detail << text(c, "message") << std::fixed << std::setprecision(digits) << "  [value " << number(c, "value")
             << ", threshold " << number(c, "threshold") << " " << unit << "]";
      row(ok, text(c, "name"), detail.str());
    }
  }
  out << "status: " << (healthy ? "healthy" : "unhealthy") << '\n';
  (void)err;
  return healthy ? kExitOk : kExitUnhealthy;
}

void add_diag_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto url = std::make_shared<std::string>();
  auto* diag = app.add_subcommand("diag", "Memory, CPU and per-operation latencies of a running kzgd (its /debug/*)");
  diag->add_option("url", *url, "kzgd's address, http://HOST:PORT")->required();
  diag->callback([url, &out, &err, &exit_code] { exit_code = run_diag(*url, out, err); });

  auto health_url = std::make_shared<std::string>();
  auto* health = app.add_subcommand(
      "health-check", "The operator's checklist of a running kzgd; exit 1 when any check fails or it is unreachable");
  health->add_option("url", *health_url, "kzgd's address, http://HOST:PORT")->required();
  health->callback([health_url, &out, &err, &exit_code] { exit_code = run_health_check(*health_url, out, err); });
}

}  // namespace kzg::tool
