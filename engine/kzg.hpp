// The engine's public interface: everything a program needs to commit to and prove blobs (EIP-4844) and cells
// (EIP-7594) with the consensus specs' functions. Link kzg::engine (docs/architecture.md).
//
//   auto settings = kzg::load_default_kzg_settings();          // the embedded mainnet setup
//   if (!settings) ... settings.error().message ...
//   auto commitment = kzg::blob_to_kzg_commitment(blob, **settings);
//
// Every function returns a kzg::Result: the value, or an Error with its ErrorCode, a message and the parameter
// at fault. The layer headers included here are installed too, but only what this header declares is the
// interface other projects should rely on.
#pragma once

#include "engine/common/bytes.hpp"         // the spec's byte sizes and fixed-size byte arrays
#include "engine/common/error_code.hpp"    // kzg::ErrorCode
#include "engine/common/result.hpp"        // kzg::Result, kzg::Error
#include "engine/kzg/eip4844.hpp"          // deneb: blob_to_kzg_commitment, compute_kzg_proof, verify_*, ...
#include "engine/kzg/eip7594.hpp"          // fulu: compute_cells_and_kzg_proofs, recover_cells_*, verify_cell_*
#include "engine/kzg/settings.hpp"         // KzgSettings, load_default_kzg_settings, make_kzg_settings
#include "engine/setup/trusted_setup.hpp"  // loading a setup from text or JSON
