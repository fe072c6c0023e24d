// consensus-specs, specs/deneb/polynomial-commitments.md, section by section.
#include "engine/kzg/eip4844.hpp"

#include <optional>

#include "engine/common/parallel.hpp"
#include "engine/common/sha256.hpp"
#include "engine/kzg/decode.hpp"
#include "engine/pairing/pairing.hpp"
#include "engine/poly/evaluation.hpp"

namespace kzg {
namespace {

constexpr std::string_view kFiatShamirDomain = "FSBLOBVERIFY_V1_";
constexpr std::string_view kBatchDomain = "RCKZGBATCH___V1_";

// int.to_bytes(v, N, "big")
template <std::size_t N>
std::array<std::uint8_t, N> be_bytes(std::uint64_t v) {
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < 8 && i < N; ++i) out[N - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
  return out;
}

// "compute_challenge" on already-validated lengths.
Fr challenge(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> commitment) {
  Sha256 h;
  h.update(kFiatShamirDomain).update(be_bytes<16>(kFieldElementsPerBlob)).update(blob).update(commitment);
  return hash_to_bls_field(h.finish());
}

// "verify_kzg_proof_impl": the spec checks e(C - [y]G1, -G2) * e(proof, [s - z]G2) == 1. By bilinearity
// e(proof, [s - z]G2) == e(proof, [s]G2) * e([z]proof, -G2), so the same check is
// e(C - [y]G1 + [z]proof, -G2) * e(proof, [s]G2) == 1, with G1 work only and both G2 points fixed.
bool verify_kzg_proof_impl(const G1Affine& commitment, const Fr& z, const Fr& y, const G1Affine& proof,
                           const KzgSettings& s) {
  const G1Projective lhs =
      G1Projective::from_affine(commitment) + g1_mul(G1Projective::from_affine(proof), z) - g1_generator_mul(y);
  const G1Affine ps[2] = {lhs.to_affine(), proof};
  const G2Prepared* qs[2] = {&s.neg_g2(), &s.s_g2()};
  return pairing_product_is_one(ps, qs);
}

// "compute_kzg_proof_impl": (proof, y) for a polynomial in evaluation form.
ProofAndY compute_kzg_proof_impl(const std::vector<Fr>& poly, const Fr& z, const KzgSettings& s) {
  const Fr y = evaluate_polynomial_in_evaluation_form(poly, z, s.roots_of_unity_brp());
  std::vector<Fr> quotient(poly.size());
  compute_quotient_in_evaluation_form(quotient, poly, z, y, s.roots_of_unity_brp());
  return {g1_to_bytes(s.lagrange_lincomb(quotient)), bls_field_to_bytes(y)};
}

// "verify_kzg_proof_batch": one random linear combination, one 2-pairing check.
bool verify_kzg_proof_batch(std::span<const G1Affine> commitments, std::span<const Bytes48> commitment_bytes,
                            std::span<const Fr> zs, std::span<const Fr> ys, std::span<const G1Affine> proofs,
                            std::span<const Bytes48> proof_bytes, const KzgSettings& s, unsigned threads) {
  const std::size_t n = commitments.size();
  Sha256 h;
  h.update(kBatchDomain).update(be_bytes<8>(kFieldElementsPerBlob)).update(be_bytes<8>(n));
  for (std::size_t i = 0; i < n; ++i) {
    h.update(commitment_bytes[i]).update(bls_field_to_bytes(zs[i])).update(bls_field_to_bytes(ys[i]));
    h.update(proof_bytes[i]);
  }
  const std::vector<Fr> r = compute_powers(hash_to_bls_field(h.finish()), n);
  // lhs = sum r^i proof_i; rhs = sum r^i (C_i - [y_i]G1 + [z_i] proof_i), as one MSM over 2n + 1 points.
  std::vector<G1Affine> points;
  std::vector<Fr> scalars;
  points.reserve(2 * n + 1);
  scalars.reserve(2 * n + 1);
  Fr y_sum = Fr::zero();
  for (std::size_t i = 0; i < n; ++i) {
    points.push_back(commitments[i]);
    scalars.push_back(r[i]);
    points.push_back(proofs[i]);
    scalars.push_back(r[i] * zs[i]);
    y_sum += r[i] * ys[i];
  }
  points.push_back(G1Affine::generator());
  scalars.push_back(-y_sum);
  G1Projective lhs, rhs;  // side by side with more than one thread
  parallel_invoke_all(
      threads, [&] { rhs = g1_msm(points, scalars); }, [&] { lhs = g1_msm(proofs, r); });
  // e(lhs, -[s]G2) * e(rhs, G2) == 1, written as e(-lhs, [s]G2) * e(-rhs, -G2) == 1 for the prepared points.
  const G1Affine ps[2] = {(-lhs).to_affine(), (-rhs).to_affine()};
  const G2Prepared* qs[2] = {&s.s_g2(), &s.neg_g2()};
  return pairing_product_is_one(ps, qs);
}

std::string indexed(const char* name, std::size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

// The commitment and the proof of a single verification, decoded as one batch of two (a little cheaper than
// two single decodings): points[0], errors[0] for the commitment, points[1], errors[1] for the proof.
void decode_commitment_and_proof(std::span<const std::uint8_t> commitment_bytes,
                                 std::span<const std::uint8_t> proof_bytes, G1Affine (&points)[2],
                                 std::optional<Error> (&errors)[2]) {
  const std::span<const std::uint8_t> bytes[2] = {commitment_bytes, proof_bytes};
  bytes_to_g1_batch(bytes, points, errors, [](std::size_t i) { return std::string(i == 0 ? "commitment" : "proof"); });
}

}  // namespace

Result<KzgCommitment> blob_to_kzg_commitment(std::span<const std::uint8_t> blob, const KzgSettings& s) {
  std::vector<Fr> poly;
  if (auto e = blob_to_polynomial(poly, blob, "blob")) return *e;
  return g1_to_bytes(s.lagrange_lincomb(poly));
}

Result<ProofAndY> compute_kzg_proof(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> z_bytes,
                                    const KzgSettings& s) {
  std::vector<Fr> poly;
  if (auto e = blob_to_polynomial(poly, blob, "blob")) return *e;
  const auto z = bytes_to_bls_field(z_bytes, "z");
  if (!z) return z.error();
  return compute_kzg_proof_impl(poly, *z, s);
}

Result<KzgProof> compute_blob_kzg_proof(std::span<const std::uint8_t> blob,
                                        std::span<const std::uint8_t> commitment_bytes, const KzgSettings& s) {
  std::vector<Fr> poly;
  if (auto e = blob_to_polynomial(poly, blob, "blob")) return *e;
  const auto commitment = bytes_to_g1(commitment_bytes, "commitment");
  if (!commitment) return commitment.error();
  return compute_kzg_proof_impl(poly, challenge(blob, commitment_bytes), s).proof;
}

Result<bool> verify_kzg_proof(std::span<const std::uint8_t> commitment_bytes, std::span<const std::uint8_t> z_bytes,
                              std::span<const std::uint8_t> y_bytes, std::span<const std::uint8_t> proof_bytes,
                              const KzgSettings& s) {
  G1Affine points[2];
  std::optional<Error> errors[2];
  decode_commitment_and_proof(commitment_bytes, proof_bytes, points, errors);
  if (errors[0]) return std::move(*errors[0]);
  const auto z = bytes_to_bls_field(z_bytes, "z");
  if (!z) return z.error();
  const auto y = bytes_to_bls_field(y_bytes, "y");
  if (!y) return y.error();
  if (errors[1]) return std::move(*errors[1]);
  return verify_kzg_proof_impl(points[0], *z, *y, points[1], s);
}

Result<bool> verify_blob_kzg_proof(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> commitment_bytes,
                                   std::span<const std::uint8_t> proof_bytes, const KzgSettings& s) {
  std::vector<Fr> poly;
  if (auto e = blob_to_raw_polynomial(poly, blob, "blob")) return *e;
  G1Affine points[2];
  std::optional<Error> errors[2];
  decode_commitment_and_proof(commitment_bytes, proof_bytes, points, errors);
  for (auto& e : errors)
    if (e) return std::move(*e);
  const Fr z = challenge(blob, commitment_bytes);
  const Fr y = evaluate_raw_polynomial_in_evaluation_form(poly, z, s.roots_of_unity_brp());
  return verify_kzg_proof_impl(points[0], z, y, points[1], s);
}

Result<bool> verify_blob_kzg_proof_batch(std::span<const std::span<const std::uint8_t>> blobs,
                                         std::span<const std::span<const std::uint8_t>> commitments,
                                         std::span<const std::span<const std::uint8_t>> proofs, const KzgSettings& s,
                                         unsigned threads) {
  const std::size_t n = blobs.size();
  if (commitments.size() != n || proofs.size() != n)
    return make_error(ErrorCode::length_mismatch, "blobs, commitments and proofs must have the same length",
                      "commitments");
  std::vector<G1Affine> cs(n), ps(n);
  std::vector<Bytes48> c_bytes(n), p_bytes(n);
  std::vector<Fr> zs(n), ys(n);
  // The points decode as two batches (square roots and subgroup checks eight at a time) beside the per-blob
  // work (challenge and evaluation), which needs only bytes; an item's errors are then taken in the order
  // one-by-one decoding meets them: its blob, its commitment, its proof.
  std::vector<std::optional<Error>> blob_errors(n), c_errors(n), p_errors(n);
  parallel_invoke_all(
      threads,
      [&] {
        bytes_to_g1_batch(
            commitments, cs, c_errors, [](std::size_t i) { return indexed("commitments", i); }, threads);
        bytes_to_g1_batch(
            proofs, ps, p_errors, [](std::size_t i) { return indexed("proofs", i); }, threads);
      },
      [&] {
        parallel_for_each_index(n, threads, [&](std::size_t i) {
          std::vector<Fr> poly;
          if (auto e = blob_to_raw_polynomial(poly, blobs[i], indexed("blobs", i))) {
            blob_errors[i] = std::move(*e);
            return;
          }
          if (commitments[i].size() != kBytesPerCommitment) return;  // an error the decoding reports
          zs[i] = challenge(blobs[i], commitments[i]);
          ys[i] = evaluate_raw_polynomial_in_evaluation_form(poly, zs[i], s.roots_of_unity_brp());
        });
      });
  for (std::size_t i = 0; i < n; ++i) {
    if (blob_errors[i]) return std::move(*blob_errors[i]);
    if (c_errors[i]) return std::move(*c_errors[i]);
    if (p_errors[i]) return std::move(*p_errors[i]);
    std::copy(commitments[i].begin(), commitments[i].end(), c_bytes[i].begin());
    std::copy(proofs[i].begin(), proofs[i].end(), p_bytes[i].begin());
  }
  if (n == 0) return true;
  return verify_kzg_proof_batch(cs, c_bytes, zs, ys, ps, p_bytes, s, threads);
}

Result<Bytes32> compute_challenge(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> commitment_bytes) {
  if (blob.size() != kBytesPerBlob)
    return make_error(ErrorCode::invalid_length, "expected " + std::to_string(kBytesPerBlob) + " bytes", "blob");
  if (commitment_bytes.size() != kBytesPerCommitment)
    return make_error(ErrorCode::invalid_length, "expected 48 bytes", "commitment");
  return bls_field_to_bytes(challenge(blob, commitment_bytes));
}

}  // namespace kzg
