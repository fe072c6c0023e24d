// kzgd: the KZG engine as an HTTP service. Reads the configuration, starts listening at once, loads the
// trusted setup in the background (GET /ready answers 503 until it is loaded) and serves until SIGTERM or
// SIGINT, then shuts down gracefully (service.hpp). SIGHUP reloads what can change without a restart (the API
// keys file, the TLS certificate and key).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "service/api/openapi.hpp"
#include "service/command_line.hpp"
#include "service/diagnostics/cgroup_memory.hpp"
#include "service/engine_backend.hpp"
#include "service/engine_self_test.hpp"
#include "service/service.hpp"

namespace {

using namespace kzgd;

// The setup loads on its own thread; the main thread waits for signals and for its outcome.
struct SetupLoad {
  std::atomic<bool> failed{false};
  std::string error;  // written before failed is set
};

// Blocks SIGINT, SIGTERM and SIGHUP in this thread and every thread started after, so that only sigtimedwait
// sees them.
sigset_t block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Where the memory thresholds came from, and a warning when one cannot fire before the kernel's OOM kill.
void log_memory_thresholds(const ServiceConfig::Diagnostics& d, Logger& logger) {
  logger.info("memory thresholds", {{"warn_bytes", d.memory_warn_bytes},
                                    {"limit_bytes", d.memory_limit_bytes},
                                    {"cgroup_memory_max_bytes", d.cgroup_memory_max}});
  if (d.cgroup_memory_max != 0 && d.memory_limit_bytes >= d.cgroup_memory_max)
    logger.warn(
        "diagnostics.memory_limit_bytes is not below the cgroup's memory limit: the memory health check "
        "cannot fail before the kernel kills kzgd (leave it at auto, or set it lower)",
        {{"key", "diagnostics.memory_limit_bytes"},
         {"limit_bytes", d.memory_limit_bytes},
         {"cgroup_memory_max_bytes", d.cgroup_memory_max}});
}

// --build-table-cache: the tables into setup.table_cache's file, for an image or an init container to ship ready
// (0: the file holds them now; 2: no path configured, a bad setup, or the file cannot be written).
int build_table_cache(const ServiceConfig& config, Logger& logger) {
  if (config.setup.table_cache.empty()) {
    logger.error("--build-table-cache needs a file: set setup.table_cache", {{"key", "setup.table_cache"}});
    return kExitUsage;
  }
  const auto start = std::chrono::steady_clock::now();
  kzg::TableCacheOutcome cache;
  auto settings = load_kzg_settings(config.setup, cache);
  if (!settings) {
    logger.error("cannot load the trusted setup", {{"key", "setup.path"}, {"error", settings.error().message}});
    return kExitUsage;
  }
  if (auto failure = run_engine_self_test(**settings)) {
    logger.error("the tables fail the self-test", {{"error", failure->message}});
    return kExitUsage;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!cache.write_error.empty()) {
    logger.error("cannot write the table cache", {{"key", "setup.table_cache"}, {"error", cache.write_error}});
    return kExitUsage;
  }
  logger.info("table cache ready", {{"path", config.setup.table_cache},
                                    {"table_cache", std::string(kzg::to_string(cache.kind))},
                                    {"replaced", cache.ignored},
                                    {"seconds", seconds}});
  return kExitOk;
}

int serve(const ServiceConfig& config, Logger& logger, const sigset_t& signals) {
  EngineBackend backend(config.workers.engine_threads);
  Service service(config, backend, logger);
  const auto bound = service.start();
  if (!bound) {
    logger.error("start-up failed", {{"error", bound.error().message}, {"key", bound.error().field}});
    return kExitUsage;
  }
  logger.info("listening", {{"address", to_string(*bound)},
                            {"io_threads", config.server.io_threads},
                            {"workers", worker_threads(config)},
                            {"queue_limit", config.workers.queue_limit}});
  if (const auto grpc = service.grpc_address())
    logger.info("listening for gRPC", {{"address", to_string(*grpc)}, {"tls", config.tls.enabled}});
  log_memory_thresholds(config.diagnostics, logger);

  SetupLoad load;
  std::thread loader([&] {
    const auto start = std::chrono::steady_clock::now();
    kzg::TableCacheOutcome cache;
    auto settings = load_kzg_settings(config.setup, cache);
    if (!cache.ignored.empty())
      logger.warn("table cache not used; rebuilding it",
                  {{"key", "setup.table_cache"}, {"path", config.setup.table_cache}, {"reason", cache.ignored}});
    if (!cache.write_error.empty())
      logger.warn("cannot write the table cache; the next start rebuilds the tables again",
                  {{"key", "setup.table_cache"}, {"error", cache.write_error}});
    if (!settings) {
      load.error = settings.error().message;
      load.failed = true;
      return;
    }
    // The known-answer test decides whether the settings are served: /ready stays 503 until it passes.
    if (auto failure = run_engine_self_test(**settings)) {
      load.error = failure->message;
      load.failed = true;
      return;
    }
    backend.set_settings(*settings);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    logger.info("setup loaded", {{"setup", config.setup.path.empty() ? "embedded mainnet" : config.setup.path},
                                 {"table_cache", std::string(kzg::to_string(cache.kind))},
                                 {"seconds", seconds}});
  });

  int exit_code = kExitOk;
  const timespec tick{0, 200'000'000};
  for (;;) {
    siginfo_t info{};
    const int sig = sigtimedwait(&signals, &info, &tick);
    if (sig == SIGHUP) {
      logger.info("reloading", {{"signal", "SIGHUP"}});
      service.reload();  // logs each outcome; a bad file keeps the previous state
      continue;
    }
    if (sig == SIGINT || sig == SIGTERM) {
      logger.info("shutting down",
                  {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}, {"grace_seconds", config.shutdown.grace_seconds}});
      break;
    }
    if (load.failed) {
      logger.error("cannot load the trusted setup, or it failed the self-test",
                   {{"key", "setup.path"}, {"error", load.error}});
      exit_code = kExitUsage;
      break;
    }
  }
  const auto grace = std::chrono::milliseconds(static_cast<long long>(config.shutdown.grace_seconds * 1000));
  const bool finished = service.shutdown(exit_code == kExitOk ? grace : std::chrono::milliseconds(0));
  if (!finished && exit_code == kExitOk) logger.warn("grace period over; requests still in progress were cut off");
  loader.join();
  logger.info("stopped", {{"exit_code", exit_code}});
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = kExitOk;
  auto command_line = parse_command_line(argc, argv, std::cout, std::cerr, exit_code);
  if (!command_line) return exit_code;
  command_line->sources.getenv = [](const char* name) { return std::getenv(name); };
  command_line->sources.memory_max = [] { return cgroup_memory_max(); };
  const auto config = load_service_config(command_line->sources);
  if (!config) {
    std::cerr << "kzgd: invalid configuration: " << config.error().message << '\n';
    return kExitUsage;
  }
  if (command_line->openapi) {
    std::cout << openapi_document(KZGD_VERSION).dump(2) << '\n';
    return kExitOk;
  }
  if (command_line->check_config) {
    std::cout << to_yaml(*config);
    return kExitOk;
  }
  Logger logger(config->log.level, config->log.format);
  if (command_line->build_table_cache) return build_table_cache(*config, logger);
  const sigset_t signals = block_shutdown_signals();
  return serve(*config, logger, signals);
}
