// `kzg keys new`: makes an API key for kzgd (256 bits from the OS CSPRNG), prints it once, and prints the entry
// for kzgd's keys file, which holds only the key's SHA-256 digest (docs/security.md).
//
//   kzg keys new --name indexer --permissions commit,verify [--expires 2027-01-31T00:00:00Z] [--tier bulk]
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace kzg::tool {

// Registers `keys` with its `new` subcommand on `app`; sets `exit_code` when it runs (2 for bad arguments).
void add_key_commands(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code);

}  // namespace kzg::tool
