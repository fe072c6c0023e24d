// Polynomials in evaluation form over the bit-reversed roots of unity (consensus-specs deneb,
// "evaluate_polynomial_in_evaluation_form", "compute_kzg_proof_impl", "compute_quotient_eval_within_domain").
#pragma once

#include <span>

#include "engine/field/fr.hpp"

namespace kzg {

// p(z) for the polynomial with p(roots[i]) == poly[i], by the barycentric formula (one batch inversion);
// when z is one of the roots, the stored evaluation.
Fr evaluate_polynomial_in_evaluation_form(std::span<const Fr> poly, const Fr& z, std::span<const Fr> roots);

// The same p(z) for values given as plain integers (each Fr holds the canonical value itself, as
// Fr::from_raw(canonical), not its Montgomery form): what a blob's bytes hold, so verification skips the 4096
// conversions. Sums fractions instead of inverting every z - roots[i]: four products per value, one inversion.
Fr evaluate_raw_polynomial_in_evaluation_form(std::span<const Fr> raw, const Fr& z, std::span<const Fr> roots);

// The evaluations of q(X) = (p(X) - y) / (X - z) on the same domain, where y == p(z).
void compute_quotient_in_evaluation_form(std::span<Fr> quotient, std::span<const Fr> poly, const Fr& z, const Fr& y,
                                         std::span<const Fr> roots);

}  // namespace kzg
