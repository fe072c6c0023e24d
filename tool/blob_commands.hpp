// The `kzg` subcommands for people: commitments, proofs and verification of blob files.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "engine/kzg/settings.hpp"

namespace kzg::tool {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // a verification answered false
inline constexpr int kExitUsage = 2;    // bad input or arguments

// Loads the settings when a command first needs them (the setup path comes from the global option).
using SettingsProvider = std::function<const KzgSettings*()>;

// Registers commit, prove, prove-point, verify, verify-point on `app`. Each sets `exit_code` when it runs.
void add_blob_commands(CLI::App& app, const SettingsProvider& settings, std::ostream& out, std::ostream& err,
                       int& exit_code);

}  // namespace kzg::tool
