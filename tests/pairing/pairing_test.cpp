// The optimal ate pairing against its defining properties (non-degeneracy, bilinearity, order r),
// the multi-pairing against products of single pairings, identity handling, and one known answer.
#include "engine/pairing/pairing.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"

namespace kzg {
namespace {

class PairingTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng{7594};

  Fr random_fr() {
    std::array<std::uint8_t, 32> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    return Fr::from_bytes_be_reduce(bytes);
  }
  static G1Affine g1_times(const Fr& k) {
    return g1_mul(G1Projective::from_affine(G1Affine::generator()), k).to_affine();
  }
  static G2Affine g2_times(const Fr& k) {
    return g2_mul(G2Projective::from_affine(G2Affine::generator()), k).to_affine();
  }
  static Fp12 gt_pow(const Fp12& g, const Fr& k) { return g.pow(k.to_canonical()); }
};

TEST_F(PairingTest, NonDegenerate) {
  Fp12 e = pairing(G1Affine::generator(), G2Affine::generator());
  EXPECT_FALSE(e.is_one());
  EXPECT_FALSE(e.is_zero());
}

TEST_F(PairingTest, ValueHasOrderR) {
  Fp12 e = pairing(g1_times(random_fr()), g2_times(random_fr()));
  EXPECT_FALSE(e.is_one());
  EXPECT_TRUE(e.pow(Fr::modulus()).is_one());
}

TEST_F(PairingTest, Bilinear) {
  const G1Affine p = G1Affine::generator();
  const G2Affine q = G2Affine::generator();
  const Fp12 e = pairing(p, q);
  for (int i = 0; i < 2; ++i) {
    Fr a = random_fr(), b = random_fr();
    Fp12 expected = gt_pow(e, a * b);
    EXPECT_EQ(pairing(g1_times(a), g2_times(b)), expected);
    EXPECT_EQ(pairing(g1_times(a * b), q), expected);
    EXPECT_EQ(pairing(p, g2_times(a * b)), expected);
  }
}

TEST_F(PairingTest, AdditiveInEachArgument) {
  Fr a = random_fr(), b = random_fr(), c = random_fr();
  G1Affine p1 = g1_times(a), p2 = g1_times(b);
  G2Affine q1 = g2_times(c), q2 = g2_times(a);
  G1Affine p_sum = (G1Projective::from_affine(p1) + G1Projective::from_affine(p2)).to_affine();
  G2Affine q_sum = (G2Projective::from_affine(q1) + G2Projective::from_affine(q2)).to_affine();
  EXPECT_EQ(pairing(p_sum, q1), pairing(p1, q1) * pairing(p2, q1));
  EXPECT_EQ(pairing(p1, q_sum), pairing(p1, q1) * pairing(p1, q2));
}

TEST_F(PairingTest, NegationInvertsTheValue) {
  G1Affine p = g1_times(random_fr());
  G2Affine q = g2_times(random_fr());
  Fp12 e = pairing(p, q);
  EXPECT_EQ(pairing(-p, q), e.conjugate());
  EXPECT_EQ(pairing(p, -q), e.conjugate());
  EXPECT_EQ(pairing(-p, -q), e);
  EXPECT_TRUE((pairing(-p, q) * e).is_one());
}

TEST_F(PairingTest, ProductIsOneDecidesPairingEquations) {
  const G1Affine p = g1_times(random_fr());
  const G2Affine q = g2_times(random_fr());
  const std::array<G1Affine, 2> ps{-p, p};
  const std::array<G2Affine, 2> qs{q, q};
  EXPECT_TRUE(pairing_product_is_one(ps, qs));  // e(-P, Q) e(P, Q) == 1

  // The shape of a KZG check: e(aP, Q) == e(P, aQ).
  Fr a = random_fr();
  const std::array<G1Affine, 2> kzg_p{g1_times(a), -G1Affine::generator()};
  const std::array<G2Affine, 2> kzg_q{G2Affine::generator(), g2_times(a)};
  EXPECT_TRUE(pairing_product_is_one(kzg_p, kzg_q));

  const std::array<G1Affine, 2> wrong_p{g1_times(a + Fr::one()), -G1Affine::generator()};
  EXPECT_FALSE(pairing_product_is_one(wrong_p, kzg_q));
  const std::array<G1Affine, 2> same{p, p};
  EXPECT_FALSE(pairing_product_is_one(same, qs));
  const std::array<G1Affine, 1> single{p};
  EXPECT_FALSE(pairing_product_is_one(single, std::span(qs).first(1)));
}

TEST_F(PairingTest, MultiMillerLoopMatchesProductOfPairings) {
  for (std::size_t n : {1u, 2u, 3u, 5u}) {
    std::vector<G1Affine> ps;
    std::vector<G2Affine> qs;
    Fp12 expected = Fp12::one();
    for (std::size_t i = 0; i < n; ++i) {
      ps.push_back(g1_times(random_fr()));
      qs.push_back(g2_times(random_fr()));
      expected *= pairing(ps.back(), qs.back());
    }
    EXPECT_EQ(final_exponentiation(multi_miller_loop(ps, qs)), expected) << "n = " << n;
    EXPECT_EQ(pairing_product_is_one(ps, qs), expected.is_one());
  }
}

TEST_F(PairingTest, IdentityInputs) {
  const G1Affine p = g1_times(random_fr());
  const G2Affine q = g2_times(random_fr());
  EXPECT_TRUE(pairing(G1Affine::identity(), q).is_one());
  EXPECT_TRUE(pairing(p, G2Affine::identity()).is_one());
  EXPECT_TRUE(pairing(G1Affine::identity(), G2Affine::identity()).is_one());
  EXPECT_TRUE(multi_miller_loop(std::span<const G1Affine>{}, std::span<const G2Affine>{}).is_one());
  EXPECT_TRUE(pairing_product_is_one(std::span<const G1Affine>{}, std::span<const G2Affine>{}));

  // Pairs with an identity point drop out of a multi-pairing.
  const std::array<G1Affine, 3> ps{G1Affine::identity(), p, p};
  const std::array<G2Affine, 3> qs{q, G2Affine::identity(), q};
  EXPECT_EQ(multi_miller_loop(ps, qs), multi_miller_loop(std::span(ps).last(1), std::span(qs).last(1)));
  const std::array<G1Affine, 2> ids{G1Affine::identity(), p};
  const std::array<G2Affine, 2> with_id{q, G2Affine::identity()};
  EXPECT_TRUE(pairing_product_is_one(ids, with_id));
}

std::array<Fp, 12> coordinates(const Fp12& f) {
  std::array<Fp, 12> out;
  std::size_t i = 0;
  for (const Fp6* half : {&f.c0, &f.c1}) {
    for (const Fp2* c : {&half->c0, &half->c1, &half->c2}) {
      out[i++] = c->c0;
      out[i++] = c->c1;
    }
  }
  return out;
}

// e(G1, G2)^3 is the "GT generator" of zkcrypto/bls12_381 (whose final exponentiation computes
// the cube, f^(3(p^12-1)/r)); coordinates in canonical big-endian hex, in the order c0.c0.c0,
// c0.c0.c1, c0.c1.c0, ..., c1.c2.c1.
TEST_F(PairingTest, KnownAnswerForGenerators) {
  static constexpr const char* kGeneratorPairingCubed[12] = {
      "1250ebd871fc0a92a7b2d83168d0d727272d441befa15c503dd8e90ce98db3e7b6d194f60839c508a84305aaca1789b6",
      "089a1c5b46e5110b86750ec6a532348868a84045483c92b7af5af689452eafabf1a8943e50439f1d59882a98eaa0170f",
      "1368bb445c7c2d209703f239689ce34c0378a68e72a6b3b216da0e22a5031b54ddff57309396b38c881c4c849ec23e87",
      "193502b86edb8857c273fa075a50512937e0794e1e65a7617c90d8bd66065b1fffe51d7a579973b1315021ec3c19934f",
      "01b2f522473d171391125ba84dc4007cfbf2f8da752f7c74185203fcca589ac719c34dffbbaad8431dad1c1fb597aaa5",
      "018107154f25a764bd3c79937a45b84546da634b8f6be14a8061e55cceba478b23f7dacaa35c8ca78beae9624045b4b6",
      "19f26337d205fb469cd6bd15c3d5a04dc88784fbb3d0b2dbdea54d43b2b73f2cbb12d58386a8703e0f948226e47ee89d",
      "06fba23eb7c5af0d9f80940ca771b6ffd5857baaf222eb95a7d2809d61bfe02e1bfd1b68ff02f0b8102ae1c2d5d5ab1a",
      "11b8b424cd48bf38fcef68083b0b0ec5c81a93b330ee1a677d0d15ff7b984e8978ef48881e32fac91b93b47333e2ba57",
      "03350f55a7aefcd3c31b4fcb6ce5771cc6a0e9786ab5973320c806ad360829107ba810c5a09ffdd9be2291a0c25a99a2",
      "04c581234d086a9902249b64728ffd21a189e87935a954051c7cdba7b3872629a4fafc05066245cb9108f0242d0fe3ef",
      "0f41e58663bf08cf068672cbd01a7ec73baca4d72ca93544deff686bfd6df543d48eaa24afe47e1efde449383b676631",
  };
  const G1Affine p = G1Affine::generator();
  const G2Affine q = G2Affine::generator();
  const Fp12 e = pairing(p, q);
  const Fp12 cubed = final_exponentiation_cubed(multi_miller_loop(std::span(&p, 1), std::span(&q, 1)));
  EXPECT_EQ(cubed, e.square() * e);
  const std::array<Fp, 12> coords = coordinates(cubed);
  for (std::size_t i = 0; i < 12; ++i) {
    std::array<std::uint8_t, 48> bytes{};
    coords[i].to_bytes_be(bytes);
    std::string hex;
    for (std::uint8_t b : bytes) {
      static constexpr char kDigits[] = "0123456789abcdef";
      hex += kDigits[b >> 4];
      hex += kDigits[b & 15];
    }
    EXPECT_EQ(hex, kGeneratorPairingCubed[i]) << "coordinate " << i;
  }
}

}  // namespace
}  // namespace kzg
