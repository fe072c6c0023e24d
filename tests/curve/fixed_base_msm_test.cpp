#include "curve/fixed_base_msm.hpp"

#include <gtest/gtest.h>

#include "support/random_blobs.hpp"

namespace kzg {
namespace {

G1Projective g1() { return G1Projective::from_affine(G1Affine::generator()); }

TEST(FixedBaseMsm, MatchesThePlainMsm) {
  std::mt19937_64 rng(31);
  const std::size_t n = 300;
  std::vector<G1Affine> pts(n);
  for (auto& p : pts) p = g1_mul(g1(), test::random_fr(rng)).to_affine();
  pts[7] = G1Affine::identity();
  pts[8] = pts[9];
  for (unsigned window : {4u, 13u}) {
    const G1FixedBaseMsm table(pts, window);
    for (int round = 0; round < 3; ++round) {
      std::vector<Fr> ks(n);
      for (auto& k : ks) k = test::random_fr(rng);
      ks[0] = Fr::zero();
      ks[1] = -Fr::one();
      ks[2] = Fr::one();
      EXPECT_EQ(table.msm(ks), g1_msm(pts, ks)) << window;
    }
  }
}

TEST(AffineBucketAccumulator, HandlesDoublingAndCancellation) {
  std::mt19937_64 rng(32);
  const G1Affine p = g1_mul(g1(), test::random_fr(rng)).to_affine();
  const G1Affine q = g1_mul(g1(), test::random_fr(rng)).to_affine();
  AffineBucketAccumulator acc(4);
  acc.add(0, p);
  acc.add(0, p);   // doubling
  acc.add(1, q);
  acc.add(1, -q);  // cancels to infinity
  acc.add(1, p);
  acc.add(3, q);
  acc.flush();
  // 1 * 2P + 2 * P + 4 * Q
  const G1Projective expect = g1_mul(G1Projective::from_affine(p), Fr::from_u64(4)) +
                              g1_mul(G1Projective::from_affine(q), Fr::from_u64(4));
  EXPECT_EQ(acc.weighted_sum(), expect);
}

}  // namespace
}  // namespace kzg
