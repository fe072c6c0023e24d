// Radix-2 fast Fourier transforms over the scalar field and over G1 (consensus-specs fulu,
// "fft_field", "coset_fft_field"; the G1 transform is the FK20 building block).
#pragma once

#include <span>
#include <vector>

#include "engine/curve/g1.hpp"
#include "engine/field/fr.hpp"

namespace kzg {

// roots: the powers w^0..w^(m-1) of a primitive m-th root of unity, m a power of two; the transform
// size n = a.size() must divide m (the n-th root used is w^(m/n)).
// Forward: a[k] <- sum_j a[j] w_n^(jk). Inverse: a[j] <- (1/n) sum_k a[k] w_n^(-jk). Natural order in and out.
void fft_fr(std::span<Fr> a, std::span<const Fr> roots, bool inverse = false);
// The same transform of a vector given in bit-reversed order (fft_fr(brp(a))), skipping the permutation that
// fft_fr starts with: blobs come bit-reversed, so their inverse transform needs no reordering at all.
// divide_by_n = false leaves the inverse transform undivided (n times the result), for callers that fold 1/n
// into a scaling of their own.
void fft_fr_from_bit_reversed(std::span<Fr> a, std::span<const Fr> roots, bool inverse = false,
                              bool divide_by_n = true);
// Over G1 the inverse transform is NOT divided by n: callers fold 1/n into their scalars, which is cheaper
// than n scalar multiplications. Each layer's butterflies (a scalar multiplication each) are shared among up to
// `threads` threads (kAllCores: every core).
void fft_g1(std::span<G1Projective> a, std::span<const Fr> roots, bool inverse = false, unsigned threads = 1);

// The same transforms over the coset g * <w_n> with the spec's shift g = PRIMITIVE_ROOT_OF_UNITY (7):
// forward evaluates the polynomial with coefficients a at g * w_n^k; inverse undoes it.
void coset_fft_fr(std::span<Fr> a, std::span<const Fr> roots, bool inverse = false);

// Coefficients of prod_i (X - xs[i]) (lowest degree first, xs.size() + 1 entries); "vanishing_polynomialcoeff".
std::vector<Fr> vanishing_polynomialcoeff(std::span<const Fr> xs);

}  // namespace kzg
