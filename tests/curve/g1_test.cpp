// G1: group laws, scalar multiplication against double-and-add, the GLV endomorphism and scalar split,
// the subgroup check against multiplication by r, and the compressed encoding with every rejection class.
#include "engine/curve/g1.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>
#include <string>

#include "engine/common/hex.hpp"
#include "engine/curve/g1_batch_ifma.hpp"
#include "engine/curve/g1_endomorphism.hpp"
#include "engine/curve/jacobian.hpp"
#include "tests/curve/curve_test_points.hpp"

namespace kzg {
namespace {

using test::g1_generator;

const Scalar kR = Fr::modulus();
constexpr Limbs<2> kZ = g1_endomorphism::kXSquared;

Scalar scalar(std::uint64_t lo, std::uint64_t l1 = 0, std::uint64_t l2 = 0, std::uint64_t l3 = 0) {
  return {lo, l1, l2, l3};
}
Scalar r_minus(std::uint64_t k) {
  Scalar s{};
  limbs::sub(s, kR, scalar(k));
  return s;
}
G1Projective random_point(std::mt19937_64& rng) { return g1_mul(g1_generator(), test::random_fr(rng)); }

// A point of G1 given in Jacobian coordinates with Z != 1: (X l^2, Y l^3, Z l).
G1Projective rescaled(const G1Projective& p, const Fp& l) {
  const Fp l2 = l.square();
  return {p.x * l2, p.y * l2 * l, p.z * l};
}

TEST(G1, GeneratorEncoding) {
  const std::string hex =
      "0x97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
  Bytes48 out{};
  g1_compress(out, G1Affine::generator());
  EXPECT_EQ(hex_encode(out), hex);
  G1Affine g;
  ASSERT_EQ(g1_decompress(g, out), PointError::kOk);
  EXPECT_EQ(g, G1Affine::generator());
  EXPECT_TRUE(g.is_on_curve());
  EXPECT_TRUE(g.is_in_subgroup());
}

TEST(G1, GeneratorHasOrderR) {
  EXPECT_TRUE(g1_mul_any(g1_generator(), kR).is_identity());
  EXPECT_TRUE(test::double_and_add(g1_generator(), kR).is_identity());
  EXPECT_EQ(g1_mul_any(g1_generator(), r_minus(1)), -g1_generator());
  EXPECT_EQ(g1_mul(g1_generator(), r_minus(1)), -g1_generator());
  EXPECT_FALSE(g1_mul(g1_generator(), scalar(5)).is_identity());
}

TEST(G1, GroupLaws) {
  std::mt19937_64 rng(101);
  const G1Projective o = G1Projective::identity();
  for (int round = 0; round < 5; ++round) {
    const G1Projective pa = random_point(rng), pb = random_point(rng), pc = random_point(rng);
    EXPECT_EQ(pa + pb, pb + pa);
    EXPECT_EQ((pa + pb) + pc, pa + (pb + pc));
    EXPECT_EQ(pa + o, pa);
    EXPECT_EQ(o + pa, pa);
    EXPECT_TRUE((pa + -pa).is_identity());
    EXPECT_TRUE((pa - pa).is_identity());
    EXPECT_EQ(pa - pb, pa + -pb);
    EXPECT_EQ(pa.dbl(), pa + pa);
    EXPECT_EQ(pa.dbl().dbl(), pa + pa + pa + pa);
    // Equality compares group elements, not coordinates.
    const G1Projective pa_scaled = rescaled(pa, Fp::from_u64(7 + round));
    EXPECT_EQ(pa_scaled, pa);
    EXPECT_EQ(pa_scaled + pb, pa + pb);
    EXPECT_EQ(pa_scaled + pa, pa.dbl());  // the doubling case of add with different Z
    EXPECT_NE(pa, pb);
    // Mixed addition agrees with full addition, including its doubling and inverse cases.
    EXPECT_EQ(pa + pb.to_affine(), pa + pb);
    EXPECT_EQ(pa_scaled + pb.to_affine(), pa + pb);
    EXPECT_EQ(pa_scaled + pa.to_affine(), pa.dbl());
    EXPECT_TRUE((pa_scaled + (-pa).to_affine()).is_identity());
    EXPECT_EQ(pa + G1Affine::identity(), pa);
    EXPECT_EQ(o + pa.to_affine(), pa);
    EXPECT_EQ((-pa).to_affine(), -pa.to_affine());
  }
  EXPECT_TRUE(o.dbl().is_identity());
  EXPECT_TRUE((o + o).is_identity());
  EXPECT_TRUE(o.to_affine().infinity);
  EXPECT_TRUE((-G1Affine::identity()).infinity);
  EXPECT_EQ(G1Affine::identity(), G1Affine::identity());
  EXPECT_NE(G1Affine::identity(), G1Affine::generator());
}

// The generator's comb against double-and-add, on scalars whose signed 8-bit digits carry through every
// window (bytes of 0x80, 0x81, 0xff), the ends of the range and random ones.
TEST(G1, GeneratorCombMatchesDoubleAndAdd) {
  std::mt19937_64 rng(111);
  std::vector<Fr> ks = {Fr::zero(),        Fr::one(),         -Fr::one(),       Fr::from_u64(128),
                        Fr::from_u64(129), Fr::from_u64(255), Fr::from_u64(256)};
  for (const std::uint64_t fill : {0x8080808080808080ULL, 0x8181818181818181ULL, 0xffffffffffffffffULL}) {
    Scalar e = {fill, fill, fill, fill >> 2};
    ks.push_back(Fr::from_canonical(e));
  }
  for (int i = 0; i < 20; ++i) ks.push_back(test::random_fr(rng));
  for (const Fr& k : ks)
    EXPECT_EQ(g1_generator_mul(k), test::double_and_add(g1_generator(), k.to_canonical())) << k.to_canonical()[0];
}

TEST(G1, ScalarMultiplicationIdentities) {
  std::mt19937_64 rng(102);
  const G1Projective g = g1_generator();
  for (int round = 0; round < 5; ++round) {
    const Fr a = test::random_fr(rng), b = test::random_fr(rng);
    const G1Projective pa = g1_mul(g, a), pb = g1_mul(g, b);
    EXPECT_EQ(g1_mul(g, a + b), pa + pb);
    EXPECT_EQ(g1_mul(pa, b), g1_mul(g, a * b));
    EXPECT_EQ(g1_mul(pa, b), g1_mul(pb, a));
    EXPECT_EQ(g1_mul(g, -a), -pa);
    EXPECT_EQ(g1_mul(g, a), g1_mul(g, a.to_canonical()));
    EXPECT_TRUE(g1_mul(G1Projective::identity(), a).is_identity());
  }
  EXPECT_TRUE(g1_mul(g, Fr::zero()).is_identity());
  EXPECT_EQ(g1_mul(g, Fr::one()), g);
  // Scalars >= r are reduced: [r + 5]G == [5]G, and [2^256 - 1]G == [(2^256 - 1) mod r]G.
  Scalar r_plus_5{};
  limbs::add(r_plus_5, kR, scalar(5));
  EXPECT_EQ(g1_mul(g, r_plus_5), g1_mul(g, scalar(5)));
  const Scalar all_ones = {~0ULL, ~0ULL, ~0ULL, ~0ULL};
  EXPECT_EQ(g1_mul(g, all_ones), g1_mul_any(g, all_ones));
}

TEST(G1, WnafAndGlvMatchDoubleAndAdd) {
  std::mt19937_64 rng(103);
  std::vector<Scalar> ks = {scalar(0),
                            scalar(1),
                            scalar(2),
                            scalar(3),
                            scalar(15),
                            scalar(16),
                            scalar(17),
                            scalar(~0ULL),
                            scalar(kZ[0] - 1, kZ[1]),
                            scalar(kZ[0], kZ[1]),
                            scalar(kZ[0] + 1, kZ[1]),
                            scalar(~0ULL, ~0ULL),
                            scalar(0, 0, 1),
                            r_minus(1),
                            r_minus(2),
                            r_minus(0x10000)};
  for (int i = 0; i < 16; ++i) ks.push_back(test::random_fr(rng).to_canonical());
  const G1Projective p = random_point(rng);
  for (const Scalar& k : ks) {
    const G1Projective expect = test::double_and_add(p, k);
    EXPECT_EQ(g1_mul(p, k), expect) << hex_encode(
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(k.data()), 32));
    EXPECT_EQ(g1_mul_any(p, k), expect);
  }
}

TEST(G1, WnafDigitsReconstructTheScalar) {
  std::mt19937_64 rng(104);
  std::vector<Limbs<4>> ks = {{0, 0, 0, 0}, {1, 0, 0, 0}, {~0ULL, ~0ULL, ~0ULL, ~0ULL}, {0, 0, 0, 1ULL << 63}};
  for (int i = 0; i < 50; ++i) ks.push_back({rng(), rng(), rng(), rng()});
  for (const unsigned w : {2u, 3u, 4u, 5u, 8u}) {
    for (const auto& k : ks) {
      std::int8_t d[jacobian::kWnafCapacity<4>] = {};
      const std::size_t len = jacobian::wnaf(d, k, w);
      ASSERT_LE(len, 257u);
      // Horner from the top digit: acc = 2 acc + d_i, exactly, on 5 limbs.
      Limbs<5> acc{};
      std::size_t last_nonzero = 0;
      bool any = false;
      for (std::size_t i = len; i-- > 0;) {
        limbs::add(acc, acc, acc);
        const std::int64_t di = d[i];  // NOLINT(bugprone-signed-char-misuse): wNAF digits are signed
        if (di > 0) limbs::add(acc, acc, Limbs<5>{static_cast<std::uint64_t>(di), 0, 0, 0, 0});
        if (di < 0) limbs::sub(acc, acc, Limbs<5>{static_cast<std::uint64_t>(-di), 0, 0, 0, 0});
        if (di != 0) {
          EXPECT_EQ(di % 2 != 0, true) << "digits are odd";
          EXPECT_LT(std::abs(di), std::int64_t{1} << (w - 1));
          if (any) {
            EXPECT_GE(last_nonzero - i, w) << "non-zero digits at least w apart";
          }
          last_nonzero = i;
          any = true;
        }
      }
      EXPECT_EQ(acc, (Limbs<5>{k[0], k[1], k[2], k[3], 0})) << "w=" << w;
      if (len > 0) {
        EXPECT_NE(d[len - 1], 0);
      }
    }
  }
}

TEST(G1, GlvSplitRecombines) {
  std::mt19937_64 rng(105);
  std::vector<Scalar> ks = {
      scalar(0),  scalar(1),      scalar(kZ[0] - 1, kZ[1]),         scalar(kZ[0], kZ[1]), scalar(kZ[0] + 1, kZ[1]),
      r_minus(1), r_minus(kZ[0]), {~0ULL, ~0ULL, ~0ULL, ~0ULL >> 1}};
  for (int i = 0; i < 200; ++i) ks.push_back(test::random_fr(rng).to_canonical());
  for (const Scalar& k : ks) {
    const auto [k1, k2] = g1_endomorphism::split(k);
    EXPECT_FALSE(limbs::geq(k1, kZ)) << "k1 < x^2";
    // k1 + k2 z == k, computed exactly.
    Scalar sum = {k1[0], k1[1], 0, 0};
    for (std::size_t i = 0; i < 2; ++i) {
      Scalar partial{};
      u128 carry = 0;
      for (std::size_t j = 0; j < 2; ++j) {
        const u128 t = static_cast<u128>(k2[i]) * kZ[j] + carry;
        partial[i + j] = static_cast<std::uint64_t>(t);
        carry = t >> 64;
      }
      partial[i + 2] = static_cast<std::uint64_t>(carry);
      limbs::add(sum, sum, partial);
    }
    EXPECT_EQ(sum, k);
  }
}

TEST(G1, EndomorphismIsMultiplicationByMinusXSquaredOnG1Only) {
  const Fp& beta = g1_endomorphism::beta();
  EXPECT_FALSE(beta.is_one());
  EXPECT_TRUE((beta.square() * beta).is_one());
  // lambda = -x^2 mod r = r - x^2.
  Scalar lambda{};
  limbs::sub(lambda, kR, scalar(kZ[0], kZ[1]));
  Scalar lambda2{};  // lambda^2 mod r, the other root's eigenvalue
  {
    const Fr l = Fr::from_canonical(lambda);
    lambda2 = (l * l).to_canonical();
  }
  std::mt19937_64 rng(106);
  for (int i = 0; i < 8; ++i) {
    const G1Projective p = random_point(rng);
    EXPECT_EQ(g1_endomorphism::phi(p), g1_mul_any(p, lambda));
    EXPECT_EQ(g1_endomorphism::phi(p.to_affine()), g1_mul_any(p, lambda).to_affine());
    EXPECT_EQ(g1_endomorphism::mul_by_x_squared(p), g1_mul_any(p, scalar(kZ[0], kZ[1])));
    // The other cube root of unity acts as lambda^2, not lambda.
    const G1Projective other{p.x * beta.square(), p.y, p.z};
    EXPECT_NE(other, g1_mul_any(p, lambda));
    EXPECT_EQ(other, g1_mul_any(p, lambda2));
  }
  // Outside G1, phi is not multiplication by lambda (and these points have order other than r).
  std::uint64_t x = 0;
  for (int found = 0; found < 6; ++found) {
    const G1Affine a = test::g1_curve_point(x);
    x = a.x.to_canonical()[0] + 1;
    const G1Projective p = G1Projective::from_affine(a);
    EXPECT_FALSE(g1_mul_any(p, kR).is_identity());
    EXPECT_NE(g1_endomorphism::phi(p), g1_mul_any(p, lambda)) << "x=" << x - 1;
  }
}

TEST(G1, SubgroupCheckAgreesWithOrderR) {
  // (0, 2) has order 3.
  const G1Affine t = test::g1_curve_point(0);
  ASSERT_TRUE(t.x.is_zero());
  EXPECT_TRUE(g1_mul_any(G1Projective::from_affine(t), scalar(3)).is_identity());
  EXPECT_FALSE(t.is_in_subgroup());
  EXPECT_FALSE((-t).is_in_subgroup());
  // The first points found from small x: none is in G1, as multiplication by r confirms; clearing the
  // cofactor h = 0x396c8c005555e1568c00aaab0000aaab moves each into G1.
  const Scalar cofactor = {0x8c00aaab0000aaabULL, 0x396c8c005555e156ULL, 0, 0};
  std::uint64_t x = 0;
  for (int found = 0; found < 10; ++found) {
    const G1Affine p = test::g1_curve_point(x);
    x = p.x.to_canonical()[0] + 1;
    ASSERT_TRUE(p.is_on_curve());
    const bool order_r = g1_mul_any(G1Projective::from_affine(p), kR).is_identity();
    EXPECT_FALSE(order_r);
    EXPECT_EQ(p.is_in_subgroup(), order_r) << "x=" << x - 1;
    const G1Affine cleared = g1_mul_any(G1Projective::from_affine(p), cofactor).to_affine();
    EXPECT_TRUE(g1_mul_any(G1Projective::from_affine(cleared), kR).is_identity());
    EXPECT_TRUE(cleared.is_in_subgroup());
  }
  std::mt19937_64 rng(107);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(random_point(rng).to_affine().is_in_subgroup());
  EXPECT_TRUE(G1Affine::identity().is_in_subgroup());
}

TEST(G1, CompressionRoundTrip) {
  std::mt19937_64 rng(108);
  std::vector<G1Affine> points = {G1Affine::generator(), -G1Affine::generator(), G1Affine::identity()};
  for (int i = 0; i < 20; ++i) points.push_back(random_point(rng).to_affine());
  for (const G1Affine& p : points) {
    Bytes48 b{};
    g1_compress(b, p);
    EXPECT_EQ(b[0] & 0x80, 0x80);
    EXPECT_EQ((b[0] & 0x40) != 0, p.infinity);
    if (!p.infinity) {
      EXPECT_EQ((b[0] & 0x20) != 0, p.y.lexicographically_largest());
      Bytes48 nb{};
      g1_compress(nb, -p);
      EXPECT_EQ(b[0] ^ nb[0], 0x20) << "negation flips the sign bit only";
    }
    G1Affine q;
    ASSERT_EQ(g1_decompress(q, b), PointError::kOk);
    EXPECT_EQ(q, p);
    ASSERT_EQ(g1_decompress_unchecked(q, b), PointError::kOk);
    EXPECT_EQ(q, p);
  }
}

// The compressed encoding (sign bit clear) of the smallest x >= 1 for which x^3 + 4 is not a square.
Bytes48 off_curve_encoding() {
  for (std::uint64_t x = 1;; ++x) {
    Fp y;
    const Fp fx = Fp::from_u64(x);
    if (fp_sqrt(y, fx.square() * fx + Fp::from_u64(4))) continue;
    Bytes48 b{};
    fx.to_bytes_be(b);
    b[0] |= 0x80;
    return b;
  }
}

// Decoding `b` fails with `expect` and leaves the output untouched.
void expect_rejected(const Bytes48& b, PointError expect) {
  G1Affine out = G1Affine::generator();
  EXPECT_EQ(g1_decompress(out, b), expect) << hex_encode(b);
  EXPECT_EQ(out, G1Affine::generator());
}

TEST(G1, DecompressRejectsEachClass) {
  std::mt19937_64 rng(109);
  Bytes48 good{};
  g1_compress(good, random_point(rng).to_affine());

  Bytes48 b = good;
  b[0] &= 0x7f;
  expect_rejected(b, PointError::kNotCompressed);
  expect_rejected(Bytes48{}, PointError::kNotCompressed);
  b = Bytes48{};
  b[0] = 0x40;  // infinity without the compression flag
  expect_rejected(b, PointError::kNotCompressed);

  for (const std::size_t at : {1u, 20u, 47u}) {
    b = Bytes48{};
    b[0] = 0xc0;
    b[at] = 0x01;
    expect_rejected(b, PointError::kBadInfinity);
  }
  for (const std::uint8_t byte0 : {0xe0, 0xc1, 0xd0, 0xdf, 0xff}) {
    b = Bytes48{};
    b[0] = byte0;
    expect_rejected(b, PointError::kBadInfinity);
  }

  // x = p, x = p + 1 and x = 2^381 - 1 are not canonical.
  Bytes48 p_bytes{};
  limbs::to_be_bytes<6>(p_bytes, Fp::modulus());
  b = p_bytes;
  b[0] |= 0x80;
  expect_rejected(b, PointError::kNotCanonical);
  b[47] += 1;
  expect_rejected(b, PointError::kNotCanonical);
  b.fill(0xff);
  b[0] = 0x9f;
  expect_rejected(b, PointError::kNotCanonical);
  b[0] = 0xbf;  // with the sign bit
  expect_rejected(b, PointError::kNotCanonical);

  // x with x^3 + 4 not a square.
  b = off_curve_encoding();
  expect_rejected(b, PointError::kNotOnCurve);
  b[0] |= 0x20;
  expect_rejected(b, PointError::kNotOnCurve);

  // On the curve, outside G1: rejected by the checked decoder, accepted by the unchecked one.
  std::uint64_t x = 0;
  for (int found = 0; found < 4; ++found) {
    const G1Affine p = test::g1_curve_point(x);
    x = p.x.to_canonical()[0] + 1;
    g1_compress(b, p);
    expect_rejected(b, PointError::kNotInSubgroup);
    G1Affine q;
    ASSERT_EQ(g1_decompress_unchecked(q, b), PointError::kOk);
    EXPECT_EQ(q, p);
  }

  b = Bytes48{};
  b[0] = 0xc0;
  G1Affine q = G1Affine::generator();
  EXPECT_EQ(g1_decompress(q, b), PointError::kOk);
  EXPECT_TRUE(q.infinity);
}

TEST(G1, ErrorMessagesAreDistinct) {
  std::set<std::string> seen;
  for (const PointError e :
       {PointError::kOk, PointError::kBadLength, PointError::kNotCompressed, PointError::kBadInfinity,
        PointError::kNotCanonical, PointError::kNotOnCurve, PointError::kNotInSubgroup}) {
    const std::string s = to_string(e);
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(seen.insert(s).second) << s;
  }
}

TEST(G1, BatchToAffine) {
  std::mt19937_64 rng(110);
  std::vector<G1Projective> ps = {rescaled(random_point(rng), Fp::from_u64(3)), G1Projective::identity(),
                                  g1_generator().dbl(), G1Projective::identity(), random_point(rng)};
  std::vector<G1Affine> out(ps.size());
  g1_batch_to_affine(out, ps);
  for (std::size_t i = 0; i < ps.size(); ++i) EXPECT_EQ(out[i], ps[i].to_affine());
  std::vector<G1Projective> none(3);
  std::vector<G1Affine> none_out(3, G1Affine::generator());
  g1_batch_to_affine(none_out, none);
  for (const auto& p : none_out) EXPECT_TRUE(p.infinity);
  g1_batch_to_affine({}, {});
}

// g1_decompress_batch and g1_batch_in_subgroup against g1_decompress and is_in_subgroup, point by point, with
// the IFMA kernels (where the CPU has them) and without: every error class, both signs, points outside G1
// (the order-3 points among them, which send the vector addition chain into its exceptional case) and
// batches that leave part of the last vector empty.
TEST(G1, BatchDecompressionMatchesOneByOne) {
  std::mt19937_64 rng(110);
  std::vector<Bytes48> encodings;
  const auto add_point = [&](const G1Affine& p) {
    Bytes48 b{};
    g1_compress(b, p);
    encodings.push_back(b);
  };
  for (int i = 0; i < 21; ++i) {
    const G1Affine p = random_point(rng).to_affine();
    add_point(p);
    if (i % 3 == 0) add_point(-p);
  }
  add_point(G1Affine::identity());
  add_point(test::g1_curve_point(0));   // (0, 2): order 3
  add_point(-test::g1_curve_point(0));  // (0, -2)
  std::uint64_t x = 1;
  for (int found = 0; found < 9; ++found) {
    const G1Affine p = test::g1_curve_point(x);
    x = p.x.to_canonical()[0] + 1;
    add_point(p);
    // A point of G1 plus the order-3 point: outside G1, and [k]P meets +-P for k = 2 or 3 only modulo 3.
    add_point((G1Projective::from_affine(random_point(rng).to_affine()) + test::g1_curve_point(0)).to_affine());
  }
  Bytes48 b{};
  encodings.push_back(b);  // not compressed
  b[0] = 0xc0;
  b[9] = 1;
  encodings.push_back(b);  // bad infinity
  limbs::to_be_bytes<6>(b, Fp::modulus());
  b[0] |= 0x80;
  encodings.push_back(b);                     // x = p
  encodings.push_back(off_curve_encoding());  // x^3 + 4 not a square
  std::shuffle(encodings.begin(), encodings.end(), rng);

  for (const std::size_t n : {encodings.size(), std::size_t{1}, std::size_t{2}, std::size_t{9}, std::size_t{17}}) {
    std::vector<std::span<const std::uint8_t, 48>> in;
    for (std::size_t i = 0; i < n; ++i) in.emplace_back(encodings[i]);
    for (const bool vectorized : {true, false}) {
      std::vector<G1Affine> out(n);
      std::vector<PointError> errors(n);
      g1_decompress_batch(in, out, errors, vectorized);
      for (std::size_t i = 0; i < n; ++i) {
        G1Affine expected;
        const PointError e = g1_decompress(expected, encodings[i]);
        ASSERT_EQ(errors[i], e) << "point " << i << " of " << n << ", vectorized " << vectorized;
        if (e == PointError::kOk) {
          EXPECT_EQ(out[i], expected) << "point " << i;
        }
      }
    }
  }

  std::vector<G1Affine> points;
  for (const auto& e : encodings) {
    G1Affine p;
    if (g1_decompress_unchecked(p, e) == PointError::kOk) points.push_back(p);
  }
  std::size_t outside = 0;
  for (const bool vectorized : {true, false}) {
    std::vector<std::uint8_t> member(points.size());
    g1_batch_in_subgroup(points, member, vectorized);
    outside = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(member[i] != 0, points[i].is_in_subgroup()) << "point " << i;
      outside += member[i] ? 0 : 1;
    }
  }
  EXPECT_EQ(outside, 20u);  // the two order-3 points and the 18 built outside G1

  // The kernels alone, so that a broken vector path cannot hide behind the scalar fallback: every point but the
  // order-3 ones is decided, and decided right; the square-root candidates equal the scalar exponentiation.
  std::vector<g1_batch_ifma::Membership> m(points.size());
  if (!g1_batch_ifma::subgroup_check(points, m)) GTEST_SKIP() << "no AVX-512 IFMA on this CPU";
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].infinity && points[i].x.is_zero()) continue;  // (0, +-2) may be undecided
    ASSERT_NE(m[i], g1_batch_ifma::Membership::kUndecided) << "point " << i;
    EXPECT_EQ(m[i] == g1_batch_ifma::Membership::kIn, points[i].is_in_subgroup()) << "point " << i;
  }
  std::vector<Fp> values, roots(13);
  for (std::size_t i = 0; i < roots.size(); ++i) values.push_back(Fp::from_u64(rng()) * Fp::from_u64(rng()));
  values[3] = Fp::zero();
  ASSERT_TRUE(g1_batch_ifma::sqrt_candidates(values, roots));
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(roots[i], fp_sqrt_candidate(values[i])) << i;
}

}  // namespace
}  // namespace kzg
