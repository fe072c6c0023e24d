#include "engine/poly/fft.hpp"

#include "engine/common/parallel.hpp"
#include "engine/poly/domain.hpp"

namespace kzg {
namespace {

// Iterative decimation-in-time (input bit-reversed, output natural); `mul` multiplies an element by a root of
// unity. Permutes the input first unless it comes bit-reversed already.
template <class T, class Mul>
void fft_in_place(std::span<T> a, std::span<const Fr> roots, bool inverse, Mul mul, bool input_bit_reversed = false) {
  const std::size_t n = a.size();
  if (n <= 1) return;
  const std::size_t m = roots.size();
  if (!input_bit_reversed) bit_reversal_permutation(a);
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t half = len / 2;
    const std::size_t step = m / len;
    for (std::size_t j = 0; j < half; ++j) {
      const std::size_t e = j * step;
      const Fr& w = roots[inverse && e != 0 ? m - e : e];
      for (std::size_t i = j; i < n; i += len) {
        const T u = a[i];
        const T v = j == 0 ? a[i + half] : mul(a[i + half], w);
        a[i] = u + v;
        a[i + half] = u - v;
      }
    }
  }
}

}  // namespace

void fft_fr(std::span<Fr> a, std::span<const Fr> roots, bool inverse) {
  bit_reversal_permutation(a);
  fft_fr_from_bit_reversed(a, roots, inverse);
}

void fft_fr_from_bit_reversed(std::span<Fr> a, std::span<const Fr> roots, bool inverse, bool divide_by_n) {
  fft_in_place(
      a, roots, inverse, [](const Fr& x, const Fr& w) { return x * w; }, /*input_bit_reversed=*/true);
  if (inverse && divide_by_n && a.size() > 1) {
    const Fr n_inv = Fr::from_u64(a.size()).inverse();
    for (auto& x : a) x *= n_inv;
  }
}

void fft_g1(std::span<G1Projective> a, std::span<const Fr> roots, bool inverse, unsigned threads) {
  if (threads == 1) {
    fft_in_place(a, roots, inverse, [](const G1Projective& p, const Fr& w) { return g1_mul(p, w); });
    return;
  }
  // The same decimation in time, with each layer's n/2 butterflies, which are independent, spread over the threads.
  const std::size_t n = a.size();
  if (n <= 1) return;
  const std::size_t m = roots.size();
  bit_reversal_permutation(a);
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t half = len / 2;
    const std::size_t step = m / len;
    parallel_for_each_index(n / 2, threads, [&](std::size_t b) {
      const std::size_t j = b % half;
      const std::size_t i = (b / half) * len + j;
      const std::size_t e = j * step;
      const G1Projective u = a[i];
      const G1Projective v = j == 0 ? a[i + half] : g1_mul(a[i + half], roots[inverse && e != 0 ? m - e : e]);
      a[i] = u + v;
      a[i + half] = u - v;
    });
  }
}

void coset_fft_fr(std::span<Fr> a, std::span<const Fr> roots, bool inverse) {
  const Fr shift = Fr::from_u64(7);
  if (!inverse) {
    Fr g = Fr::one();
    for (auto& x : a) {
      x *= g;
      g *= shift;
    }
    fft_fr(a, roots, false);
    return;
  }
  fft_fr(a, roots, true);
  const Fr shift_inv = shift.inverse();
  Fr g = Fr::one();
  for (auto& x : a) {
    x *= g;
    g *= shift_inv;
  }
}

std::vector<Fr> vanishing_polynomialcoeff(std::span<const Fr> xs) {
  std::vector<Fr> c(xs.size() + 1, Fr::zero());
  c[0] = Fr::one();
  std::size_t deg = 0;
  for (const Fr& x : xs) {
    // c <- c * (X - x)
    c[deg + 1] = c[deg];
    for (std::size_t i = deg; i > 0; --i) c[i] = c[i - 1] - c[i] * x;
    c[0] = -(c[0] * x);
    ++deg;
  }
  return c;
}

}  // namespace kzg
