#include "tool/blob_commands.hpp"

#include "engine/common/hex.hpp"
#include "engine/kzg/eip4844.hpp"
#include "tool/input_files.hpp"

namespace kzg::tool {
namespace {

struct Args {
  std::string blob_path, commitment, proof, z, y;
};

std::string describe(const Error& e) { return e.field.empty() ? e.message : e.field + ": " + e.message; }

// Runs `body`, turning any Error into a message on `err` and exit code 2.
template <class Body>
void run_command(std::ostream& err, int& exit_code, Body body) {
  std::optional<Error> e = body();
  if (e) {
    err << "kzg: " << describe(*e) << '\n';
    exit_code = kExitUsage;
  }
}

#define KZG_TRY(var, expr) \
  auto var = (expr);       \
  if (!var) return var.error()

}  // namespace

void add_blob_commands(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code) {
  auto args = std::make_shared<Args>();
  auto need_settings = [settings]() -> Result<const KzgSettings*> {
    const KzgSettings* s = settings();
    if (s == nullptr) return make_error(kzg::ErrorCode::invalid_trusted_setup, "the trusted setup could not be loaded");
    return s;
  };

  auto* commit = app.add_subcommand("commit", "Print the KZG commitment of a blob (blob_to_kzg_commitment)");
  commit->add_option("blob", args->blob_path, "Blob file: 131072 raw bytes or their hex; - for stdin")->required();
  commit->callback([=, &out, &err, &exit_code] {
    run_command(err, exit_code, [&]() -> std::optional<Error> {
      KZG_TRY(blob, read_blob_file(args->blob_path));
      KZG_TRY(s, need_settings());
      KZG_TRY(c, blob_to_kzg_commitment(*blob, **s));
      out << hex_encode(*c) << '\n';
      return std::nullopt;
    });
  });

  auto* prove =
      app.add_subcommand("prove", "Print the blob proof for a blob and its commitment (compute_blob_kzg_proof)");
  prove->add_option("blob", args->blob_path, "Blob file: 131072 raw bytes or their hex; - for stdin")->required();
  prove->add_option("--commitment", args->commitment, "The blob's commitment (hex); computed when omitted");
  prove->callback([=, &out, &err, &exit_code] {
    run_command(err, exit_code, [&]() -> std::optional<Error> {
      KZG_TRY(blob, read_blob_file(args->blob_path));
      KZG_TRY(s, need_settings());
      std::vector<std::uint8_t> commitment;
      if (args->commitment.empty()) {
        KZG_TRY(c, blob_to_kzg_commitment(*blob, **s));
        commitment.assign(c->begin(), c->end());
      } else {
        KZG_TRY(c, parse_hex_argument(args->commitment, kBytesPerCommitment, "--commitment"));
        commitment = *c;
      }
      KZG_TRY(p, compute_blob_kzg_proof(*blob, commitment, **s));
      out << hex_encode(*p) << '\n';
      return std::nullopt;
    });
  });

  auto* prove_point =
      app.add_subcommand("prove-point", "Print the proof and value of a blob's polynomial at z (compute_kzg_proof)");
  prove_point->add_option("blob", args->blob_path, "Blob file: 131072 raw bytes or their hex; - for stdin")->required();
  prove_point->add_option("--z", args->z, "Evaluation point: 32-byte field element (hex)")->required();
  prove_point->callback([=, &out, &err, &exit_code] {
    run_command(err, exit_code, [&]() -> std::optional<Error> {
      KZG_TRY(blob, read_blob_file(args->blob_path));
      KZG_TRY(z, parse_hex_argument(args->z, kBytesPerFieldElement, "--z"));
      KZG_TRY(s, need_settings());
      KZG_TRY(r, compute_kzg_proof(*blob, *z, **s));
      out << "proof " << hex_encode(r->proof) << "\ny " << hex_encode(r->y) << '\n';
      return std::nullopt;
    });
  });

  auto* verify = app.add_subcommand("verify", "Check a blob proof (verify_blob_kzg_proof); exit 0 valid, 1 invalid");
  verify->add_option("blob", args->blob_path, "Blob file: 131072 raw bytes or their hex; - for stdin")->required();
  verify->add_option("--commitment", args->commitment, "Commitment (hex)")->required();
  verify->add_option("--proof", args->proof, "Proof (hex)")->required();
  verify->callback([=, &out, &err, &exit_code] {
    run_command(err, exit_code, [&]() -> std::optional<Error> {
      KZG_TRY(blob, read_blob_file(args->blob_path));
      KZG_TRY(c, parse_hex_argument(args->commitment, kBytesPerCommitment, "--commitment"));
      KZG_TRY(p, parse_hex_argument(args->proof, kBytesPerProof, "--proof"));
      KZG_TRY(s, need_settings());
      KZG_TRY(ok, verify_blob_kzg_proof(*blob, *c, *p, **s));
      out << (*ok ? "valid" : "invalid") << '\n';
      exit_code = *ok ? kExitOk : kExitInvalid;
      return std::nullopt;
    });
  });

  auto* verify_point =
      app.add_subcommand("verify-point", "Check a proof that p(z) == y (verify_kzg_proof); exit 0 valid, 1 invalid");
  verify_point->add_option("--commitment", args->commitment, "Commitment (hex)")->required();
  verify_point->add_option("--z", args->z, "Evaluation point (hex, 32 bytes)")->required();
  verify_point->add_option("--y", args->y, "Claimed value (hex, 32 bytes)")->required();
  verify_point->add_option("--proof", args->proof, "Proof (hex)")->required();
  verify_point->callback([=, &out, &err, &exit_code] {
    run_command(err, exit_code, [&]() -> std::optional<Error> {
      KZG_TRY(c, parse_hex_argument(args->commitment, kBytesPerCommitment, "--commitment"));
      KZG_TRY(z, parse_hex_argument(args->z, kBytesPerFieldElement, "--z"));
      KZG_TRY(y, parse_hex_argument(args->y, kBytesPerFieldElement, "--y"));
      KZG_TRY(p, parse_hex_argument(args->proof, kBytesPerProof, "--proof"));
      KZG_TRY(s, need_settings());
      KZG_TRY(ok, verify_kzg_proof(*c, *z, *y, *p, **s));
      out << (*ok ? "valid" : "invalid") << '\n';
      exit_code = *ok ? kExitOk : kExitInvalid;
      return std::nullopt;
    });
  });
}

}  // namespace kzg::tool
