#include "tool/diag_commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include "tool/blob_commands.hpp"
#include "tool/http_get.hpp"

namespace kzg::tool {
namespace {

using nlohmann::json;

constexpr int kExitUnhealthy = 1;

// GET target as JSON; on failure a message in `why`.
std::optional<json> get_json(const ServerUrl& server, const ServerAccess& access, const std::string& target,
                             std::string& why, unsigned* status = nullptr) {
  const HttpAnswer a = http_get(server, target, access);
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

int run_diag(const std::string& url, std::ostream& out, std::ostream& err, const ServerAccess& access) {
  std::string why;
  const auto server = parse_server_url(url, why);
  if (!server) {
    err << "kzg diag: URL " << url << ": " << why << '\n';
    return kExitUsage;
  }
  const auto memory = get_json(*server, access, "/debug/memory", why);
  const auto cpu = memory ? get_json(*server, access, "/debug/cpu", why) : std::nullopt;
  const auto profile = cpu ? get_json(*server, access, "/debug/profile", why) : std::nullopt;
  if (!profile) {
    err << "kzg diag: " << why << '\n';
    return kExitUnhealthy;
  }
  out << "memory  allocated " << mib(number(*memory, "allocated_bytes")) << " (peak "
      << mib(number(*memory, "allocated_peak_bytes")) << "), resident " << mib(number(*memory, "resident_bytes"))
      << " (peak " << mib(number(*memory, "resident_peak_bytes")) << "), limit " << mib(number(*memory, "limit_bytes"))
      << '\n';
  out << std::fixed << std::setprecision(1) << "cpu     process " << number(*cpu, "process_percent") << "% of "
      << static_cast<long long>(number(*cpu, "cores")) << " cores, system " << number(*cpu, "system_percent")
      << "% (over " << std::setprecision(2) << number(*cpu, "interval_seconds") << " s)\n\n";
  out << format_profile_table(*profile);
  return kExitOk;
}

int run_health_check(const std::string& url, std::ostream& out, std::ostream& err, const ServerAccess& access) {
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
    const auto j = get_json(*server, access, target, why, &status);
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
  const auto report = get_json(*server, access, "/debug/health", why, &status);
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

namespace {

// The options both commands share: the URL, a CA file, an API key file.
struct ServerOptions {
  std::string url;
  std::string ca_file;
  std::string key_file;
};

void add_server_options(CLI::App* command, ServerOptions& o) {
  command->add_option("url", o.url, "kzgd's address, http://HOST:PORT or https://HOST:PORT")->required();
  command->add_option("--cacert", o.ca_file, "PEM CA certificates kzgd's certificate is checked against (https://)")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--api-key-file", o.key_file,
                   "a file whose first line is the API key (else the variable KZGD_API_KEY); sent as "
                   "Authorization: Bearer")
      ->check(CLI::ExistingFile);
}

// The access settings, or nullopt after printing why (exit 2).
std::optional<ServerAccess> access_for(const ServerOptions& o, const char* command, std::ostream& err) {
  std::string why;
  auto key = read_api_key(
      o.key_file, [](const char* name) { return std::getenv(name); }, why);
  if (!key) {
    err << "kzg " << command << ": " << why << '\n';
    return std::nullopt;
  }
  return ServerAccess{o.ca_file, std::move(*key)};
}

}  // namespace

void add_diag_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto diag_options = std::make_shared<ServerOptions>();
  auto* diag = app.add_subcommand("diag", "Memory, CPU and per-operation latencies of a running kzgd (its /debug/*)");
  add_server_options(diag, *diag_options);
  diag->callback([diag_options, &out, &err, &exit_code] {
    const auto access = access_for(*diag_options, "diag", err);
    exit_code = access ? run_diag(diag_options->url, out, err, *access) : kExitUsage;
  });

  auto health_options = std::make_shared<ServerOptions>();
  auto* health = app.add_subcommand(
      "health-check", "The operator's checklist of a running kzgd; exit 1 when any check fails or it is unreachable");
  add_server_options(health, *health_options);
  health->callback([health_options, &out, &err, &exit_code] {
    const auto access = access_for(*health_options, "health-check", err);
    exit_code = access ? run_health_check(health_options->url, out, err, *access) : kExitUsage;
  });
}

}  // namespace kzg::tool
