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

// Claims that decoded, checked in groups: ok[i] ends true or false for every i.
struct DecodedClaims {
  std::vector<G1Affine> commitments, proofs;
  std::vector<Bytes48> commitment_bytes, proof_bytes;
  std::vector<Fr> zs, ys;

  void reserve(std::size_t n) {
    commitments.reserve(n);
    proofs.reserve(n);
    commitment_bytes.reserve(n);
    proof_bytes.reserve(n);
    zs.reserve(n);
    ys.reserve(n);
  }
  void add(const G1Affine& c, std::span<const std::uint8_t> c_bytes, const Fr& z, const Fr& y, const G1Affine& p,
           std::span<const std::uint8_t> p_bytes) {
    commitments.push_back(c);
    proofs.push_back(p);
    commitment_bytes.emplace_back();
    std::copy(c_bytes.begin(), c_bytes.end(), commitment_bytes.back().begin());
    proof_bytes.emplace_back();
    std::copy(p_bytes.begin(), p_bytes.end(), proof_bytes.back().begin());
    zs.push_back(z);
    ys.push_back(y);
  }
  std::size_t size() const { return zs.size(); }

  // True when every claim in `group` holds: one claim is the plain check; more are one random linear
  // combination over just those claims.
  bool check(std::span<const std::size_t> group, const KzgSettings& s) const {
    if (group.size() == 1) {
      const std::size_t i = group[0];
      return verify_kzg_proof_impl(commitments[i], zs[i], ys[i], proofs[i], s);
    }
    DecodedClaims sub;
    sub.reserve(group.size());
    for (std::size_t i : group) sub.add(commitments[i], commitment_bytes[i], zs[i], ys[i], proofs[i], proof_bytes[i]);
    return verify_kzg_proof_batch(sub.commitments, sub.commitment_bytes, sub.zs, sub.ys, sub.proofs, sub.proof_bytes, s,
                                  1);
  }

  // Finds the false claims of `group`. known_false: a check already showed that the group holds a false
  // claim (a combination of true claims always passes), so it is not checked again.
  void settle(std::span<const std::size_t> group, bool known_false, std::vector<char>& ok, const KzgSettings& s) const {
    if (!known_false && check(group, s)) {
      for (std::size_t i : group) ok[i] = 1;
      return;
    }
    if (group.size() == 1) {
      ok[group[0]] = 0;
      return;
    }
    const auto left = group.first(group.size() / 2);
    const auto right = group.subspan(group.size() / 2);
    if (check(left, s)) {
      for (std::size_t i : left) ok[i] = 1;
      settle(right, known_false, ok, s);  // the false claim the group held is on the right
    } else {
      settle(left, true, ok, s);
      settle(right, false, ok, s);
    }
  }

  std::vector<char> settle_all(const KzgSettings& s) const {
    std::vector<char> ok(size(), 0);
    std::vector<std::size_t> all(size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (!all.empty()) settle(all, false, ok, s);
    return ok;
  }
};

// The commitments and proofs of independent claims, decoded as two batches; each error names its claim's field.
struct ClaimPoints {
  std::vector<G1Affine> commitments;
  std::vector<std::optional<Error>> commitment_errors;
  std::vector<G1Affine> proofs;
  std::vector<std::optional<Error>> proof_errors;
};

template <class Claim>
ClaimPoints decode_claim_points(std::span<const Claim> claims) {
  const std::size_t n = claims.size();
  std::vector<std::span<const std::uint8_t>> c_in(n), p_in(n);
  for (std::size_t i = 0; i < n; ++i) {
    c_in[i] = claims[i].commitment;
    p_in[i] = claims[i].proof;
  }
  ClaimPoints out{std::vector<G1Affine>(n), std::vector<std::optional<Error>>(n), std::vector<G1Affine>(n),
                  std::vector<std::optional<Error>>(n)};
  bytes_to_g1_batch(c_in, out.commitments, out.commitment_errors,
                    [](std::size_t) { return std::string("commitment"); });
  bytes_to_g1_batch(p_in, out.proofs, out.proof_errors, [](std::size_t) { return std::string("proof"); });
  return out;
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

std::vector<Result<bool>> verify_kzg_proof_each(std::span<const KzgProofClaim> claims, const KzgSettings& s) {
  const std::size_t n = claims.size();
  auto [cs, c_errors, ps, p_errors] = decode_claim_points(claims);

  std::vector<Result<bool>> out(n, Result<bool>(false));
  std::vector<std::size_t> members;  // claim index of each decoded claim
  DecodedClaims decoded;
  decoded.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    // The order verify_kzg_proof meets the errors in: commitment, z, y, proof.
    if (c_errors[i]) {
      out[i] = std::move(*c_errors[i]);
      continue;
    }
    const auto z = bytes_to_bls_field(claims[i].z, "z");
    if (!z) {
      out[i] = z.error();
      continue;
    }
    const auto y = bytes_to_bls_field(claims[i].y, "y");
    if (!y) {
      out[i] = y.error();
      continue;
    }
    if (p_errors[i]) {
      out[i] = std::move(*p_errors[i]);
      continue;
    }
    members.push_back(i);
    decoded.add(cs[i], claims[i].commitment, *z, *y, ps[i], claims[i].proof);
  }
  const std::vector<char> ok = decoded.settle_all(s);
  for (std::size_t k = 0; k < members.size(); ++k) out[members[k]] = ok[k] != 0;
  return out;
}

std::vector<Result<bool>> verify_blob_kzg_proof_each(std::span<const BlobProofClaim> claims, const KzgSettings& s) {
  const std::size_t n = claims.size();
  auto [cs, c_errors, ps, p_errors] = decode_claim_points(claims);

  std::vector<Result<bool>> out(n, Result<bool>(false));
  std::vector<std::size_t> members;
  DecodedClaims decoded;
  decoded.reserve(n);
  std::vector<Fr> poly;
  for (std::size_t i = 0; i < n; ++i) {
    // The order verify_blob_kzg_proof meets the errors in: blob, commitment, proof.
    if (auto e = blob_to_raw_polynomial(poly, claims[i].blob, "blob")) {
      out[i] = std::move(*e);
      continue;
    }
    if (c_errors[i]) {
      out[i] = std::move(*c_errors[i]);
      continue;
    }
    if (p_errors[i]) {
      out[i] = std::move(*p_errors[i]);
      continue;
    }
    const Fr z = challenge(claims[i].blob, claims[i].commitment);
    const Fr y = evaluate_raw_polynomial_in_evaluation_form(poly, z, s.roots_of_unity_brp());
    members.push_back(i);
    decoded.add(cs[i], claims[i].commitment, z, y, ps[i], claims[i].proof);
  }
  const std::vector<char> ok = decoded.settle_all(s);
  for (std::size_t k = 0; k < members.size(); ++k) out[members[k]] = ok[k] != 0;
  return out;
}

Result<Bytes32> compute_challenge(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> commitment_bytes) {
  if (blob.size() != kBytesPerBlob)
    return make_error(ErrorCode::invalid_length, "expected " + std::to_string(kBytesPerBlob) + " bytes", "blob");
  if (commitment_bytes.size() != kBytesPerCommitment)
    return make_error(ErrorCode::invalid_length, "expected 48 bytes", "commitment");
  return bls_field_to_bytes(challenge(blob, commitment_bytes));
}

}  // namespace kzg
