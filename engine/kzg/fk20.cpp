#include "engine/kzg/fk20.hpp"

#include "engine/common/parallel.hpp"
#include "engine/kzg/settings.hpp"
#include "engine/poly/domain.hpp"
#include "engine/poly/fft.hpp"

namespace kzg {
namespace {

constexpr std::size_t kL = kFieldElementsPerCell;            // 64: coset size
constexpr std::size_t kChunks = kFieldElementsPerBlob / kL;  // 64: blocks of coefficients
constexpr std::size_t kM = 2 * kChunks;                      // 128: circulant size
static_assert(kM == kCellsPerExtBlob);

}  // namespace

std::vector<G1Affine> fk20_precompute(std::span<const G1Affine> g1_monomial, std::span<const Fr> roots_ext) {
  std::vector<G1Projective> cols(kL * kM);
  // The 64 column FFTs are independent: one per task, on every core.
  parallel_for_each_index(kL, kAllCores, [&](std::size_t j) {
    std::vector<G1Projective> v(kM);
    // column_j[s'] = [s^(64 (62 - s') + j)] for s' <= 62, zero beyond: the reversed Toeplitz generator.
    for (std::size_t i = 0; i < kM; ++i)
      v[i] = i + 1 < kChunks ? G1Projective::from_affine(g1_monomial[(kChunks - 2 - i) * kL + j])
                             : G1Projective::identity();
    fft_g1(v, roots_ext);
    for (std::size_t k = 0; k < kM; ++k) cols[k * kL + j] = v[k];
  });
  std::vector<G1Affine> out(cols.size());
  g1_batch_to_affine(out, cols);
  return out;
}

std::vector<G1FixedBaseMsm> fk20_fixed_base_tables(std::span<const G1Affine> columns, MsmBackend backend) {
  std::vector<G1FixedBaseMsm> tables(kM);
  parallel_for_each_index(kM, kAllCores, [&](std::size_t k) {
    tables[k] = G1FixedBaseMsm(columns.subspan(k * kL, kL), kFk20MsmWindow, backend);
  });
  return tables;
}

std::vector<KzgProof> fk20_cell_proofs(std::span<const Fr> coeff, const KzgSettings& s, unsigned threads) {
  // Scalar side: the FFT of each coefficient column, scaled by 1/128 for the unnormalized inverse below.
  std::vector<Fr> ahat(kM * kL);
  const Fr m_inv = Fr::from_u64(kM).inverse();
  parallel_for_each_index(kL, threads, [&](std::size_t j) {
    std::vector<Fr> a(kM);
    for (std::size_t t = 0; t < kM; ++t) a[t] = t < kChunks ? coeff[t * kL + j] : Fr::zero();
    fft_fr(a, s.roots_of_unity_ext());
    for (std::size_t k = 0; k < kM; ++k) ahat[k * kL + j] = a[k] * m_inv;
  });
  // Pointwise products summed over the columns: one 64-point MSM per frequency.
  std::vector<G1Projective> u(kM);
  parallel_for_each_index(kM, threads, [&](std::size_t k) {
    const auto scalars = std::span<const Fr>(ahat).subspan(k * kL, kL);
    u[k] = s.fk20_msm().empty() ? g1_msm(std::span<const G1Affine>(s.fk20_columns()).subspan(k * kL, kL), scalars)
                                : s.fk20_msm()[k].msm(scalars);
  });
  fft_g1(u, s.roots_of_unity_ext(), /*inverse=*/true, threads);
  // H_e = u[e + 63] for e <= 62; the proofs are the FFT of H, found at bit-reversed positions.
  std::vector<G1Projective> h(kM, G1Projective::identity());
  for (std::size_t e = 0; e + 1 < kChunks; ++e) h[e] = u[e + kChunks - 1];
  fft_g1(h, s.roots_of_unity_ext(), /*inverse=*/false, threads);
  std::vector<G1Affine> affine(kM);
  g1_batch_to_affine(affine, h);
  std::vector<KzgProof> proofs(kCellsPerExtBlob);
  for (std::size_t i = 0; i < kCellsPerExtBlob; ++i) g1_compress(proofs[i], affine[reverse_bits(i, 7)]);
  return proofs;
}

}  // namespace kzg
