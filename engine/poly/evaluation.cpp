#include "poly/evaluation.hpp"

#include <vector>

namespace kzg {
namespace {

// Index of z in roots, or roots.size() when z is outside the domain.
std::size_t find_root(std::span<const Fr> roots, const Fr& z) {
  for (std::size_t i = 0; i < roots.size(); ++i)
    if (roots[i] == z) return i;
  return roots.size();
}

}  // namespace

Fr evaluate_polynomial_in_evaluation_form(std::span<const Fr> poly, const Fr& z, std::span<const Fr> roots) {
  const std::size_t n = roots.size();
  std::vector<Fr> inv(n);
  for (std::size_t i = 0; i < n; ++i) {
    inv[i] = z - roots[i];
    if (inv[i].is_zero()) return poly[i];
  }
  batch_inverse(inv.data(), inv.data(), n);
  // sum_i p_i * w_i / (z - w_i), times (z^n - 1) / n.
  Fr sum = Fr::zero();
  for (std::size_t i = 0; i < n; ++i) sum += poly[i] * roots[i] * inv[i];
  const Fr zn = z.pow(static_cast<std::uint64_t>(n));
  return sum * (zn - Fr::one()) * Fr::from_u64(n).inverse();
}

void compute_quotient_in_evaluation_form(std::span<Fr> quotient, std::span<const Fr> poly, const Fr& z, const Fr& y,
                                         std::span<const Fr> roots) {
  const std::size_t n = roots.size();
  const std::size_t m = find_root(roots, z);
  std::vector<Fr> denom(n);
  for (std::size_t i = 0; i < n; ++i) denom[i] = roots[i] - z;  // zero at i == m, which batch_inverse keeps zero
  batch_inverse(denom.data(), denom.data(), n);
  for (std::size_t i = 0; i < n; ++i) quotient[i] = (poly[i] - y) * denom[i];
  if (m == n) return;
  // z == w_m: q(w_m) = sum_{i != m} (p_i - y) * w_i / (z * (z - w_i))  ("compute_quotient_eval_within_domain").
  std::vector<Fr> d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = i == m ? Fr::zero() : z * (z - roots[i]);
  batch_inverse(d.data(), d.data(), n);
  Fr q = Fr::zero();
  for (std::size_t i = 0; i < n; ++i)
    if (i != m) q += (poly[i] - y) * roots[i] * d[i];
  quotient[m] = q;
}

}  // namespace kzg
