// EIP-4844 KZG functions: consensus-specs, specs/deneb/polynomial-commitments.md.
// Inputs are untrusted byte strings; every failure is an Error naming the parameter at fault.
#pragma once

#include <span>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/common/result.hpp"
#include "engine/kzg/settings.hpp"

namespace kzg {

// "blob_to_kzg_commitment": the commitment to the polynomial whose evaluations the blob holds.
Result<KzgCommitment> blob_to_kzg_commitment(std::span<const std::uint8_t> blob, const KzgSettings& s);

struct ProofAndY {
  KzgProof proof;
  Bytes32 y;
};
// "compute_kzg_proof": the proof that p(z) == y for the blob's polynomial p, and y.
Result<ProofAndY> compute_kzg_proof(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> z_bytes,
                                    const KzgSettings& s);
// "compute_blob_kzg_proof": the proof at the Fiat-Shamir challenge of (blob, commitment).
Result<KzgProof> compute_blob_kzg_proof(std::span<const std::uint8_t> blob,
                                        std::span<const std::uint8_t> commitment_bytes, const KzgSettings& s);
// "verify_kzg_proof": true when the proof shows p(z) == y for the committed p.
Result<bool> verify_kzg_proof(std::span<const std::uint8_t> commitment_bytes, std::span<const std::uint8_t> z_bytes,
                              std::span<const std::uint8_t> y_bytes, std::span<const std::uint8_t> proof_bytes,
                              const KzgSettings& s);
// "verify_blob_kzg_proof"
Result<bool> verify_blob_kzg_proof(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> commitment_bytes,
                                   std::span<const std::uint8_t> proof_bytes, const KzgSettings& s);
// "verify_blob_kzg_proof_batch": the three lists must have equal lengths; an empty batch is true. The
// per-blob work (decoding, challenge, evaluation) runs on up to `threads` threads; the answer, and the error
// for invalid input (the lowest index at fault), do not depend on it.
Result<bool> verify_blob_kzg_proof_batch(std::span<const std::span<const std::uint8_t>> blobs,
                                         std::span<const std::span<const std::uint8_t>> commitments,
                                         std::span<const std::span<const std::uint8_t>> proofs, const KzgSettings& s,
                                         unsigned threads = 1);
// Many independent claims at once, each answered exactly as the single function answers it (the same true,
// false or error). The claims that decode are checked together by one random linear combination, as
// "verify_kzg_proof_batch" does; a group that fails is split in halves until each false claim is found, so k
// false claims among n cost about 2k log2(n) group checks on top of the first. For coalescing requests that
// arrive separately (the service), where one bad request must not change another's answer.
struct KzgProofClaim {
  std::span<const std::uint8_t> commitment, z, y, proof;
};
std::vector<Result<bool>> verify_kzg_proof_each(std::span<const KzgProofClaim> claims, const KzgSettings& s);
struct BlobProofClaim {
  std::span<const std::uint8_t> blob, commitment, proof;
};
std::vector<Result<bool>> verify_blob_kzg_proof_each(std::span<const BlobProofClaim> claims, const KzgSettings& s);

// "compute_challenge": the Fiat-Shamir evaluation point for (blob, commitment), as 32 bytes.
Result<Bytes32> compute_challenge(std::span<const std::uint8_t> blob, std::span<const std::uint8_t> commitment_bytes);

}  // namespace kzg
