// kzg: the KZG engine from the command line.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/kzg/table_cache.hpp"
#include "engine/setup/trusted_setup.hpp"
#include "tool/bench_command.hpp"
#include "tool/blob_commands.hpp"
#include "tool/cell_commands.hpp"
#include "tool/diag_commands.hpp"
#include "tool/eval.hpp"
#include "tool/key_commands.hpp"

namespace {

// The settings, loaded once on first use from --setup or the embedded mainnet setup, through --table-cache when
// given.
class LazySettings {
 public:
  LazySettings(const std::string& path, const std::string& cache) : path_(path), cache_(cache) {}
  const kzg::KzgSettings* get() {
    if (!tried_) {
      tried_ = true;
      auto s = kzg::load_kzg_settings_cached_from(path_, {}, cache_, outcome_);
      if (!outcome_.ignored.empty())
        std::cerr << "kzg: table cache " << cache_ << " not used (" << outcome_.ignored << "); rebuilt\n";
      if (!outcome_.write_error.empty()) std::cerr << "kzg: " << outcome_.write_error << '\n';
      if (!s) {
        std::cerr << "kzg: " << s.error().message << '\n';
        return nullptr;
      }
      settings_ = *s;
    }
    return settings_.get();
  }
  const kzg::TableCacheOutcome& outcome() const { return outcome_; }

 private:
  const std::string& path_;
  const std::string& cache_;
  bool tried_ = false;
  kzg::TableCacheOutcome outcome_;
  std::shared_ptr<const kzg::KzgSettings> settings_;
};

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  CLI::App app{"kzg: KZG commitments, proofs and verification for Ethereum blobs (EIP-4844) and cells (EIP-7594)"};
  app.require_subcommand(1);
  std::string setup_path;
  app.add_option("--setup", setup_path, "Trusted setup file (c-kzg text or ceremony JSON); default: embedded mainnet")
      ->check(CLI::ExistingFile);
  unsigned threads = 1;
  app.add_option("--threads", threads,
                 "Threads one operation may use: the batch verifications, cells with proofs and recovery (default 1)")
      ->check(CLI::Range(1u, 1024u));
  std::string table_cache;
  app.add_option("--table-cache", table_cache,
                 "File keeping the precomputed tables between runs: mapped when it holds them, else written");
  LazySettings settings(setup_path, table_cache);
  int exit_code = kzg::tool::kExitOk;

  kzg::tool::EvalOptions eval_options;
  auto* eval = app.add_subcommand("eval", "Answer JSON Lines requests {id, op, input} from stdin, one line each");
  eval->add_option("--max-line-bytes", eval_options.max_line_bytes, "Longest request line accepted")
      ->check(CLI::PositiveNumber);
  eval->callback([&] {
    const kzg::KzgSettings* s = settings.get();
    if (s == nullptr) {
      exit_code = kzg::tool::kExitUsage;
      return;
    }
    eval_options.threads = threads;
    kzg::tool::run_eval(std::cin, std::cout, *s, eval_options);
  });
  auto* tables = app.add_subcommand(
      "table-cache", "Build the table cache file (for --table-cache and kzgd's setup.table_cache), or check it");
  std::string tables_path;
  tables->add_option("path", tables_path, "The cache file")->required();
  tables->callback([&] {
    table_cache = tables_path;
    const auto start = std::chrono::steady_clock::now();
    if (settings.get() == nullptr) {
      exit_code = kzg::tool::kExitUsage;
      return;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto& outcome = settings.outcome();
    nlohmann::json report = {
        {"path", tables_path}, {"outcome", std::string(kzg::to_string(outcome.kind))}, {"seconds", seconds}};
    if (!outcome.ignored.empty()) report["ignored"] = outcome.ignored;
    if (!outcome.write_error.empty()) report["write_error"] = outcome.write_error;
    std::cout << report.dump() << '\n';
    if (!outcome.write_error.empty()) exit_code = kzg::tool::kExitUsage;
  });
  const kzg::tool::SettingsProvider provider = [&] { return settings.get(); };
  kzg::tool::add_blob_commands(app, provider, std::cout, std::cerr, exit_code);
  kzg::tool::add_cell_commands(app, provider, std::cout, std::cerr, exit_code, threads);
  kzg::tool::add_key_commands(app, std::cout, std::cerr, exit_code);
  kzg::tool::add_bench_command(app, provider, std::cout, std::cerr, exit_code);
  kzg::tool::add_diag_commands(app, std::cout, std::cerr, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kzg::tool::kExitUsage;
  }
  return exit_code;
}
