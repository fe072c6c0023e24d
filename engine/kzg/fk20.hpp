// All 128 cell proofs of a blob at once by the FK20 method (Feist-Khovratovich, "Fast amortized KZG
// proofs"): the proofs are an FFT over G1 of a Toeplitz matrix-vector product, done with FFTs.
//
// For p(X) = sum_t X^(64t) P_t(X) and a cell coset with h^64 = c, the quotient by X^64 - c has commitment
// sum_e c^e H_e with H_e = sum_j sum_s f_(64(s+e+1)+j) [s^(64s+j)]. For each j this is a product of a
// Toeplitz matrix with a vector of setup points, computed as a 128-point circular convolution; the setup
// side of that convolution (its FFT) is fixed and precomputed in KzgSettings.
#pragma once

#include <span>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/curve/fixed_base_msm.hpp"
#include "engine/curve/g1.hpp"
#include "engine/field/fr.hpp"

namespace kzg {

class KzgSettings;

// The fixed FFTs of the setup columns: out[k * 64 + j] = FFT_128(column_j)[k].
std::vector<G1Affine> fk20_precompute(std::span<const G1Affine> g1_monomial, std::span<const Fr> roots_ext);
// Fixed-base MSM tables for each frequency's 64 column points (window kFk20MsmWindow: 27 MiB in all).
std::vector<G1FixedBaseMsm> fk20_fixed_base_tables(std::span<const G1Affine> columns,
                                                   MsmBackend backend = MsmBackend::kFastest);
// The proofs of the 128 cells (cell-index order) of the polynomial with these 4096 coefficients, on up to
// `threads` threads (the column transforms, the 128 MSMs and each layer of the two G1 transforms are shared).
std::vector<KzgProof> fk20_cell_proofs(std::span<const Fr> coeff, const KzgSettings& s, unsigned threads = 1);

}  // namespace kzg
