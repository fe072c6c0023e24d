// G2: group laws, scalar multiplication against double-and-add, the psi endomorphism's constants (through
// the Frobenius characteristic polynomial on points in and out of G2), the subgroup check against
// multiplication by r, and the compressed encoding with every rejection class.
#include "engine/curve/g2.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "engine/common/hex.hpp"
#include "engine/curve/jacobian.hpp"
#include "tests/curve/curve_test_points.hpp"

namespace kzg {
namespace {

using test::g2_generator;

const Scalar kR = Fr::modulus();
constexpr std::uint64_t kAbsX = 0xd201000000010000ULL;

Scalar r_minus(std::uint64_t k) {
  Scalar s{};
  limbs::sub(s, kR, Scalar{k, 0, 0, 0});
  return s;
}
G2Projective random_point(std::mt19937_64& rng) { return g2_mul(g2_generator(), test::random_fr(rng)); }

G2Projective rescaled(const G2Projective& p, const Fp2& l) {
  const Fp2 l2 = l.square();
  return {p.x * l2, p.y * l2 * l, p.z * l};
}

TEST(G2, GeneratorEncoding) {
  const std::string hex =
      "0x93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
      "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";
  Bytes96 out{};
  g2_compress(out, G2Affine::generator());
  EXPECT_EQ(hex_encode(out), hex);
  G2Affine g;
  ASSERT_EQ(g2_decompress(g, out), PointError::kOk);
  EXPECT_EQ(g, G2Affine::generator());
  EXPECT_TRUE(g.is_on_curve());
  EXPECT_TRUE(g.is_in_subgroup());
}

TEST(G2, GeneratorHasOrderR) {
  EXPECT_TRUE(g2_mul(g2_generator(), kR).is_identity());
  EXPECT_TRUE(test::double_and_add(g2_generator(), kR).is_identity());
  EXPECT_EQ(g2_mul(g2_generator(), r_minus(1)), -g2_generator());
}

TEST(G2, GroupLaws) {
  std::mt19937_64 rng(201);
  const G2Projective o = G2Projective::identity();
  for (int round = 0; round < 3; ++round) {
    const G2Projective pa = random_point(rng), pb = random_point(rng), pc = random_point(rng);
    EXPECT_EQ(pa + pb, pb + pa);
    EXPECT_EQ((pa + pb) + pc, pa + (pb + pc));
    EXPECT_EQ(pa + o, pa);
    EXPECT_EQ(o + pa, pa);
    EXPECT_TRUE((pa - pa).is_identity());
    EXPECT_EQ(pa.dbl(), pa + pa);
    const G2Projective pa_scaled = rescaled(pa, Fp2{Fp::from_u64(5), Fp::from_u64(round + 1)});
    EXPECT_EQ(pa_scaled, pa);
    EXPECT_EQ(pa_scaled + pa, pa.dbl());
    EXPECT_NE(pa, pb);
    EXPECT_EQ(pa + pb.to_affine(), pa + pb);
    EXPECT_EQ(pa_scaled + pa.to_affine(), pa.dbl());
    EXPECT_TRUE((pa_scaled + (-pa).to_affine()).is_identity());
    EXPECT_EQ(pa + G2Affine::identity(), pa);
    EXPECT_EQ(o + pa.to_affine(), pa);
  }
  EXPECT_TRUE(o.dbl().is_identity());
  EXPECT_TRUE(o.to_affine().infinity);
}

TEST(G2, ScalarMultiplicationIdentities) {
  std::mt19937_64 rng(202);
  const G2Projective g = g2_generator();
  for (int round = 0; round < 3; ++round) {
    const Fr a = test::random_fr(rng), b = test::random_fr(rng);
    const G2Projective pa = g2_mul(g, a), pb = g2_mul(g, b);
    EXPECT_EQ(g2_mul(g, a + b), pa + pb);
    EXPECT_EQ(g2_mul(pa, b), g2_mul(g, a * b));
    EXPECT_EQ(g2_mul(g, -a), -pa);
    EXPECT_EQ(g2_mul(g, a), test::double_and_add(g, a.to_canonical()));
  }
  EXPECT_TRUE(g2_mul(g, Fr::zero()).is_identity());
  EXPECT_EQ(g2_mul(g, Fr::one()), g);
  EXPECT_TRUE(g2_mul(G2Projective::identity(), Fr::one()).is_identity());
}

// psi^2(P) - [t]psi(P) + [p]P == O with t = x + 1 = -(|x| - 1): the Frobenius characteristic polynomial.
// It holds for every point of E'(Fp2) exactly when psi is the twisted Frobenius, so it pins the constants.
bool satisfies_frobenius_polynomial(const G2Projective& p) {
  const G2Projective psi_p = g2_psi(p);
  const G2Projective lhs = g2_psi(psi_p) + jacobian::mul_wnaf(psi_p, Limbs<1>{kAbsX - 1});
  return (lhs + jacobian::mul_wnaf(p, Fp::modulus())).is_identity();
}

TEST(G2, PsiConstantsAreTheTwistedFrobenius) {
  std::mt19937_64 rng(203);
  std::uint64_t x = 0;
  for (int i = 0; i < 4; ++i) {
    const G2Affine off = test::g2_curve_point(x);
    x = off.x.c0.to_canonical()[0] + 1;
    const G2Projective p = G2Projective::from_affine(off);
    EXPECT_TRUE(g2_psi(p).to_affine().is_on_curve());
    EXPECT_TRUE(satisfies_frobenius_polynomial(p));
    // psi is additive.
    const G2Projective q = random_point(rng);
    EXPECT_EQ(g2_psi(p + q), g2_psi(p) + g2_psi(q));
  }
  for (int i = 0; i < 4; ++i) {
    const G2Projective p = random_point(rng);
    EXPECT_TRUE(satisfies_frobenius_polynomial(p));
    // On G2: psi(P) == [x]P = -[|x|]P.
    EXPECT_EQ(g2_psi(p), -jacobian::mul_wnaf(p, Limbs<1>{kAbsX}));
  }
  // A wrong constant breaks the relation: conjugation alone is not an endomorphism of the twist.
  const G2Projective p = random_point(rng);
  const G2Projective conj{p.x.conjugate(), p.y.conjugate(), p.z.conjugate()};
  EXPECT_FALSE(conj.to_affine().is_on_curve());
}

TEST(G2, SubgroupCheckAgreesWithOrderR) {
  std::uint64_t x = 0;
  for (int found = 0; found < 5; ++found) {
    const G2Affine p = test::g2_curve_point(x);
    x = p.x.c0.to_canonical()[0] + 1;
    ASSERT_TRUE(p.is_on_curve());
    const bool order_r = g2_mul(G2Projective::from_affine(p), kR).is_identity();
    EXPECT_FALSE(order_r);
    EXPECT_EQ(p.is_in_subgroup(), order_r);
    EXPECT_FALSE((-p).is_in_subgroup());
  }
  std::mt19937_64 rng(204);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(random_point(rng).to_affine().is_in_subgroup());
  EXPECT_TRUE(G2Affine::identity().is_in_subgroup());
}

TEST(G2, CompressionRoundTrip) {
  std::mt19937_64 rng(205);
  std::vector<G2Affine> points = {G2Affine::generator(), -G2Affine::generator(), G2Affine::identity()};
  for (int i = 0; i < 8; ++i) points.push_back(random_point(rng).to_affine());
  for (const G2Affine& p : points) {
    Bytes96 b{};
    g2_compress(b, p);
    EXPECT_EQ(b[0] & 0x80, 0x80);
    EXPECT_EQ((b[0] & 0x40) != 0, p.infinity);
    if (!p.infinity) {
      EXPECT_EQ((b[0] & 0x20) != 0, p.y.lexicographically_largest());
    }
    G2Affine q;
    ASSERT_EQ(g2_decompress(q, b), PointError::kOk);
    EXPECT_EQ(q, p);
  }
  // An x with c1 == 0 takes its sign from c0.
  const G2Affine g = G2Affine::generator();
  EXPECT_EQ((Fp2{g.y.c0, Fp::zero()}).lexicographically_largest(), g.y.c0.lexicographically_largest());
}

void expect_rejected(const Bytes96& b, PointError expect) {
  G2Affine out = G2Affine::generator();
  EXPECT_EQ(g2_decompress(out, b), expect) << hex_encode(b);
  EXPECT_EQ(out, G2Affine::generator());
}

TEST(G2, DecompressRejectsEachClass) {
  std::mt19937_64 rng(206);
  Bytes96 good{};
  g2_compress(good, random_point(rng).to_affine());

  Bytes96 b = good;
  b[0] &= 0x7f;
  expect_rejected(b, PointError::kNotCompressed);
  expect_rejected(Bytes96{}, PointError::kNotCompressed);

  for (const std::size_t at : {1u, 47u, 48u, 95u}) {
    b = Bytes96{};
    b[0] = 0xc0;
    b[at] = 0x01;
    expect_rejected(b, PointError::kBadInfinity);
  }
  for (const std::uint8_t byte0 : {0xe0, 0xc1, 0xdf}) {
    b = Bytes96{};
    b[0] = byte0;
    expect_rejected(b, PointError::kBadInfinity);
  }

  // x.c1 (first 48 bytes) or x.c0 (last 48) >= p.
  Bytes48 p_bytes{};
  limbs::to_be_bytes<6>(p_bytes, Fp::modulus());
  b = good;
  std::copy(p_bytes.begin(), p_bytes.end(), b.begin());
  b[0] |= 0x80;
  expect_rejected(b, PointError::kNotCanonical);
  b = good;
  std::copy(p_bytes.begin(), p_bytes.end(), b.begin() + 48);
  expect_rejected(b, PointError::kNotCanonical);

  // x = k (c1 = 0) with x^3 + 4(u + 1) not a square.
  const Fp2 twist_b{Fp::from_u64(4), Fp::from_u64(4)};
  for (std::uint64_t k = 1;; ++k) {
    Fp2 y;
    const Fp2 fx{Fp::from_u64(k), Fp::zero()};
    if (fp2_sqrt(y, fx.square() * fx + twist_b)) continue;
    b = Bytes96{};
    fx.c0.to_bytes_be(std::span<std::uint8_t, 48>(b.data() + 48, 48));
    b[0] = 0x80;
    expect_rejected(b, PointError::kNotOnCurve);
    break;
  }

  std::uint64_t x = 0;
  for (int found = 0; found < 3; ++found) {
    const G2Affine p = test::g2_curve_point(x);
    x = p.x.c0.to_canonical()[0] + 1;
    g2_compress(b, p);
    expect_rejected(b, PointError::kNotInSubgroup);
  }

  b = Bytes96{};
  b[0] = 0xc0;
  G2Affine q = G2Affine::generator();
  EXPECT_EQ(g2_decompress(q, b), PointError::kOk);
  EXPECT_TRUE(q.infinity);
}

// g2_decompress_unchecked (the fuzz target's subgroup oracle) skips the subgroup check and nothing else.
TEST(G2, UncheckedDecompressionSkipsOnlyTheSubgroupCheck) {
  const G2Affine off = test::g2_curve_point(0);
  ASSERT_FALSE(off.is_in_subgroup());
  Bytes96 b{};
  g2_compress(b, off);
  G2Affine checked = G2Affine::generator();
  EXPECT_EQ(g2_decompress(checked, b), PointError::kNotInSubgroup);
  EXPECT_EQ(checked, G2Affine::generator());
  G2Affine unchecked;
  ASSERT_EQ(g2_decompress_unchecked(unchecked, b), PointError::kOk);
  EXPECT_EQ(unchecked, off);

  std::mt19937_64 rng(207);
  const G2Affine in = random_point(rng).to_affine();
  g2_compress(b, in);
  ASSERT_EQ(g2_decompress_unchecked(unchecked, b), PointError::kOk);
  EXPECT_EQ(unchecked, in);
  b[0] &= 0x7f;
  EXPECT_EQ(g2_decompress_unchecked(unchecked, b), PointError::kNotCompressed);
}

}  // namespace
}  // namespace kzg
