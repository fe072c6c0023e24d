// kzg: the KZG engine from the command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "engine/setup/trusted_setup.hpp"
#include "tool/bench_command.hpp"
#include "tool/blob_commands.hpp"
#include "tool/cell_commands.hpp"
#include "tool/diag_commands.hpp"
#include "tool/eval.hpp"
#include "tool/key_commands.hpp"

namespace {

// The settings, loaded once on first use from --setup or the embedded mainnet setup.
class LazySettings {
 public:
  explicit LazySettings(const std::string& path) : path_(path) {}
  const kzg::KzgSettings* get() {
    if (!tried_) {
      tried_ = true;
      auto setup = path_.empty() ? kzg::load_embedded_trusted_setup() : kzg::load_trusted_setup_file(path_);
      if (!setup) {
        std::cerr << "kzg: " << setup.error().message << '\n';
        return nullptr;
      }
      auto s = kzg::make_kzg_settings(std::move(setup).value());
      if (!s) {
        std::cerr << "kzg: " << s.error().message << '\n';
        return nullptr;
      }
      settings_ = *s;
    }
    return settings_.get();
  }

 private:
  const std::string& path_;
  bool tried_ = false;
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
  LazySettings settings(setup_path);
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
