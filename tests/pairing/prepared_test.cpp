// Prepared G2 points (precomputed Miller-loop lines) against the plain path: the same reduced
// pairings and the same pairing-check answers on random points, identities, KZG-shaped checks,
// mismatched sizes, and the fallback for lines that cannot be scaled to a unit constant term.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "engine/pairing/pairing.hpp"

namespace kzg {
namespace {

class PairingPreparedTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng{20250101};

  Fr random_fr() {
    std::array<std::uint8_t, 32> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    return Fr::from_bytes_be_reduce(bytes);
  }
  Fp2 random_nonzero_fp2() {
    for (;;) {
      std::array<std::uint8_t, 48> bytes{};
      for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
      Fp2 a{Fp::from_bytes_be_reduce(bytes), Fp::from_u64(rng())};
      if (!a.is_zero()) return a;
    }
  }
  G1Affine random_g1() { return g1_mul(G1Projective::from_affine(G1Affine::generator()), random_fr()).to_affine(); }
  G2Affine random_g2() { return g2_mul(G2Projective::from_affine(G2Affine::generator()), random_fr()).to_affine(); }

  static std::vector<const G2Prepared*> pointers(const std::vector<G2Prepared>& v) {
    std::vector<const G2Prepared*> out;
    for (const auto& x : v) out.push_back(&x);
    return out;
  }
};

TEST_F(PairingPreparedTest, ShapeOfPreparedPoints) {
  const G2Prepared g = prepare_g2(G2Affine::generator());
  EXPECT_FALSE(g.is_identity());
  EXPECT_EQ(g.lines.size(), 68u);  // 63 doublings + 5 additions for |x| = 0xd201000000010000
  EXPECT_TRUE(g.unit_c0);
  EXPECT_TRUE(g.c0.empty());

  const G2Prepared id = prepare_g2(G2Affine::identity());
  EXPECT_TRUE(id.is_identity());
  EXPECT_TRUE(id.lines.empty());
  EXPECT_TRUE(G2Prepared{}.is_identity());
}

TEST_F(PairingPreparedTest, SinglePairingMatchesPlainPath) {
  const G1Affine p = G1Affine::generator();
  const G2Affine q = G2Affine::generator();
  EXPECT_EQ(pairing(p, prepare_g2(q)), pairing(p, q));
  for (int i = 0; i < 3; ++i) {
    const G1Affine a = random_g1();
    const G2Affine b = random_g2();
    const G2Prepared prepared = prepare_g2(b);
    EXPECT_EQ(pairing(a, prepared), pairing(a, b));
    EXPECT_EQ(pairing(-a, prepared), pairing(a, -b));
  }
}

TEST_F(PairingPreparedTest, MultiMillerLoopMatchesPlainPathAfterFinalExponentiation) {
  for (std::size_t n : {1u, 2u, 3u, 4u}) {
    std::vector<G1Affine> ps;
    std::vector<G2Affine> qs;
    std::vector<G2Prepared> prepared;
    for (std::size_t i = 0; i < n; ++i) {
      ps.push_back(random_g1());
      qs.push_back(random_g2());
      prepared.push_back(prepare_g2(qs.back()));
    }
    const auto ptrs = pointers(prepared);
    const Fp12 plain = multi_miller_loop(ps, qs);
    const Fp12 fast = multi_miller_loop(ps, ptrs);
    EXPECT_EQ(final_exponentiation(fast), final_exponentiation(plain)) << "n = " << n;
    EXPECT_EQ(final_exponentiation_cubed(fast), final_exponentiation_cubed(plain)) << "n = " << n;
    EXPECT_EQ(pairing_product_is_one(ps, ptrs), pairing_product_is_one(ps, qs)) << "n = " << n;
  }
}

TEST_F(PairingPreparedTest, KzgShapedChecks) {
  // e(aP, -G2) e(P, [a]G2) == 1, with both G2 points prepared, as a KZG verifier does.
  const Fr a = random_fr();
  const G2Prepared neg_g2 = prepare_g2(-G2Affine::generator());
  const G2Prepared a_g2 = prepare_g2(g2_mul(G2Projective::from_affine(G2Affine::generator()), a).to_affine());
  const G1Affine p = random_g1();
  const G1Affine ap = g1_mul(G1Projective::from_affine(p), a).to_affine();
  const std::array<const G2Prepared*, 2> qs{&neg_g2, &a_g2};

  const std::array<G1Affine, 2> good{ap, p};
  EXPECT_TRUE(pairing_product_is_one(good, qs));
  const std::array<G1Affine, 2> bad{ap, -p};
  EXPECT_FALSE(pairing_product_is_one(bad, qs));
  const std::array<G1Affine, 2> bad2{p, p};
  EXPECT_FALSE(pairing_product_is_one(bad2, qs));
  const std::array<G1Affine, 2> swapped{p, ap};
  EXPECT_FALSE(pairing_product_is_one(swapped, qs));

  // Plain-array callers: the shape engine/kzg uses.
  const G1Affine ps_c[2] = {ap, p};
  const G2Prepared* qs_c[2] = {&neg_g2, &a_g2};
  EXPECT_TRUE(pairing_product_is_one(ps_c, qs_c));
}

TEST_F(PairingPreparedTest, RandomChecksAgreeWithPlainPath) {
  const G2Affine q1 = random_g2(), q2 = random_g2();
  const G2Prepared p1 = prepare_g2(q1), p2 = prepare_g2(q2);
  const std::array<G2Affine, 2> plain{q1, q2};
  const std::array<const G2Prepared*, 2> prepared{&p1, &p2};
  for (int i = 0; i < 3; ++i) {
    const std::array<G1Affine, 2> ps{random_g1(), random_g1()};
    EXPECT_EQ(pairing_product_is_one(ps, prepared), pairing_product_is_one(ps, plain));
    EXPECT_FALSE(pairing_product_is_one(ps, prepared));
  }
  // e(P, Q) e(-P, Q) == 1 with the same prepared point twice.
  const G1Affine p = random_g1();
  const std::array<G1Affine, 2> cancel{p, -p};
  const std::array<const G2Prepared*, 2> same{&p1, &p1};
  EXPECT_TRUE(pairing_product_is_one(cancel, same));
}

TEST_F(PairingPreparedTest, IdentityInputs) {
  const G1Affine p = random_g1();
  const G2Affine q = random_g2();
  const G2Prepared qp = prepare_g2(q);
  const G2Prepared id = prepare_g2(G2Affine::identity());
  const G2Prepared default_id{};

  EXPECT_TRUE(pairing(G1Affine::identity(), qp).is_one());
  EXPECT_TRUE(pairing(p, id).is_one());
  EXPECT_TRUE(pairing(p, default_id).is_one());

  const std::array<G1Affine, 2> ids{G1Affine::identity(), G1Affine::identity()};
  const std::array<const G2Prepared*, 2> qs{&qp, &qp};
  EXPECT_TRUE(pairing_product_is_one(ids, qs));
  EXPECT_TRUE(multi_miller_loop(ids, qs).is_one());

  // An identity on either side removes its pair, and only its pair.
  const std::array<G1Affine, 2> mixed{G1Affine::identity(), p};
  const std::array<const G2Prepared*, 2> mixed_q{&qp, &id};
  EXPECT_TRUE(pairing_product_is_one(mixed, mixed_q));
  const std::array<G1Affine, 2> one_live{p, G1Affine::identity()};
  EXPECT_FALSE(pairing_product_is_one(one_live, qs));
  const std::array<G2Affine, 2> plain_q{q, q};
  EXPECT_EQ(final_exponentiation(multi_miller_loop(one_live, qs)),
            final_exponentiation(multi_miller_loop(one_live, plain_q)));

  // Empty products.
  EXPECT_TRUE(pairing_product_is_one(std::span<const G1Affine>{}, std::span<const G2Prepared* const>{}));
  EXPECT_TRUE(multi_miller_loop(std::span<const G1Affine>{}, std::span<const G2Prepared* const>{}).is_one());
}

TEST_F(PairingPreparedTest, MismatchedSizes) {
  const G1Affine p = random_g1();
  const G2Prepared qp = prepare_g2(random_g2());
  const std::array<G1Affine, 2> two{p, -p};
  const std::array<const G2Prepared*, 1> one{&qp};
  const std::array<const G2Prepared*, 3> three{&qp, &qp, &qp};
  EXPECT_FALSE(pairing_product_is_one(two, one));
  EXPECT_FALSE(pairing_product_is_one(two, three));
  EXPECT_FALSE(pairing_product_is_one(std::span(two).first(1), std::span<const G2Prepared* const>{}));
  // The Miller loop ignores the extra elements of the longer span.
  EXPECT_EQ(multi_miller_loop(two, three), multi_miller_loop(two, std::span(three).first(2)));
  EXPECT_EQ(multi_miller_loop(two, one), multi_miller_loop(std::span(two).first(1), one));
}

TEST_F(PairingPreparedTest, LinesWithoutUnitConstantTermTakeTheGeneralProduct) {
  // Rescale every line of a prepared point by a random Fp2 factor and store it in the general form
  // (as prepare_g2 would for a point with a zero constant coefficient): the factors lie in a proper
  // subfield, so the reduced pairings must not change.
  const G2Affine q = random_g2();
  const G2Prepared unit = prepare_g2(q);
  G2Prepared general = unit;
  general.unit_c0 = false;
  general.c0.clear();
  for (auto& line : general.lines) {
    const Fp2 s = random_nonzero_fp2();
    general.c0.push_back(s);
    line.c1 = line.c1 * s;
    line.c4 = line.c4 * s;
  }
  const G1Affine p = random_g1();
  EXPECT_EQ(pairing(p, general), pairing(p, q));
  const std::array<G1Affine, 2> ps{p, -p};
  const std::array<const G2Prepared*, 2> mixed{&unit, &general};
  EXPECT_TRUE(pairing_product_is_one(ps, mixed));
}

TEST_F(PairingPreparedTest, ProjectiveG1PointsMatchAffine) {
  // e(aP, -G2) e(P, [a]G2) == 1 with the G1 points left in Jacobian coordinates (z != 1), and
  // identities among them.
  const Fr a = random_fr();
  const G2Prepared neg_g2 = prepare_g2(-G2Affine::generator());
  const G2Prepared a_g2 = prepare_g2(g2_mul(G2Projective::from_affine(G2Affine::generator()), a).to_affine());
  const G1Projective p = g1_mul(G1Projective::from_affine(G1Affine::generator()), random_fr());
  const G1Projective ap = g1_mul(p, a);
  ASSERT_FALSE(p.z == Fp::one());
  const std::array<const G2Prepared*, 2> qs{&neg_g2, &a_g2};
  const std::array<G1Projective, 2> good{ap, p};
  EXPECT_TRUE(pairing_product_is_one(good, qs));
  const std::array<G1Projective, 2> bad{ap + p, p};
  EXPECT_FALSE(pairing_product_is_one(bad, qs));
  const std::array<G1Projective, 2> ids{G1Projective::identity(), G1Projective::identity()};
  EXPECT_TRUE(pairing_product_is_one(ids, qs));
  const std::array<G1Projective, 2> one_id{G1Projective::identity(), p};
  const std::array<G1Affine, 2> one_id_affine{G1Affine::identity(), p.to_affine()};
  EXPECT_EQ(pairing_product_is_one(one_id, qs), pairing_product_is_one(one_id_affine, qs));
  EXPECT_FALSE(pairing_product_is_one(one_id, qs));
  EXPECT_FALSE(pairing_product_is_one(std::span(good).first(1), qs));  // mismatched sizes
  // More pairs than the inline buffer holds.
  std::vector<G1Projective> many;
  std::vector<const G2Prepared*> many_q;
  for (int i = 0; i < 3; ++i) {
    many.push_back(ap);
    many.push_back(p);
    many_q.push_back(&neg_g2);
    many_q.push_back(&a_g2);
  }
  EXPECT_TRUE(pairing_product_is_one(many, many_q));
  many[5] = many[5] + p;
  EXPECT_FALSE(pairing_product_is_one(many, many_q));
}

TEST_F(PairingPreparedTest, PreparedPointsAreReusable) {
  const G2Prepared g = prepare_g2(G2Affine::generator());
  const G2Prepared copy = g;
  const G1Affine p = G1Affine::generator();
  const Fp12 e = pairing(p, G2Affine::generator());
  EXPECT_EQ(pairing(p, g), e);
  EXPECT_EQ(pairing(p, g), e);  // no state left behind
  EXPECT_EQ(pairing(p, copy), e);
}

}  // namespace
}  // namespace kzg
