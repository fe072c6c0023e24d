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

// The window widths of the fixed-base tables: 13 suits the 4096 Lagrange points (20 windows), 8 the FK20
// tables (128 tables of 64 points, 32 windows: 27 MiB in all).
inline constexpr unsigned kLagrangeMsmWindow = 13;
inline constexpr unsigned kFk20MsmWindow = 8;

struct KzgSettingsOptions {
  // Precompute the FK20 tables for cell proofs at start-up (8192 G1 points, 0.8 MiB). Without them,
  // compute_cells_and_kzg_proofs and recover_cells_and_kzg_proofs are refused.
  bool cell_proofs = true;
  // Precompute fixed-base tables for the Lagrange setup points (about 8.5 MiB): commitments and blob
  // proofs become one bucket pass instead of a windowed MSM. Off: the plain Pippenger MSM.
  bool fixed_base_msm = true;
  // The arithmetic of those tables: the fastest the CPU has, or the portable form (what a table cache stores).
  MsmBackend msm_backend = MsmBackend::kFastest;
};

class KzgSettings;
// Validates sizes and precomputes the domain.
Result<std::shared_ptr<const KzgSettings>> make_kzg_settings(TrustedSetup setup, KzgSettingsOptions options = {});

// Read-only once built: make_kzg_settings fills it, and the spec functions read its tables through the
// accessors (the tables are not part of the engine's interface; engine/kzg.hpp).
class KzgSettings {
 public:
  const TrustedSetup& setup() const { return setup_; }
  // The 4096th roots of unity, natural order (omega^0, omega^1, ...).
  const std::vector<Fr>& roots_of_unity() const { return roots_of_unity_; }
  // The same roots in bit-reversed order: the evaluation domain of blobs (spec: compute_roots_of_unity +
  // bit_reversal_permutation).
  const std::vector<Fr>& roots_of_unity_brp() const { return roots_of_unity_brp_; }
  // bit_reversal_permutation(KZG_SETUP_G1_LAGRANGE): the basis blobs are committed in.
  const std::vector<G1Affine>& g1_lagrange_brp() const { return g1_lagrange_brp_; }
  // Fixed-base tables over g1_lagrange_brp; empty when options.fixed_base_msm is false.
  const G1FixedBaseMsm& lagrange_msm() const { return lagrange_msm_; }
  // The 8192nd roots of unity, natural order: the extended (PeerDAS) domain.
  const std::vector<Fr>& roots_of_unity_ext() const { return roots_of_unity_ext_; }
  // FK20: FFTs of the setup columns (see kzg/fk20.hpp); empty when options.cell_proofs is false.
  const std::vector<G1Affine>& fk20_columns() const { return fk20_columns_; }
  // Fixed-base tables over each frequency's 64 column points (fk20_columns[k*64 .. k*64+63]); empty when
  // options.fixed_base_msm or options.cell_proofs is false.
  const std::vector<G1FixedBaseMsm>& fk20_msm() const { return fk20_msm_; }
  // The fixed G2 points of every verification, with their Miller-loop lines precomputed:
  // -[1]G2, [s]G2 and [s^64]G2.
  const G2Prepared& neg_g2() const { return neg_g2_; }
  const G2Prepared& s_g2() const { return s_g2_; }
  const G2Prepared& s64_g2() const { return s64_g2_; }
  // True when the cell-proof tables were precomputed (KzgSettingsOptions::cell_proofs).
  bool has_cell_proofs() const { return !fk20_columns_.empty(); }
  // g1_lincomb(bit_reversal_permutation(KZG_SETUP_G1_LAGRANGE), scalars), by the fastest available path.
  G1Projective lagrange_lincomb(std::span<const Fr> scalars) const {
    return lagrange_msm_.empty() ? g1_msm(g1_lagrange_brp_, scalars) : lagrange_msm_.msm(scalars);
  }

 private:
  friend Result<std::shared_ptr<const KzgSettings>> make_kzg_settings(TrustedSetup setup, KzgSettingsOptions options);
  friend struct TableCacheAccess;  // kzg/table_cache.cpp: writes these tables to a file and adopts them back
  KzgSettings() = default;
  // What every way of building the settings shares: the domains, the Lagrange basis and the prepared G2 points.
  void derive_small_tables();

  TrustedSetup setup_;
  std::vector<Fr> roots_of_unity_, roots_of_unity_brp_;
  std::vector<G1Affine> g1_lagrange_brp_;
  G1FixedBaseMsm lagrange_msm_;
  std::vector<Fr> roots_of_unity_ext_;
  std::vector<G1Affine> fk20_columns_;
  std::vector<G1FixedBaseMsm> fk20_msm_;
  G2Prepared neg_g2_, s_g2_, s64_g2_;
};

// The embedded mainnet setup, loaded and precomputed.
Result<std::shared_ptr<const KzgSettings>> load_default_kzg_settings(KzgSettingsOptions options = {});

}  // namespace kzg
