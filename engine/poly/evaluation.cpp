#include "engine/poly/evaluation.hpp"

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

Fr evaluate_raw_polynomial_in_evaluation_form(std::span<const Fr> raw, const Fr& z, std::span<const Fr> roots) {
  // An Fr holding the plain value a stands for the element a R^-1 (Montgomery form), so the sum below is
  // p(z) R^-1 by linearity; multiplying by the element R (stored as R^2 mod r) corrects it at the end.
  const Fr r_element = Fr::from_raw(Fr::kC.r2);
  const std::size_t n = roots.size();
  // sum_i p_i w_i / (z - w_i) as num/den, four independent running fractions (the products of one step do not
  // wait on the previous step's): num' = num d + p_i w_i den, den' = den d.
  constexpr std::size_t kLanes = 4;
  Fr num[kLanes], den[kLanes];
  for (std::size_t k = 0; k < kLanes; ++k) {
    num[k] = Fr::zero();
    den[k] = Fr::one();
  }
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (std::size_t k = 0; k < kLanes; ++k) {
      const Fr d = z - roots[i + k];
      if (d.is_zero()) return raw[i + k] * r_element;
      num[k] = num[k] * d + raw[i + k] * roots[i + k] * den[k];
      den[k] *= d;
    }
  }
  for (; i < n; ++i) {
    const Fr d = z - roots[i];
    if (d.is_zero()) return raw[i] * r_element;
    num[0] = num[0] * d + raw[i] * roots[i] * den[0];
    den[0] *= d;
  }
  // num0/den0 + num1/den1 = (num0 den1 + num1 den0) / (den0 den1), pairwise.
  for (std::size_t width = kLanes; width > 1; width /= 2) {
    for (std::size_t k = 0; k < width / 2; ++k) {
      num[k] = num[k] * den[k + width / 2] + num[k + width / 2] * den[k];
      den[k] *= den[k + width / 2];
    }
  }
  // times (z^n - 1) / n, and R: one inversion for both divisions.
  const Fr zn = z.pow(static_cast<std::uint64_t>(n));
  return num[0] * (zn - Fr::one()) * r_element * (den[0] * Fr::from_u64(n)).inverse();
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
