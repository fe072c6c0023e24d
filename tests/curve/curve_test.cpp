// Group laws of G1 and G2 checked by algebraic identities, the encodings against known generators and
// every rejection class, subgroup checks against multiplication by r, and the MSM against naive sums.
#include <gtest/gtest.h>

#include <random>

#include "common/hex.hpp"
#include "curve/g1.hpp"
#include "curve/g2.hpp"
#include "support/random_blobs.hpp"

namespace kzg {
namespace {

const Scalar kR = Fr::modulus();

G1Projective g1() { return G1Projective::from_affine(G1Affine::generator()); }
G2Projective g2() { return G2Projective::from_affine(G2Affine::generator()); }

// A point on E(Fp) outside the r-torsion (the cofactor is not 1), found from small x.
G1Affine g1_off_subgroup_point(std::uint64_t start) {
  for (std::uint64_t x = start;; ++x) {
    Fp y;
    const Fp fx = Fp::from_u64(x);
    if (fp_sqrt(y, fx.square() * fx + Fp::from_u64(4))) return G1Affine{fx, y, false};
  }
}

G2Affine g2_off_subgroup_point(std::uint64_t start) {
  for (std::uint64_t x = start;; ++x) {
    Fp2 y;
    const Fp2 fx{Fp::from_u64(x), Fp::one()};
    if (fp2_sqrt(y, fx.square() * fx + Fp2{Fp::from_u64(4), Fp::from_u64(4)})) return G2Affine{fx, y, false};
  }
}

TEST(G1, GeneratorEncodingAndOrder) {
  Bytes48 out{};
  g1_compress(out, G1Affine::generator());
  EXPECT_EQ(hex_encode(out),
            "0x97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
  EXPECT_TRUE(G1Affine::generator().is_on_curve());
  EXPECT_TRUE(g1_mul(g1(), kR).is_identity());
  EXPECT_FALSE(g1_mul(g1(), Fr::from_u64(5)).is_identity());
}

TEST(G1, GroupLaws) {
  std::mt19937_64 rng(21);
  const Fr a = test::random_fr(rng), b = test::random_fr(rng);
  const G1Projective pa = g1_mul(g1(), a), pb = g1_mul(g1(), b), pc = g1_mul(g1(), test::random_fr(rng));
  EXPECT_EQ(pa + pb, pb + pa);
  EXPECT_EQ((pa + pb) + pc, pa + (pb + pc));
  EXPECT_EQ(pa + G1Projective::identity(), pa);
  EXPECT_TRUE((pa - pa).is_identity());
  EXPECT_EQ(pa.dbl(), pa + pa);
  EXPECT_EQ(pa + pb.to_affine(), pa + pb);             // mixed == full addition
  EXPECT_EQ(pa + pa.to_affine(), pa.dbl());            // mixed addition of the same point doubles
  EXPECT_EQ(g1_mul(g1(), a + b), pa + pb);             // [a]G + [b]G == [a+b]G
  EXPECT_EQ(g1_mul(pa, b), g1_mul(pb, a));             // [b][a]G == [a][b]G
  EXPECT_EQ(g1_mul(g1(), a * b), g1_mul(pa, b));
  EXPECT_EQ(g1_mul(g1(), -a), -pa);
  // wNAF agrees with double-and-add.
  G1Projective naive{};
  const Scalar k = a.to_canonical();
  for (std::size_t i = 256; i-- > 0;) {
    naive = naive.dbl();
    if (limbs::bit(k, i)) naive += g1();
  }
  EXPECT_EQ(naive, pa);
}

TEST(G1, CompressionRoundTripAndRejections) {
  std::mt19937_64 rng(22);
  for (int i = 0; i < 20; ++i) {
    const G1Affine p = g1_mul(g1(), test::random_fr(rng)).to_affine();
    Bytes48 b{};
    g1_compress(b, p);
    G1Affine q;
    ASSERT_EQ(g1_decompress(q, b), PointError::kOk);
    EXPECT_EQ(p, q);
    b[0] &= 0x7f;
    EXPECT_EQ(g1_decompress(q, b), PointError::kNotCompressed);
  }
  Bytes48 inf{};
  inf[0] = 0xc0;
  G1Affine q;
  ASSERT_EQ(g1_decompress(q, inf), PointError::kOk);
  EXPECT_TRUE(q.infinity);
  inf[47] = 1;
  EXPECT_EQ(g1_decompress(q, inf), PointError::kBadInfinity);
  inf[47] = 0;
  inf[0] = 0xe0;  // infinity with the sign bit
  EXPECT_EQ(g1_decompress(q, inf), PointError::kBadInfinity);
  Bytes48 big{};
  big.fill(0xff);
  big[0] = 0x9f;  // x = 2^381 - 1 > p
  EXPECT_EQ(g1_decompress(q, big), PointError::kNotCanonical);
  // x with no y: scan for one.
  for (std::uint64_t x = 1;; ++x) {
    Fp y;
    if (fp_sqrt(y, Fp::from_u64(x).square() * Fp::from_u64(x) + Fp::from_u64(4))) continue;
    Bytes48 b{};
    Fp::from_u64(x).to_bytes_be(b);
    b[0] |= 0x80;
    EXPECT_EQ(g1_decompress(q, b), PointError::kNotOnCurve);
    break;
  }
  const G1Affine off = g1_off_subgroup_point(0);
  Bytes48 ob{};
  g1_compress(ob, off);
  EXPECT_EQ(g1_decompress(q, ob), PointError::kNotInSubgroup);
  EXPECT_EQ(g1_decompress_unchecked(q, ob), PointError::kOk);
}

TEST(G1, SubgroupCheckAgreesWithMultiplicationByR) {
  std::mt19937_64 rng(23);
  for (std::uint64_t s = 0; s < 40; s += 4) {
    const G1Affine p = g1_off_subgroup_point(s);
    const bool by_r = g1_mul(G1Projective::from_affine(p), kR).is_identity();
    EXPECT_EQ(p.is_in_subgroup(), by_r) << s;
    EXPECT_FALSE(by_r);
  }
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(g1_mul(g1(), test::random_fr(rng)).to_affine().is_in_subgroup());
}

TEST(G1, MsmMatchesNaiveSums) {
  std::mt19937_64 rng(24);
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 8u, 31u, 64u, 100u, 257u, 1000u}) {
    std::vector<G1Affine> pts(n);
    std::vector<Fr> ks(n);
    G1Projective expect{};
    for (std::size_t i = 0; i < n; ++i) {
      pts[i] = g1_mul(g1(), test::random_fr(rng)).to_affine();
      ks[i] = test::random_fr(rng);
      if (i % 7 == 3) ks[i] = Fr::zero();
      if (i % 11 == 5) ks[i] = -Fr::one();  // r - 1
      if (i % 13 == 6) pts[i] = G1Affine::identity();
      if (i % 17 == 9 && i > 0) pts[i] = pts[i - 1];
      expect += g1_mul(G1Projective::from_affine(pts[i]), ks[i]);
    }
    EXPECT_EQ(g1_msm(pts, ks), expect) << n;
  }
}

TEST(G1, BatchToAffine) {
  std::mt19937_64 rng(25);
  std::vector<G1Projective> ps{g1_mul(g1(), test::random_fr(rng)), G1Projective::identity(), g1().dbl()};
  std::vector<G1Affine> out(ps.size());
  g1_batch_to_affine(out, ps);
  for (std::size_t i = 0; i < ps.size(); ++i) EXPECT_EQ(out[i], ps[i].to_affine());
}

TEST(G2, GeneratorEncodingOrderAndLaws) {
  Bytes96 out{};
  g2_compress(out, G2Affine::generator());
  EXPECT_EQ(hex_encode(out),
            "0x93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
            "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8");
  EXPECT_TRUE(g2_mul(g2(), kR).is_identity());
  std::mt19937_64 rng(26);
  const Fr a = test::random_fr(rng), b = test::random_fr(rng);
  const G2Projective pa = g2_mul(g2(), a), pb = g2_mul(g2(), b);
  EXPECT_EQ(pa + pb, g2_mul(g2(), a + b));
  EXPECT_EQ(g2_mul(pa, b), g2_mul(pb, a));
  EXPECT_EQ(pa.dbl(), pa + pa);
  EXPECT_EQ(pa + pb.to_affine(), pa + pb);
  G2Affine q;
  Bytes96 enc{};
  g2_compress(enc, pa.to_affine());
  ASSERT_EQ(g2_decompress(q, enc), PointError::kOk);
  EXPECT_EQ(q, pa.to_affine());
}

TEST(G2, SubgroupCheckAgreesWithMultiplicationByR) {
  for (std::uint64_t s = 0; s < 12; s += 3) {
    const G2Affine p = g2_off_subgroup_point(s);
    EXPECT_TRUE(p.is_on_curve());
    const bool by_r = g2_mul(G2Projective::from_affine(p), kR).is_identity();
    EXPECT_EQ(p.is_in_subgroup(), by_r);
    EXPECT_FALSE(by_r);
    Bytes96 enc{};
    g2_compress(enc, p);
    G2Affine q;
    EXPECT_EQ(g2_decompress(q, enc), PointError::kNotInSubgroup);
  }
  EXPECT_TRUE(G2Affine::generator().is_in_subgroup());
}

}  // namespace
}  // namespace kzg
