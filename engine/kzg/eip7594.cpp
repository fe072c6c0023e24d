// consensus-specs, specs/fulu/polynomial-commitments-sampling.md.
#include "engine/kzg/eip7594.hpp"

#include <algorithm>
#include <optional>

#include "engine/common/parallel.hpp"
#include "engine/common/sha256.hpp"
#include "engine/kzg/decode.hpp"
#include "engine/kzg/fk20.hpp"
#include "engine/pairing/pairing.hpp"
#include "engine/poly/domain.hpp"
#include "engine/poly/fft.hpp"

namespace kzg {
namespace {

constexpr std::string_view kCellBatchDomain = "RCKZGCBATCH__V1_";
constexpr unsigned kLog2Cells = 7;  // CELLS_PER_EXT_BLOB == 2^7

template <std::size_t N>
std::array<std::uint8_t, N> be_bytes(std::uint64_t v) {
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < 8 && i < N; ++i) out[N - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
  return out;
}

std::string indexed(const char* name, std::size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

// "cell_to_coset_evals"
std::optional<Error> cell_to_coset_evals(std::span<Fr> out, std::span<const std::uint8_t> cell,
                                         const std::string& field) {
  if (cell.size() != kBytesPerCell)
    return make_error(ErrorCode::invalid_length,
                      "expected " + std::to_string(kBytesPerCell) + " bytes, got " + std::to_string(cell.size()),
                      field);
  for (std::size_t i = 0; i < kFieldElementsPerCell; ++i)
    if (!Fr::from_bytes_be(out[i], std::span<const std::uint8_t, 32>(cell.data() + 32 * i, 32)))
      return make_error(ErrorCode::invalid_field_element,
                        "field element " + std::to_string(i) + " is not canonical (>= BLS_MODULUS)", field);
  return std::nullopt;
}

// "polynomial_eval_to_coeff": blob evaluations (bit-reversed domain) to the 4096 monomial coefficients.
std::vector<Fr> polynomial_eval_to_coeff(std::vector<Fr> poly, const KzgSettings& s) {
  fft_fr_from_bit_reversed(poly, s.roots_of_unity(), /*inverse=*/true);
  return poly;
}

// The extension's 8192 evaluations in bit-reversed order, cut into cells. In that order the first 4096 are the
// evaluations on the blob domain (bit-reversed: the blob itself) and the last 4096 those on the coset w_8192 *
// <w_4096>, so two 4096-point transforms replace the 8192-point one, and with the blob at hand its half is
// copied, not computed. `blob`, when given, holds the validated evaluations these coefficients came from.
std::vector<Cell> cells_from_coeff(std::span<const Fr> coeff, const KzgSettings& s,
                                   std::span<const std::uint8_t> blob = {}) {
  constexpr std::size_t n = kFieldElementsPerBlob;
  std::vector<Cell> cells(kCellsPerExtBlob);
  const auto write_half = [&](std::span<const Fr> values, std::size_t first_cell) {
    for (std::size_t i = 0; i < n; ++i)
      values[i].to_bytes_be(std::span<std::uint8_t, 32>(
          cells[first_cell + i / kFieldElementsPerCell].data() + 32 * (i % kFieldElementsPerCell), 32));
  };
  std::vector<Fr> half(n);
  if (blob.size() == kBytesPerBlob) {
    for (std::size_t c = 0; c < kCellsPerExtBlob / 2; ++c)
      std::copy_n(blob.data() + c * kBytesPerCell, kBytesPerCell, cells[c].data());
  } else {
    std::copy(coeff.begin(), coeff.end(), half.begin());
    fft_fr(half, s.roots_of_unity());
    bit_reversal_permutation(std::span<Fr>(half));
    write_half(half, 0);
  }
  // p(w_8192 w_4096^k) = sum_i (c_i w_8192^i) w_4096^(ik).
  for (std::size_t i = 0; i < n; ++i) half[i] = coeff[i] * s.roots_of_unity_ext()[i];
  fft_fr(half, s.roots_of_unity());
  bit_reversal_permutation(std::span<Fr>(half));
  write_half(half, kCellsPerExtBlob / 2);
  return cells;
}

Error cell_proofs_disabled() {
  return make_error(ErrorCode::cell_proofs_disabled, "cell proofs are disabled in this configuration (no FK20 tables)");
}

// "compute_cells_and_kzg_proofs_polynomialcoeff"
Result<CellsAndProofs> cells_and_proofs_from_coeff(std::span<const Fr> coeff, const KzgSettings& s,
                                                   std::span<const std::uint8_t> blob, unsigned threads) {
  if (s.fk20_columns().empty()) return cell_proofs_disabled();
  CellsAndProofs out;
  out.cells = cells_from_coeff(coeff, s, blob);
  out.proofs = fk20_cell_proofs(coeff, s, threads);
  return out;
}

Result<std::vector<Fr>> blob_to_coeff(std::span<const std::uint8_t> blob, const KzgSettings& s) {
  std::vector<Fr> poly;
  if (auto e = blob_to_polynomial(poly, blob, "blob")) return *e;
  return polynomial_eval_to_coeff(std::move(poly), s);
}

// The given cells, validated ("recover_cells_and_kzg_proofs" assertions) and decoded: the 8192 evaluations in
// bit-reversed order (zero where a cell is missing) and which cells are present.
struct RecoveryInput {
  std::vector<Fr> evals_rbo;
  std::vector<bool> present;
};

Result<RecoveryInput> decode_recovery_input(std::span<const std::uint64_t> cell_indices, ByteSpans cells) {
  if (cell_indices.size() != cells.size())
    return make_error(ErrorCode::length_mismatch, "cell_indices and cells must have the same length", "cells");
  if (cell_indices.size() < kCellsPerExtBlob / 2 || cell_indices.size() > kCellsPerExtBlob)
    return make_error(ErrorCode::invalid_cell_count,
                      "need between " + std::to_string(kCellsPerExtBlob / 2) + " and " +
                          std::to_string(kCellsPerExtBlob) + " cells to recover, got " +
                          std::to_string(cell_indices.size()),
                      "cell_indices");
  for (std::size_t k = 0; k < cell_indices.size(); ++k) {
    if (cell_indices[k] >= kCellsPerExtBlob)
      return make_error(ErrorCode::invalid_cell_index,
                        "cell index " + std::to_string(cell_indices[k]) + " is not below 128",
                        indexed("cell_indices", k));
    if (k > 0 && cell_indices[k] <= cell_indices[k - 1])
      return make_error(
          ErrorCode::invalid_cell_index,
          cell_indices[k] == cell_indices[k - 1] ? "duplicate cell index" : "cell indices must be in ascending order",
          indexed("cell_indices", k));
  }
  RecoveryInput in{std::vector<Fr>(kFieldElementsPerExtBlob, Fr::zero()), std::vector<bool>(kCellsPerExtBlob, false)};
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const std::size_t ci = cell_indices[k];
    if (auto e =
            cell_to_coset_evals(std::span<Fr>(in.evals_rbo).subspan(ci * kFieldElementsPerCell, kFieldElementsPerCell),
                                cells[k], indexed("cells", k)))
      return *e;
    in.present[ci] = true;
  }
  return in;
}

// "recover_polynomialcoeff": the erasure decoding, from any half of the cells.
std::vector<Fr> recover_polynomialcoeff(RecoveryInput in, const KzgSettings& s) {
  constexpr std::size_t n = kFieldElementsPerExtBlob;
  std::vector<Fr>& evals_rbo = in.evals_rbo;
  const std::vector<bool>& present = in.present;
  // "construct_vanishing_polynomial": Z(X) = prod over missing cells i of (X^64 - w_128^rev(i)).
  const std::vector<Fr> roots128 = compute_roots_of_unity(kCellsPerExtBlob);
  std::vector<Fr> missing_roots;
  for (std::size_t i = 0; i < kCellsPerExtBlob; ++i)
    if (!present[i]) missing_roots.push_back(roots128[reverse_bits(i, kLog2Cells)]);
  const std::vector<Fr> short_zero = vanishing_polynomialcoeff(missing_roots);
  std::vector<Fr> zero_coeff(n, Fr::zero());
  for (std::size_t i = 0; i < short_zero.size(); ++i) zero_coeff[i * kFieldElementsPerCell] = short_zero[i];
  std::vector<Fr> zero_eval = zero_coeff;
  fft_fr(zero_eval, s.roots_of_unity_ext());

  bit_reversal_permutation(std::span<Fr>(evals_rbo));  // now natural order
  std::vector<Fr>& ez = evals_rbo;
  for (std::size_t i = 0; i < n; ++i) ez[i] *= zero_eval[i];
  fft_fr(ez, s.roots_of_unity_ext(), /*inverse=*/true);
  coset_fft_fr(ez, s.roots_of_unity_ext());
  coset_fft_fr(zero_coeff, s.roots_of_unity_ext());
  batch_inverse(zero_coeff.data(), zero_coeff.data(), n);  // Z never vanishes on the coset
  for (std::size_t i = 0; i < n; ++i) ez[i] *= zero_coeff[i];
  coset_fft_fr(ez, s.roots_of_unity_ext(), /*inverse=*/true);
  ez.resize(kFieldElementsPerBlob);
  return std::move(ez);
}

// The fast path: with the 64 data cells all given, they are the blob, and the polynomial is its inverse
// transform. Returns the coefficients and the 128 cells, or nullopt when a data cell is missing or another cell
// given differs from the extension (then only the erasure decoding gives the spec's answer).
struct Recovered {
  std::vector<Fr> coeff;
  std::vector<Cell> cells;
};

std::optional<Recovered> recover_from_data_cells(std::span<const std::uint64_t> cell_indices, ByteSpans cells,
                                                 const RecoveryInput& in, const KzgSettings& s) {
  constexpr std::size_t data_cells = kCellsPerExtBlob / 2;
  for (std::size_t i = 0; i < data_cells; ++i)
    if (!in.present[i]) return std::nullopt;
  // Indices are strictly increasing, so the data cells are cells[0..63], in order.
  std::vector<std::uint8_t> blob(kBytesPerBlob);
  for (std::size_t c = 0; c < data_cells; ++c)
    std::copy_n(cells[c].data(), kBytesPerCell, blob.data() + c * kBytesPerCell);
  Recovered out;
  out.coeff =
      polynomial_eval_to_coeff(std::vector<Fr>(in.evals_rbo.begin(), in.evals_rbo.begin() + kFieldElementsPerBlob), s);
  out.cells = cells_from_coeff(out.coeff, s, blob);
  for (std::size_t k = data_cells; k < cell_indices.size(); ++k)
    if (!std::equal(cells[k].begin(), cells[k].end(), out.cells[cell_indices[k]].begin())) return std::nullopt;
  return out;
}

// "compute_verify_cell_kzg_proof_batch_challenge" over validated inputs.
// `hash_cell(h, k)` feeds h the 2048 canonical bytes of cell k (the encoding of its 64 evaluations), from
// wherever the caller holds them.
template <class HashCell>
Fr cell_batch_challenge(std::span<const Bytes48> commitments, std::span<const std::uint64_t> commitment_indices,
                        std::span<const std::uint64_t> cell_indices, const HashCell& hash_cell,
                        std::span<const Bytes48> proofs) {
  Sha256 h;
  h.update(kCellBatchDomain)
      .update(be_bytes<8>(kFieldElementsPerBlob))
      .update(be_bytes<8>(kFieldElementsPerCell))
      .update(be_bytes<8>(commitments.size()))
      .update(be_bytes<8>(cell_indices.size()));
  for (const auto& c : commitments) h.update(c);
  for (std::size_t k = 0; k < cell_indices.size(); ++k) {
    h.update(be_bytes<8>(commitment_indices[k])).update(be_bytes<8>(cell_indices[k]));
    hash_cell(h, k);
    h.update(proofs[k]);
  }
  return hash_to_bls_field(h.finish());
}

// The coset shift h of a cell is w_8192^e for e = reverse_bits(cell index, 7) < 128, so its powers h^j
// (any j, negative included) are entries of the 8192 roots of unity.
const Fr& coset_shift_power(std::size_t cell_index, std::int64_t j, const KzgSettings& s) {
  const auto e = static_cast<std::int64_t>(reverse_bits(cell_index, kLog2Cells));
  constexpr auto m = static_cast<std::int64_t>(kFieldElementsPerExtBlob);
  return s.roots_of_unity_ext()[static_cast<std::size_t>(((e * j) % m + m) % m)];
}

// "verify_cell_kzg_proof_batch_impl" checks e(sum r^k proof_k, [s^64]) == e(RL, G2) with
// RL = sum_i w_i C_i - [sum_k r^k I_k(s)] + sum_k r^k h_k^64 proof_k. This gives the middle term's scalars:
// the coefficients of -sum_k r^k I_k(X), for the setup's first 64 monomial points. Cells sharing a coset are
// combined first, then one inverse FFT per coset; 1/64 rides on the powers of r, h^-m comes from the roots.
std::vector<Fr> interpolation_scalars(std::span<const std::uint64_t> cell_indices, std::span<const Fr> evals,
                                      std::span<const Fr> r_powers, const KzgSettings& s, unsigned threads) {
  constexpr std::size_t n = kFieldElementsPerCell;
  const Fr inv_n = Fr::from_u64(n).inverse();
  std::vector<Fr> per_coset(kCellsPerExtBlob * n, Fr::zero());
  std::vector<bool> used(kCellsPerExtBlob, false);
  for (std::size_t k = 0; k < cell_indices.size(); ++k) {
    const std::size_t ci = cell_indices[k];
    used[ci] = true;
    const Fr rk = r_powers[k] * inv_n;
    for (std::size_t i = 0; i < n; ++i) per_coset[ci * n + i] += rk * evals[k * n + i];
  }
  std::vector<std::size_t> cosets;
  for (std::size_t ci = 0; ci < kCellsPerExtBlob; ++ci)
    if (used[ci]) cosets.push_back(ci);
  // A cell holds I(h w_64^rev(j)) at position j: the inverse FFT of the bit-reversed values gives I(hX); its
  // coefficient m times h^-m gives I's.
  parallel_for_each_index(cosets.size(), threads, [&](std::size_t c) {
    std::span<Fr> v(per_coset.data() + cosets[c] * n, n);
    fft_fr_from_bit_reversed(v, s.roots_of_unity_ext(), /*inverse=*/true, /*divide_by_n=*/false);
    for (std::size_t m = 1; m < n; ++m) v[m] *= coset_shift_power(cosets[c], -static_cast<std::int64_t>(m), s);
  });
  std::vector<Fr> interp(n, Fr::zero());
  for (const std::size_t ci : cosets)
    for (std::size_t m = 0; m < n; ++m) interp[m] -= per_coset[ci * n + m];
  return interp;
}

}  // namespace

Result<std::vector<Cell>> compute_cells(std::span<const std::uint8_t> blob, const KzgSettings& s) {
  auto coeff = blob_to_coeff(blob, s);
  if (!coeff) return coeff.error();
  return cells_from_coeff(*coeff, s, blob);
}

Result<CellsAndProofs> compute_cells_and_kzg_proofs(std::span<const std::uint8_t> blob, const KzgSettings& s,
                                                    unsigned threads) {
  auto coeff = blob_to_coeff(blob, s);
  if (!coeff) return coeff.error();
  return cells_and_proofs_from_coeff(*coeff, s, blob, threads);
}

Result<CellsAndProofs> recover_cells_and_kzg_proofs(std::span<const std::uint64_t> cell_indices, ByteSpans cells,
                                                    const KzgSettings& s, unsigned threads) {
  auto in = decode_recovery_input(cell_indices, cells);
  if (!in) return in.error();
  if (s.fk20_columns().empty()) return cell_proofs_disabled();
  if (auto fast = recover_from_data_cells(cell_indices, cells, *in, s)) {
    CellsAndProofs out;
    out.proofs = fk20_cell_proofs(fast->coeff, s, threads);
    out.cells = std::move(fast->cells);
    return out;
  }
  return cells_and_proofs_from_coeff(recover_polynomialcoeff(std::move(in).value(), s), s, {}, threads);
}

Result<std::vector<Cell>> recover_cells(std::span<const std::uint64_t> cell_indices, ByteSpans cells,
                                        const KzgSettings& s) {
  auto in = decode_recovery_input(cell_indices, cells);
  if (!in) return in.error();
  if (auto fast = recover_from_data_cells(cell_indices, cells, *in, s)) return std::move(fast->cells);
  return cells_from_coeff(recover_polynomialcoeff(std::move(in).value(), s), s);
}

Result<std::vector<Cell>> detail::recover_cells_by_erasure_decoding(std::span<const std::uint64_t> cell_indices,
                                                                    ByteSpans cells, const KzgSettings& s) {
  auto in = decode_recovery_input(cell_indices, cells);
  if (!in) return in.error();
  return cells_from_coeff(recover_polynomialcoeff(std::move(in).value(), s), s);
}

Result<bool> verify_cell_kzg_proof_batch(ByteSpans commitments, std::span<const std::uint64_t> cell_indices,
                                         ByteSpans cells, ByteSpans proofs, const KzgSettings& s, unsigned threads) {
  const std::size_t num = cells.size();
  if (commitments.size() != num || cell_indices.size() != num || proofs.size() != num)
    return make_error(ErrorCode::length_mismatch,
                      "commitments, cell_indices, cells and proofs must have the same length",
                      commitments.size() != num    ? "commitments"
                      : cell_indices.size() != num ? "cell_indices"
                                                   : "proofs");
  // Pass 1, in order: the cheap checks and "deduplicate commitments" (index of the first equal commitment;
  // each distinct one is decoded once, at its first cell).
  std::vector<Bytes48> unique_bytes;
  std::vector<std::size_t> unique_first;  // the cell where each distinct commitment first appears
  std::vector<std::uint64_t> commitment_indices(num);
  std::vector<std::optional<Error>> cheap_errors(num);
  std::size_t checked = num;  // cells before the first cheap error
  for (std::size_t k = 0; k < num; ++k) {
    if (cell_indices[k] >= kCellsPerExtBlob) {
      cheap_errors[k] =
          make_error(ErrorCode::invalid_cell_index,
                     "cell index " + std::to_string(cell_indices[k]) + " is not below 128", indexed("cell_indices", k));
    } else if (commitments[k].size() != kBytesPerCommitment) {
      cheap_errors[k] =
          make_error(ErrorCode::invalid_length, "expected 48 bytes, got " + std::to_string(commitments[k].size()),
                     indexed("commitments", k));
    }
    if (cheap_errors[k]) {
      checked = k;
      break;
    }
    Bytes48 cb;
    std::copy(commitments[k].begin(), commitments[k].end(), cb.begin());
    const auto it = std::find(unique_bytes.begin(), unique_bytes.end(), cb);
    commitment_indices[k] = static_cast<std::uint64_t>(it - unique_bytes.begin());
    if (it == unique_bytes.end()) {
      unique_bytes.push_back(cb);
      unique_first.push_back(k);
    }
  }
  // Pass 2: what needs the points (decoding the distinct commitments and the proofs, the slow part) runs beside
  // what needs only bytes (the cells' evaluations, the challenge r and the interpolation scalars). On a failed
  // check the second side's results are dropped.
  std::vector<G1Affine> unique_points(unique_bytes.size());
  std::vector<std::optional<Error>> commitment_errors(unique_bytes.size());
  std::vector<G1Affine> proof_points(checked);
  std::vector<std::optional<Error>> cell_errors(checked), proof_errors(checked);
  std::vector<Bytes48> proof_bytes(checked);
  for (std::size_t k = 0; k < checked; ++k)
    if (proofs[k].size() == kBytesPerProof) std::copy(proofs[k].begin(), proofs[k].end(), proof_bytes[k].begin());
  std::vector<Fr> evals(checked * kFieldElementsPerCell);
  std::vector<Fr> r_powers;
  std::vector<Fr> interpolation;
  const auto points_side = [&] {
    std::vector<std::span<const std::uint8_t>> unique_spans;
    unique_spans.reserve(unique_bytes.size());
    for (const auto& b : unique_bytes) unique_spans.emplace_back(b);
    bytes_to_g1_batch(
        unique_spans, unique_points, commitment_errors,
        [&](std::size_t u) { return indexed("commitments", unique_first[u]); }, threads);
    bytes_to_g1_batch(
        proofs.first(checked), proof_points, proof_errors, [](std::size_t k) { return indexed("proofs", k); }, threads);
  };
  const auto bytes_side = [&] {
    parallel_for_each_index(checked, threads, [&](std::size_t k) {
      cell_errors[k] =
          cell_to_coset_evals(std::span<Fr>(evals).subspan(k * kFieldElementsPerCell, kFieldElementsPerCell), cells[k],
                              indexed("cells", k));
    });
    if (checked < num || checked == 0) return;
    for (const auto& e : cell_errors)
      if (e) return;
    // The cells were checked canonical, so their bytes are the evaluations' encodings.
    const Fr r = cell_batch_challenge(
        unique_bytes, commitment_indices, cell_indices, [&](Sha256& h, std::size_t k) { h.update(cells[k]); },
        proof_bytes);
    r_powers = compute_powers(r, num);
    interpolation = interpolation_scalars(cell_indices, evals, r_powers, s, threads);
  };
  parallel_invoke_all(threads, points_side, bytes_side);
  // The first error in the order a one-by-one pass meets them: per cell, its commitment, its cell, its proof.
  for (std::size_t k = 0; k < checked; ++k) {
    const std::size_t u = commitment_indices[k];
    if (unique_first[u] == k && commitment_errors[u]) return std::move(*commitment_errors[u]);
    if (cell_errors[k]) return std::move(*cell_errors[k]);
    if (proof_errors[k]) return std::move(*proof_errors[k]);
  }
  if (checked < num) return std::move(*cheap_errors[checked]);
  if (num == 0) return true;

  // LL = sum_k r^k proof_k, and RL: the commitments weighted by the sum of the powers of r of their cells,
  // the proofs by r^k h_k^64 and the monomial points by the interpolation scalars.
  G1Projective ll, rl;
  parallel_invoke_all(
      threads, [&] { ll = g1_msm(proof_points, r_powers); },
      [&] {
        std::vector<G1Affine> points(unique_points.begin(), unique_points.end());
        std::vector<Fr> scalars(unique_points.size(), Fr::zero());
        for (std::size_t k = 0; k < num; ++k) scalars[commitment_indices[k]] += r_powers[k];
        points.insert(points.end(), proof_points.begin(), proof_points.end());
        for (std::size_t k = 0; k < num; ++k)
          scalars.push_back(r_powers[k] * coset_shift_power(cell_indices[k], kFieldElementsPerCell, s));
        const auto monomial = std::span(s.setup().g1_monomial).first(kFieldElementsPerCell);
        points.insert(points.end(), monomial.begin(), monomial.end());
        scalars.insert(scalars.end(), interpolation.begin(), interpolation.end());
        rl = g1_msm(points, scalars);
      });
  const G1Affine ps[2] = {ll.to_affine(), rl.to_affine()};
  const G2Prepared* qs[2] = {&s.s64_g2(), &s.neg_g2()};
  return pairing_product_is_one(ps, qs);
}

Result<Bytes32> compute_verify_cell_kzg_proof_batch_challenge(
    ByteSpans commitments, std::span<const std::uint64_t> commitment_indices,
    std::span<const std::uint64_t> cell_indices,
    std::span<const std::vector<std::span<const std::uint8_t>>> cosets_evals, ByteSpans proofs) {
  const std::size_t num = cell_indices.size();
  if (commitment_indices.size() != num || cosets_evals.size() != num || proofs.size() != num)
    return make_error(ErrorCode::length_mismatch,
                      "commitment_indices, cell_indices, cosets_evals and proofs must have the same length",
                      "cell_indices");
  std::vector<Bytes48> cs(commitments.size()), ps(num);
  for (std::size_t i = 0; i < commitments.size(); ++i) {
    if (commitments[i].size() != 48)
      return make_error(ErrorCode::invalid_length, "expected 48 bytes", indexed("commitments", i));
    std::copy(commitments[i].begin(), commitments[i].end(), cs[i].begin());
  }
  for (std::size_t k = 0; k < num; ++k) {
    if (commitment_indices[k] >= commitments.size())
      return make_error(ErrorCode::invalid_commitment_index, "no such commitment", indexed("commitment_indices", k));
    if (cell_indices[k] >= kCellsPerExtBlob)
      return make_error(ErrorCode::invalid_cell_index, "cell index is not below 128", indexed("cell_indices", k));
    if (cosets_evals[k].size() != kFieldElementsPerCell)
      return make_error(ErrorCode::invalid_length, "expected 64 field elements", indexed("cosets_evals", k));
    for (std::size_t i = 0; i < kFieldElementsPerCell; ++i) {
      auto x = bytes_to_bls_field(cosets_evals[k][i], indexed("cosets_evals", k) + "[" + std::to_string(i) + "]");
      if (!x) return x.error();
    }
    if (proofs[k].size() != 48) return make_error(ErrorCode::invalid_length, "expected 48 bytes", indexed("proofs", k));
    std::copy(proofs[k].begin(), proofs[k].end(), ps[k].begin());
  }
  // Every element was checked to be 32 canonical bytes, so the bytes as given are the evaluations' encodings.
  const auto hash_cell = [&](Sha256& h, std::size_t k) {
    for (const auto& element : cosets_evals[k]) h.update(element);
  };
  return bls_field_to_bytes(cell_batch_challenge(cs, commitment_indices, cell_indices, hash_cell, ps));
}

}  // namespace kzg
