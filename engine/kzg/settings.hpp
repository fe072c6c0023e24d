// KzgSettings: the one context object that owns the trusted setup and everything precomputed from it
// (roots of unity, bit-reversal order, later the PeerDAS tables). Built once, shared read-only.
#pragma once

#include <memory>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/curve/fixed_base_msm.hpp"
#include "engine/field/fr.hpp"
#include "engine/pairing/pairing.hpp"
#include "engine/setup/trusted_setup.hpp"

namespace kzg {

struct KzgSettingsOptions {
  // Precompute the FK20 tables for cell proofs at start-up (8192 G1 points, 0.8 MiB). Without them,
  // compute_cells_and_kzg_proofs and recover_cells_and_kzg_proofs are refused.
  bool cell_proofs = true;
  // Precompute fixed-base tables for the Lagrange setup points (about 8.5 MiB): commitments and blob
  // proofs become one bucket pass instead of a windowed MSM. Off: the plain Pippenger MSM.
  bool fixed_base_msm = true;
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
  // Fixed-base tables over g1_lagrange_brp; empty when options.fixed_base_msm is false.
  G1FixedBaseMsm lagrange_msm;
  // The 8192nd roots of unity, natural order: the extended (PeerDAS) domain.
  std::vector<Fr> roots_of_unity_ext;
  // FK20: FFTs of the setup columns (see kzg/fk20.hpp); empty when options.cell_proofs is false.
  std::vector<G1Affine> fk20_columns;
  // Fixed-base tables over each frequency's 64 column points (fk20_columns[k*64 .. k*64+63]); empty when
  // options.fixed_base_msm or options.cell_proofs is false.
  std::vector<G1FixedBaseMsm> fk20_msm;
  // The fixed G2 points of every verification, with their Miller-loop lines precomputed:
  // -[1]G2, [s]G2 and [s^64]G2.
  G2Prepared neg_g2, s_g2, s64_g2;
  // g1_lincomb(bit_reversal_permutation(KZG_SETUP_G1_LAGRANGE), scalars), by the fastest available path.
  G1Projective lagrange_lincomb(std::span<const Fr> scalars) const {
    return lagrange_msm.empty() ? g1_msm(g1_lagrange_brp, scalars) : lagrange_msm.msm(scalars);
  }
};

// Validates sizes and precomputes the domain.
Result<std::shared_ptr<const KzgSettings>> make_kzg_settings(TrustedSetup setup, KzgSettingsOptions options = {});
// The embedded mainnet setup, loaded and precomputed.
Result<std::shared_ptr<const KzgSettings>> load_default_kzg_settings(KzgSettingsOptions options = {});

}  // namespace kzg
