#include "engine/poly/domain.hpp"

namespace kzg {

std::vector<Fr> compute_roots_of_unity(std::size_t n) {
  // (r - 1) / n: r - 1 = 2^32 * t, so for n = 2^k the quotient is (r - 1) >> k.
  Scalar e = Fr::modulus();
  e[0] -= 1;
  for (std::size_t m = n; m > 1; m >>= 1) limbs::shr1(e);
  const Fr omega = Fr::from_u64(7).pow(e);
  std::vector<Fr> roots(n);
  Fr w = Fr::one();
  for (auto& x : roots) {
    x = w;
    w *= omega;
  }
  return roots;
}

}  // namespace kzg
