// The `kzg` subcommands for PeerDAS cells (EIP-7594): computing cells and proofs, recovery, verification.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

#include "tool/blob_commands.hpp"

namespace kzg::tool {

// Registers cells, recover, verify-cells on `app`. Each sets `exit_code` when it runs and uses up to `threads`
// threads (read when it runs: the global --threads option).
void add_cell_commands(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code, const unsigned& threads);

}  // namespace kzg::tool
