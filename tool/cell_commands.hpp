// The `kzg` subcommands for PeerDAS cells (EIP-7594): computing cells and proofs, recovery, verification.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

#include "tool/blob_commands.hpp"

namespace kzg::tool {

// Registers cells, recover, verify-cells on `app`. Each sets `exit_code` when it runs.
void add_cell_commands(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code);

}  // namespace kzg::tool
