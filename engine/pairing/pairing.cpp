#include "engine/pairing/pairing.hpp"

#include <array>
#include <vector>

namespace kzg {

Fp12 pairing(const G1Affine& p, const G2Affine& q) {
  return final_exponentiation(multi_miller_loop(std::span(&p, 1), std::span(&q, 1)));
}

Fp12 pairing(const G1Affine& p, const G2Prepared& q) {
  const G2Prepared* qs[1] = {&q};
  return final_exponentiation(multi_miller_loop(std::span(&p, 1), qs));
}

bool pairing_product_is_one(std::span<const G1Affine> p, std::span<const G2Affine> q) {
  if (p.size() != q.size()) return false;
  return final_exponentiation_cubed(multi_miller_loop(p, q)).is_one();
}

bool pairing_product_is_one(std::span<const G1Affine> p, std::span<const G2Prepared* const> q) {
  if (p.size() != q.size()) return false;
  return final_exponentiation_cubed(multi_miller_loop(p, q)).is_one();
}

bool pairing_product_is_one(std::span<const G1Projective> p, std::span<const G2Prepared* const> q) {
  if (p.size() != q.size()) return false;
  constexpr std::size_t kInline = 4;  // KZG checks have 2 pairs: no allocation for those
  std::array<G1Affine, kInline> small;
  std::vector<G1Affine> large;
  std::span<G1Affine> affine = p.size() <= kInline ? std::span<G1Affine>(small.data(), p.size())
                                                   : std::span<G1Affine>((large.resize(p.size()), large));
  g1_batch_to_affine(affine, p);
  return pairing_product_is_one(std::span<const G1Affine>(affine), q);
}

}  // namespace kzg
