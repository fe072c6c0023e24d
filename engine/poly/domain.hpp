// Evaluation domains: roots of unity of the scalar field and the bit-reversal permutation
// (consensus-specs deneb, "compute_roots_of_unity", "bit_reversal_permutation").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/field/fr.hpp"

namespace kzg {

// The n powers of a primitive n-th root of unity (n a power of two <= 2^32), natural order;
// the root is PRIMITIVE_ROOT_OF_UNITY^((r-1)/n) with primitive root 7, as in the spec.
std::vector<Fr> compute_roots_of_unity(std::size_t n);

// Index i with its low log2(n) bits reversed.
constexpr std::size_t reverse_bits(std::size_t i, unsigned log2n) {
  std::size_t r = 0;
  for (unsigned b = 0; b < log2n; ++b) r |= ((i >> b) & 1u) << (log2n - 1 - b);
  return r;
}

constexpr unsigned log2_exact(std::size_t n) {
  unsigned k = 0;
  while ((std::size_t{1} << k) < n) ++k;
  return k;
}

// In-place bit-reversal permutation of a power-of-two-sized sequence.
template <class T>
void bit_reversal_permutation(std::span<T> a) {
  const unsigned k = log2_exact(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t j = reverse_bits(i, k);
    if (i < j) std::swap(a[i], a[j]);
  }
}

}  // namespace kzg
