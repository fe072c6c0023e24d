// Multi-scalar multiplication by Pippenger's bucket method with signed window digits.
#include <algorithm>
#include <cmath>

#include "curve/g1.hpp"
#include "curve/jacobian.hpp"

namespace kzg {
namespace {

constexpr unsigned kScalarBits = 255;

// Window width minimising (windows) * (n additions + 2^(c-1) bucket-sum additions).
unsigned choose_window(std::size_t n) {
  unsigned best = 1;
  double best_cost = 1e300;
  for (unsigned c = 2; c <= 16; ++c) {
    const double windows = std::ceil((kScalarBits + 1.0) / c);
    const double cost = windows * (static_cast<double>(n) + 2.0 * std::ldexp(1.0, static_cast<int>(c) - 1));
    if (cost < best_cost) {
      best_cost = cost;
      best = c;
    }
  }
  return best;
}

// Signed base-2^c digits in [-2^(c-1), 2^(c-1)], windows of every scalar, scalar-major.
void signed_digits(std::vector<std::int32_t>& out, const Scalar& k, unsigned c, std::size_t windows) {
  const std::int64_t half = std::int64_t{1} << (c - 1);
  const std::uint64_t mask = (std::uint64_t{1} << c) - 1;
  std::int64_t carry = 0;
  for (std::size_t w = 0; w < windows; ++w) {
    const std::size_t bit = w * c;
    std::uint64_t v = 0;
    if (bit < 256) {
      const std::size_t limb = bit / 64, shift = bit % 64;
      v = k[limb] >> shift;
      if (shift + c > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - shift);
      v &= mask;
    }
    std::int64_t d = static_cast<std::int64_t>(v) + carry;
    carry = 0;
    if (d > half) {
      d -= std::int64_t{1} << c;
      carry = 1;
    }
    out.push_back(static_cast<std::int32_t>(d));
  }
}

}  // namespace

G1Projective g1_msm(std::span<const G1Affine> points, std::span<const Fr> scalars) {
  const std::size_t n = std::min(points.size(), scalars.size());
  if (n == 0) return G1Projective::identity();
  if (n < 8) {
    G1Projective acc{};
    for (std::size_t i = 0; i < n; ++i) acc += g1_mul(G1Projective::from_affine(points[i]), scalars[i]);
    return acc;
  }
  const unsigned c = choose_window(n);
  const std::size_t windows = (kScalarBits + 1 + c - 1) / c + 1;
  std::vector<std::int32_t> digits;
  digits.reserve(n * windows);
  for (std::size_t i = 0; i < n; ++i) signed_digits(digits, scalars[i].to_canonical(), c, windows);

  const std::size_t num_buckets = std::size_t{1} << (c - 1);
  std::vector<G1Projective> buckets(num_buckets);
  G1Projective result{};
  for (std::size_t w = windows; w-- > 0;) {
    for (unsigned i = 0; i < c; ++i) result = result.dbl();
    std::fill(buckets.begin(), buckets.end(), G1Projective::identity());
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t d = digits[i * windows + w];
      if (d > 0) buckets[static_cast<std::size_t>(d - 1)] += points[i];
      if (d < 0) buckets[static_cast<std::size_t>(-d - 1)] += -points[i];
    }
    // sum_b (b+1) * bucket[b] by running sums.
    G1Projective running{}, window_sum{};
    for (std::size_t b = num_buckets; b-- > 0;) {
      running += buckets[b];
      window_sum += running;
    }
    result += window_sum;
  }
  return result;
}

}  // namespace kzg
