#include "service/command_line.hpp"

#include <CLI/CLI.hpp>
#include <vector>

#ifndef KZGD_VERSION
#define KZGD_VERSION "unknown"
#endif

namespace kzgd {

std::optional<CommandLine> parse_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
                                              int& exit_code) {
  CLI::App app{
      "kzgd: KZG commitments and proofs for Ethereum blobs (EIP-4844) and cells (EIP-7594) over HTTP.\n"
      "Configuration: defaults < --config FILE < KZGD_* environment variables < flags (docs/configuration.md)."};
  app.set_version_flag("--version", KZGD_VERSION);
  CommandLine cl;
  std::string config_file;
  app.add_option("--config", config_file, "YAML configuration file");
  app.add_flag("--check-config", cl.check_config, "Validate the configuration, print it as YAML and exit");
  app.add_flag("--openapi", cl.openapi, "Print the OpenAPI 3.1 document of the HTTP API (GET /openapi.json) and exit");
  app.add_flag("--build-table-cache", cl.build_table_cache,
               "Build the precomputed tables into setup.table_cache's file (or check the file there) and exit");

  struct Flag {
    const char* name;
    const char* key;
    const char* help;
    std::string value;
  };
  std::vector<Flag> flags{
      {"--listen", "server.listen", "HOST:PORT to listen on", {}},
      {"--grpc-listen", "grpc.listen", "HOST:PORT for the gRPC API", {}},
      {"--io-threads", "server.io_threads", "I/O threads", {}},
      {"--workers", "workers.threads", "Worker threads for the crypto (0: one per core)", {}},
      {"--queue-limit", "workers.queue_limit", "Requests that may wait for a worker before 503", {}},
      {"--max-body-bytes", "limits.max_body_bytes", "Largest request body (e.g. 16MiB)", {}},
      {"--max-batch-items", "limits.max_batch_items", "Most requests in one /v1/batch", {}},
      {"--drain-delay-seconds",
       "shutdown.drain_delay_seconds",
       "Time /ready answers 503 before the listener closes",
       {}},
      {"--grace-seconds", "shutdown.grace_seconds", "Time requests in progress get to finish at shutdown", {}},
      {"--log-level", "log.level", "debug, info, warn, error or off", {}},
      {"--log-format", "log.format", "json or text", {}},
      {"--setup", "setup.path", "Trusted setup file (empty: the embedded mainnet setup)", {}},
  };
  std::vector<CLI::Option*> options;
  options.reserve(flags.size());
  for (auto& f : flags) options.push_back(app.add_option(f.name, f.value, std::string(f.help) + " (" + f.key + ")"));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    exit_code = code == 0 ? kExitOk : kExitUsage;
    return std::nullopt;
  }
  if (!config_file.empty()) cl.sources.file = config_file;
  for (std::size_t i = 0; i < flags.size(); ++i)
    if (options[i]->count() > 0)
      cl.sources.overrides.push_back({flags[i].key, flags[i].value, std::string("flag ") + flags[i].name});
  exit_code = kExitOk;
  return cl;
}

}  // namespace kzgd
