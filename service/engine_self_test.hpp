// The engine's known-answer self-test, run once at start-up before kzgd turns ready and by GET /debug/health:
//
//   1. blob_to_kzg_commitment of the blob whose every field element is 1 must be the G1 generator (its
//      polynomial is the constant 1 and the Lagrange setup points sum to [1]G1): a check of the Lagrange
//      setup points and of the commitment MSM against a constant written here, not computed by the engine
//   2. compute_blob_kzg_proof of a non-constant blob must verify (verify_blob_kzg_proof), which needs the
//      G2 setup points to agree with the Lagrange ones, and the Lagrange points to be in their right places
//   3. that proof must not verify against the commitment of test 1 (verification is not vacuous)
//
// A corrupted or mismatched trusted setup fails it. It takes a few milliseconds.
#pragma once

#include <optional>

#include "engine/common/result.hpp"
#include "engine/kzg/settings.hpp"

namespace kzgd {

// nullopt when every check passed, else the first that failed.
std::optional<kzg::Error> run_engine_self_test(const kzg::KzgSettings& settings);

}  // namespace kzgd
