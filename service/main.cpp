// kzgd: the KZG commitment service. With no arguments it serves the embedded mainnet setup on 127.0.0.1:8080.
#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "api/dispatch.hpp"
#include "config.hpp"
#include "http_server.hpp"
#include "log.hpp"
#include "setup/trusted_setup.hpp"

extern char** environ;

namespace {

constexpr int kExitConfig = 2;

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos && kv.rfind("KZGD_", 0) == 0) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

int config_error(const kzgd::ConfigError& e) {
  std::cerr << "kzgd: configuration error: " << e.key << ": " << e.message << '\n';
  return kExitConfig;
}

}  // namespace

int main(int argc, char** argv) {
  // Block the shutdown signals before any thread starts, so that every thread inherits the mask and
  // sigwait() below is the one place they arrive.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  CLI::App app{"kzgd: KZG commitments, proofs and verification (EIP-4844, EIP-7594) over HTTP"};
  std::string config_path, listen, log_level, setup_path;
  unsigned workers = 0;
  std::vector<std::string> sets;
  app.add_option("--config", config_path, "YAML configuration file")->check(CLI::ExistingFile);
  app.add_option("--listen", listen, "HOST:PORT to listen on (server.listen)");
  app.add_option("--workers", workers, "Worker threads for the crypto (workers.threads)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error (log.level)");
  app.add_option("--setup", setup_path, "Trusted setup file (setup.path); default: embedded mainnet");
  app.add_option("--set", sets, "Override any key: --set section.key=value (repeatable)");
  CLI11_PARSE(app, argc, argv);

  // Precedence: defaults < file < environment < flags.
  kzgd::Config cfg;
  if (!config_path.empty()) {
    std::ifstream in(config_path);
    std::stringstream text;
    text << in.rdbuf();
    if (auto e = kzgd::apply_yaml(cfg, text.str())) return config_error(*e);
  }
  if (auto e = kzgd::apply_env(cfg, environment())) return config_error(*e);
  for (const auto& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos) return config_error({s, "expected --set key=value"});
    if (auto e = kzgd::set_config_value(cfg, s.substr(0, eq), s.substr(eq + 1))) return config_error(*e);
  }
  if (!listen.empty()) cfg.listen = listen;
  if (app.count("--workers")) cfg.worker_threads = workers;
  if (!log_level.empty())
    if (auto e = kzgd::set_config_value(cfg, "log.level", log_level)) return config_error(*e);
  if (!setup_path.empty()) cfg.setup_path = setup_path;
  if (auto e = kzgd::validate(cfg)) return config_error(*e);
  if (cfg.worker_threads == 0) cfg.worker_threads = std::max(1u, std::thread::hardware_concurrency());

  kzgd::log::init(cfg.log_level, cfg.log_format);
  std::atomic<bool> ready{false};
  std::shared_ptr<const kzg::KzgSettings> settings;

  std::vector<std::string> operations;
  for (const auto& op : kzg::api::operations()) operations.push_back(op.name);
  kzgd::Metrics metrics(operations);
  kzgd::WorkerPool pool(cfg.worker_threads, cfg.queue_limit);
  kzgd::ApiHandler handler(
      [&settings](std::string_view op, const nlohmann::json& in) { return kzg::api::dispatch(*settings, op, in); },
      operations, pool, metrics, {cfg.max_batch_items}, [&] { return ready.load(); });
  kzgd::HttpServer server({cfg.host(), cfg.port(), cfg.io_threads, cfg.max_body_bytes, 16u << 10,
                           cfg.request_timeout_seconds, cfg.idle_timeout_seconds},
                          handler, metrics);
  if (auto e = server.listen()) {
    kzgd::log::error("start-up failed", {{"error", *e}});
    return 1;
  }
  // Liveness answers while the setup loads; readiness waits for it.
  server.start();
  kzgd::log::info("listening", {{"address", cfg.host()}, {"port", server.port()}, {"workers", cfg.worker_threads}});

  const auto t0 = std::chrono::steady_clock::now();
  auto setup = cfg.setup_path.empty() ? kzg::load_embedded_trusted_setup() : kzg::load_trusted_setup_file(cfg.setup_path);
  if (!setup) {
    kzgd::log::error("trusted setup rejected", {{"error", setup.error().message}, {"path", cfg.setup_path}});
    server.shutdown(0);
    server.join();
    return 1;
  }
  kzg::KzgSettingsOptions options;
  options.cell_proofs = cfg.cell_proofs;
  options.fixed_base_msm = cfg.fixed_base_msm;
  auto s = kzg::make_kzg_settings(std::move(setup).value(), options);
  if (!s) {
    kzgd::log::error("trusted setup rejected", {{"error", s.error().message}});
    server.shutdown(0);
    server.join();
    return 1;
  }
  settings = *s;
  ready = true;
  kzgd::log::info("ready", {{"setup", cfg.setup_path.empty() ? "embedded mainnet" : cfg.setup_path},
                            {"load_ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()},
                            {"fixed_base_msm_bytes", settings->lagrange_msm.memory_bytes()},
                            {"fk20_table_bytes", settings->fk20_columns.size() * sizeof(kzg::G1Affine)}});

  // Graceful shutdown: SIGTERM/SIGINT -> not ready, stop accepting, finish in-flight work, exit 0.
  int sig = 0;
  sigwait(&sigs, &sig);
  ready = false;
  kzgd::log::info("draining", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}, {"in_flight", server.in_flight()},
                               {"grace_seconds", cfg.grace_seconds}});
  const bool drained = server.shutdown(cfg.grace_seconds);
  server.join();
  pool.stop();
  kzgd::log::info("stopped", {{"drained", drained}});
  return 0;
}
