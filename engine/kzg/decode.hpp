// Validation of untrusted byte strings into field elements and group points (consensus-specs deneb,
// "bytes_to_bls_field", "blob_to_polynomial", "validate_kzg_g1", "bytes_to_kzg_commitment",
// "bytes_to_kzg_proof"). Errors name the parameter.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/common/result.hpp"
#include "engine/curve/g1.hpp"
#include "engine/field/fr.hpp"

namespace kzg {

Result<Fr> bytes_to_bls_field(std::span<const std::uint8_t> bytes, const std::string& field);
// Into `out` (resized to the blob's 4096 field elements).
std::optional<Error> blob_to_polynomial(std::vector<Fr>& out, std::span<const std::uint8_t> blob,
                                        const std::string& field);
// The same checks, keeping the plain integers (Fr::from_raw of each canonical value; see
// evaluate_raw_polynomial_in_evaluation_form).
std::optional<Error> blob_to_raw_polynomial(std::vector<Fr>& out, std::span<const std::uint8_t> blob,
                                            const std::string& field);
// A 48-byte compressed G1 point in the subgroup (the identity is allowed).
Result<G1Affine> bytes_to_g1(std::span<const std::uint8_t> bytes, const std::string& field);
// bytes_to_g1 for many points at once (square roots and subgroup checks batched, curve/g1.hpp), on up to
// `threads` threads: out[i], or errors[i] as bytes_to_g1(bytes[i], field(i)) would give it.
void bytes_to_g1_batch(std::span<const std::span<const std::uint8_t>> bytes, std::span<G1Affine> out,
                       std::span<std::optional<Error>> errors, const std::function<std::string(std::size_t)>& field,
                       unsigned threads = 1);
// Canonical big-endian bytes of a field element.
Bytes32 bls_field_to_bytes(const Fr& x);
Bytes48 g1_to_bytes(const G1Projective& p);

// SHA-256 digest as a big-endian integer mod r ("hash_to_bls_field").
Fr hash_to_bls_field(const std::array<std::uint8_t, 32>& digest);
// [1, x, x^2, ...] ("compute_powers").
std::vector<Fr> compute_powers(const Fr& x, std::size_t n);

}  // namespace kzg
