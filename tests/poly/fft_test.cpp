#include "engine/poly/fft.hpp"

#include <gtest/gtest.h>

#include "engine/poly/domain.hpp"
#include "engine/poly/evaluation.hpp"
#include "tests/support/random_blobs.hpp"

namespace kzg {
namespace {

TEST(Domain, RootsOfUnityHaveTheRightOrder) {
  const auto roots = compute_roots_of_unity(4096);
  const Fr w = roots[1];
  EXPECT_TRUE(w.pow(std::uint64_t{4096}).is_one());
  EXPECT_EQ(w.pow(std::uint64_t{2048}), -Fr::one());
  EXPECT_EQ(roots[4095] * w, Fr::one());
  // The 8192-domain squares onto the 4096-domain.
  const auto ext = compute_roots_of_unity(8192);
  EXPECT_EQ(ext[1] * ext[1], w);
}

TEST(Domain, BitReversal) {
  EXPECT_EQ(reverse_bits(1, 7), 64u);
  EXPECT_EQ(reverse_bits(6, 3), 3u);
  std::vector<int> v{0, 1, 2, 3, 4, 5, 6, 7};
  bit_reversal_permutation(std::span<int>(v));
  EXPECT_EQ(v, (std::vector<int>{0, 4, 2, 6, 1, 5, 3, 7}));
}

TEST(Fft, MatchesTheNaiveTransformAndInverts) {
  std::mt19937_64 rng(11);
  const auto roots = compute_roots_of_unity(64);
  for (std::size_t n : {1u, 2u, 8u, 64u}) {
    std::vector<Fr> a(n);
    for (auto& x : a) x = test::random_fr(rng);
    std::vector<Fr> f = a;
    fft_fr(f, roots);
    const Fr wn = roots[(64 / n) % 64];
    for (std::size_t k = 0; k < n; ++k) {
      Fr sum = Fr::zero();
      for (std::size_t j = 0; j < n; ++j) sum += a[j] * wn.pow(static_cast<std::uint64_t>(j * k));
      EXPECT_EQ(f[k], sum) << n << " " << k;
    }
    fft_fr(f, roots, true);
    EXPECT_EQ(f, a);
    coset_fft_fr(f, roots);
    coset_fft_fr(f, roots, true);
    EXPECT_EQ(f, a);
  }
}

TEST(Fft, FromBitReversedEqualsFftOfThePermutedInput) {
  std::mt19937_64 rng(16);
  const auto roots = compute_roots_of_unity(256);
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{64}, std::size_t{256}}) {
    for (const bool inverse : {false, true}) {
      std::vector<Fr> a(n);
      for (auto& x : a) x = test::random_fr(rng);
      std::vector<Fr> expected = a;
      bit_reversal_permutation(std::span<Fr>(expected));
      fft_fr(expected, roots, inverse);
      fft_fr_from_bit_reversed(a, roots, inverse);
      EXPECT_EQ(a, expected) << "n = " << n << ", inverse " << inverse;
    }
  }
}

TEST(Fft, OverG1MatchesTheScalarTransform) {
  std::mt19937_64 rng(12);
  const auto roots = compute_roots_of_unity(16);
  const G1Projective g = G1Projective::from_affine(G1Affine::generator());
  std::vector<Fr> a(16);
  std::vector<G1Projective> p(16);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = test::random_fr(rng);
    p[i] = g1_mul(g, a[i]);
  }
  fft_fr(a, roots);
  fft_g1(p, roots);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(p[i], g1_mul(g, a[i]));
}

TEST(Polynomial, VanishingPolynomialVanishesOnItsRoots) {
  std::mt19937_64 rng(13);
  std::vector<Fr> xs(5);
  for (auto& x : xs) x = test::random_fr(rng);
  const auto c = vanishing_polynomialcoeff(xs);
  ASSERT_EQ(c.size(), 6u);
  EXPECT_TRUE(c.back().is_one());
  auto eval = [&](const Fr& x) {
    Fr acc = Fr::zero();
    for (std::size_t i = c.size(); i-- > 0;) acc = acc * x + c[i];
    return acc;
  };
  for (const auto& x : xs) EXPECT_TRUE(eval(x).is_zero());
  EXPECT_FALSE(eval(Fr::from_u64(3)).is_zero());
}

TEST(Polynomial, BarycentricEvaluationMatchesCoefficientForm) {
  std::mt19937_64 rng(14);
  const std::size_t n = 64;
  auto roots = compute_roots_of_unity(n);
  std::vector<Fr> coeff(n);
  for (auto& x : coeff) x = test::random_fr(rng);
  std::vector<Fr> evals = coeff;
  fft_fr(evals, roots);
  const Fr z = test::random_fr(rng);
  Fr direct = Fr::zero();
  for (std::size_t i = n; i-- > 0;) direct = direct * z + coeff[i];
  EXPECT_EQ(evaluate_polynomial_in_evaluation_form(evals, z, roots), direct);
  EXPECT_EQ(evaluate_polynomial_in_evaluation_form(evals, roots[5], roots), evals[5]);
}

// The plain-integer evaluation (fractions, no conversions) against the Montgomery-form one, on domain sizes
// that fill the four running fractions exactly and not, at points inside and outside the domain.
TEST(Polynomial, RawBarycentricEvaluationMatches) {
  std::mt19937_64 rng(15);
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{8}, std::size_t{64}, std::size_t{4096}}) {
    auto roots = compute_roots_of_unity(n);
    std::vector<Fr> evals(n), raw(n);
    for (std::size_t i = 0; i < n; ++i) {
      evals[i] = test::random_fr(rng);
      raw[i] = Fr::from_raw(evals[i].to_canonical());
    }
    if (n > 2) {
      raw[1] = Fr::from_raw(Fr::zero().to_canonical());
      evals[1] = Fr::zero();
    }
    for (int trial = 0; trial < 3; ++trial) {
      const Fr z = test::random_fr(rng);
      EXPECT_EQ(evaluate_raw_polynomial_in_evaluation_form(raw, z, roots),
                evaluate_polynomial_in_evaluation_form(evals, z, roots))
          << "n = " << n;
    }
    for (const std::size_t at : {std::size_t{0}, n / 2, n - 1})
      EXPECT_EQ(evaluate_raw_polynomial_in_evaluation_form(raw, roots[at], roots), evals[at]) << "n = " << n;
  }
}

}  // namespace
}  // namespace kzg
