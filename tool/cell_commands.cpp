#include "tool/cell_commands.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/common/hex.hpp"
#include "engine/dispatch/dispatch.hpp"
#include "tool/input_files.hpp"

namespace kzg::tool {
namespace {

using nlohmann::json;

struct Args {
  std::string path;
  bool proofs = true;
};

constexpr std::size_t kMaxJsonFileBytes = std::size_t{256} << 20;

std::string describe(const Error& e) { return e.field.empty() ? e.message : e.field + ": " + e.message; }

// A JSON object from a file ("-" for stdin): the operation's input, named as in the spec.
Result<json> read_json_file(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return make_error(kzg::ErrorCode::io_error, "cannot open " + path);
    in = &file;
  }
  std::string text;
  char buf[1 << 16];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in->gcount()));
    if (text.size() > kMaxJsonFileBytes)
      return make_error(kzg::ErrorCode::invalid_input, path + ": larger than 256 MiB");
  }
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(kzg::ErrorCode::invalid_input, path + ": not a JSON object");
  return j;
}

// Runs `op` and prints its output; a boolean output sets the exit code (true 0, false 1).
void run_op(const std::string& op, const json& input, const SettingsProvider& settings, std::ostream& out,
            std::ostream& err, int& exit_code, unsigned threads) {
  const KzgSettings* s = settings();
  if (s == nullptr) {
    exit_code = kExitUsage;
    return;
  }
  const api::Outcome r = api::dispatch(*s, op, input, threads);
  if (r.error) {
    err << "kzg: " << describe(*r.error) << '\n';
    exit_code = kExitUsage;
    return;
  }
  if (r.output.is_boolean()) {
    out << (r.output.get<bool>() ? "valid" : "invalid") << '\n';
    exit_code = r.output.get<bool>() ? kExitOk : kExitInvalid;
    return;
  }
  if (r.output.is_array() && r.output.size() == 2 && r.output[0].is_array())
    out << json{{"cells", r.output[0]}, {"proofs", r.output[1]}}.dump(1) << '\n';
  else
    out << json{{"cells", r.output}}.dump(1) << '\n';
}

}  // namespace

void add_cell_commands(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code, const unsigned& threads) {
  auto args = std::make_shared<Args>();

  auto* cells = app.add_subcommand(
      "cells", "Print the 128 cells of a blob's extension and their proofs as JSON (compute_cells_and_kzg_proofs)");
  cells->add_option("blob", args->path, "Blob file: 131072 raw bytes or their hex; - for stdin")->required();
  cells->add_flag("!--no-proofs", args->proofs, "Cells only (compute_cells)");
  cells->callback([=, &out, &err, &exit_code, &threads] {
    auto blob = read_blob_file(args->path);
    if (!blob) {
      err << "kzg: " << describe(blob.error()) << '\n';
      exit_code = kExitUsage;
      return;
    }
    run_op(args->proofs ? "compute_cells_and_kzg_proofs" : "compute_cells", json{{"blob", hex_encode(*blob)}}, settings,
           out, err, exit_code, threads);
  });

  auto* recover = app.add_subcommand(
      "recover", "Recover all cells and proofs from at least 64 cells (recover_cells_and_kzg_proofs)");
  recover->add_option("input", args->path, "JSON file {\"cell_indices\": [...], \"cells\": [...]}; - for stdin")
      ->required();
  recover->add_flag("!--no-proofs", args->proofs, "Cells only (much cheaper)");
  recover->callback([=, &out, &err, &exit_code, &threads] {
    auto in = read_json_file(args->path);
    if (!in) {
      err << "kzg: " << describe(in.error()) << '\n';
      exit_code = kExitUsage;
      return;
    }
    run_op(args->proofs ? "recover_cells_and_kzg_proofs" : "recover_cells", *in, settings, out, err, exit_code,
           threads);
  });

  auto* verify = app.add_subcommand(
      "verify-cells", "Check a batch of cell proofs (verify_cell_kzg_proof_batch); exit 0 valid, 1 invalid");
  verify
      ->add_option("input", args->path,
                   "JSON file {\"commitments\", \"cell_indices\", \"cells\", \"proofs\"}; - for stdin")
      ->required();
  verify->callback([=, &out, &err, &exit_code, &threads] {
    auto in = read_json_file(args->path);
    if (!in) {
      err << "kzg: " << describe(in.error()) << '\n';
      exit_code = kExitUsage;
      return;
    }
    run_op("verify_cell_kzg_proof_batch", *in, settings, out, err, exit_code, threads);
  });
}

}  // namespace kzg::tool
