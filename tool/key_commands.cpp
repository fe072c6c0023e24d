#include "tool/key_commands.hpp"

#include <chrono>
#include <memory>

#include "service/security/api_key.hpp"
#include "tool/blob_commands.hpp"

namespace kzg::tool {
namespace {

struct KeyOptions {
  std::string name;
  std::string permissions;
  std::string expires;
  std::string tier;
};

int run_new_key(const KeyOptions& o, std::ostream& out, std::ostream& err) {
  kzgd::NewApiKeyRequest request;
  request.name = o.name;
  request.tier = o.tier;
  const auto permissions = kzgd::parse_permissions(o.permissions);
  if (!permissions) {
    err << "kzg keys new: --permissions: " << permissions.error().message << '\n';
    return kExitUsage;
  }
  request.permissions = *permissions;
  if (!o.expires.empty()) {
    request.expires = kzgd::parse_rfc3339(o.expires);
    if (!request.expires) {
      err << "kzg keys new: --expires: expected an RFC 3339 date-time such as 2027-01-31T00:00:00Z, got \"" << o.expires
          << "\"\n";
      return kExitUsage;
    }
    if (*request.expires <= std::chrono::system_clock::now()) {
      err << "kzg keys new: --expires: " << o.expires << " is in the past\n";
      return kExitUsage;
    }
  }
  const auto made = kzgd::new_api_key(request);
  if (!made) {
    err << "kzg keys new: --" << made.error().field << ": " << made.error().message << '\n';
    return kExitUsage;
  }
  out << "# The API key for \"" << request.name << "\". It is shown only now: kzgd stores only its SHA-256.\n"
      << made->key << "\n"
      << "# Add this entry under \"keys:\" in kzgd's keys file (auth.keys_file), then send kzgd SIGHUP:\n"
      << made->entry;
  return kExitOk;
}

}  // namespace

void add_key_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto* keys = app.add_subcommand("keys", "API keys for kzgd");
  keys->require_subcommand(1);
  auto options = std::make_shared<KeyOptions>();
  auto* create = keys->add_subcommand("new", "Make an API key; print it once and print its keys-file entry");
  create->add_option("--name", options->name, "The key's name (1 to 64 of [A-Za-z0-9._-])")->required();
  create
      ->add_option("--permissions", options->permissions, "Comma-separated: commit, prove, verify, cells, batch, admin")
      ->required();
  create->add_option("--expires", options->expires, "Expiry, an RFC 3339 date-time (e.g. 2027-01-31T00:00:00Z)");
  create->add_option("--tier", options->tier, "A rate-limit tier named in kzgd's rate_limit.tiers");
  create->callback([options, &out, &err, &exit_code] { exit_code = run_new_key(*options, out, err); });
}

}  // namespace kzg::tool
