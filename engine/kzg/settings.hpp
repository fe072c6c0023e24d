// KzgSettings: the one context object that owns the trusted setup and everything precomputed from it
// (roots of unity, bit-reversal order, later the PeerDAS tables). Built once, shared read-only.
#pragma once

#include <memory>
#include <vector>

#include "common/result.hpp"
#include "field/fr.hpp"
#include "setup/trusted_setup.hpp"

namespace kzg {

struct KzgSettingsOptions {
  // Reserved for precomputation trade-offs (PeerDAS tables); 0 means the default.
  unsigned precompute = 0;
};

struct KzgSettings {
  TrustedSetup setup;
  // The 4096th roots of unity, natural order (omega^0, omega^1, ...).
  std::vector<Fr> roots_of_unity;
  // The same roots in bit-reversed order: the evaluation domain of blobs (spec: compute_roots_of_unity +
  // bit_reversal_permutation).
  std::vector<Fr> roots_of_unity_brp;
  // bit_reversal_permutation(KZG_SETUP_G1_LAGRANGE): the basis blobs are committed in.
  std::vector<G1Affine> g1_lagrange_brp;
};

// Validates sizes and precomputes the domain.
Result<std::shared_ptr<const KzgSettings>> make_kzg_settings(TrustedSetup setup, KzgSettingsOptions options = {});
// The embedded mainnet setup, loaded and precomputed.
Result<std::shared_ptr<const KzgSettings>> load_default_kzg_settings(KzgSettingsOptions options = {});

}  // namespace kzg
