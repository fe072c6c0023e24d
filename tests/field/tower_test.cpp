// The Fp6/Fp12 tower against field identities: ring laws, inverses, squarings against products,
// sparse products against full ones, and every Frobenius map against exponentiation by p^k.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "engine/field/fp12.hpp"
#include "engine/field/fp6.hpp"
#include "engine/field/fp6_ops.hpp"

namespace kzg {
namespace {

class TowerTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng{20240611};

  Fp random_fp() {
    for (;;) {
      Fp::L a{};
      for (auto& w : a) w = rng();
      a[5] &= 0x1fffffffffffffffULL;
      if (!limbs::geq(a, Fp::modulus())) return Fp::from_canonical(a);
    }
  }
  Fp2 random_fp2() { return {random_fp(), random_fp()}; }
  Fp6 random_fp6() { return {random_fp2(), random_fp2(), random_fp2()}; }
  Fp12 random_fp12() { return {random_fp6(), random_fp6()}; }
  // An element of the cyclotomic subgroup: f^((p^6 - 1)(p^2 + 1)), computed with pow so that it
  // does not depend on the Frobenius maps under test.
  Fp12 random_cyclotomic() {
    Fp12 f = random_fp12();
    Fp12 t = f.conjugate() * f.inverse();
    return t.pow(p_squared()) * t;
  }

  static Limbs<12> p_squared() {
    Limbs<12> r{};
    const auto& p = Fp::modulus();
    for (std::size_t i = 0; i < 6; ++i) {
      std::uint64_t carry = 0;
      for (std::size_t j = 0; j < 6; ++j) {
        u128 t = static_cast<u128>(p[i]) * p[j] + r[i + j] + carry;
        r[i + j] = static_cast<std::uint64_t>(t);
        carry = static_cast<std::uint64_t>(t >> 64);
      }
      r[i + 6] = carry;
    }
    return r;
  }
};

constexpr int kRounds = 20;

TEST_F(TowerTest, BranchFreeOpsMatchFieldOperators) {
  // Edge values (0, 1, p - 1, p - 2, (p - 1) / 2, values just below 2^380) and random ones, every
  // pair: the branch-free helpers of field/fp6_ops.hpp against Fp's and Fp2's own operators.
  Fp::L p_minus_1 = Fp::modulus();
  p_minus_1[0] -= 1;
  Fp::L p_minus_2 = Fp::modulus();
  p_minus_2[0] -= 2;
  Fp::L half = p_minus_1;
  limbs::shr1(half);
  Fp::L big{};
  for (auto& w : big) w = ~std::uint64_t{0};
  big[5] = (std::uint64_t{1} << 60) - 1;
  std::vector<Fp> values = {Fp::zero(),         Fp::one(),         Fp::from_raw(p_minus_1), Fp::from_raw(p_minus_2),
                            Fp::from_raw(half), Fp::from_raw(big), Fp::from_u64(2)};
  for (int i = 0; i < 6; ++i) values.push_back(random_fp());
  for (const Fp& a : values) {
    EXPECT_EQ(ops::neg_mod(a), -a);
    for (const Fp& b : values) {
      EXPECT_EQ(ops::add_mod(a, b), a + b);
      EXPECT_EQ(ops::sub_mod(a, b), a - b);
      const Fp2 x{a, b}, y{b, a};
      EXPECT_EQ(ops::mul_mod(x, y), x * y);
      EXPECT_EQ(ops::square_mod(x), x.square());
      EXPECT_EQ(ops::mul_by_nonresidue_mod(x), x.mul_by_nonresidue());
      EXPECT_EQ(ops::dbl_mod(x), x.dbl());
      EXPECT_EQ(ops::neg_mod(x), -x);
      EXPECT_EQ(ops::conjugate_mod(x), x.conjugate());
    }
  }
}

TEST_F(TowerTest, Fp6RingLaws) {
  for (int i = 0; i < kRounds; ++i) {
    Fp6 a = random_fp6(), b = random_fp6(), c = random_fp6();
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ(a * Fp6::one(), a);
    EXPECT_TRUE((a * Fp6::zero()).is_zero());
    EXPECT_EQ(a - a, Fp6::zero());
    EXPECT_EQ(a + (-a), Fp6::zero());
    EXPECT_EQ(a.dbl(), a + a);
  }
}

TEST_F(TowerTest, Fp6SquareInverseAndNonresidue) {
  const Fp6 v{Fp2::zero(), Fp2::one(), Fp2::zero()};
  const Fp2 xi = Fp2::one().mul_by_nonresidue();
  EXPECT_EQ(v * v * v, (Fp6{xi, Fp2::zero(), Fp2::zero()}));  // v^3 = xi
  for (int i = 0; i < kRounds; ++i) {
    Fp6 a = random_fp6();
    EXPECT_EQ(a.square(), a * a);
    EXPECT_EQ(a * a.inverse(), Fp6::one());
    EXPECT_EQ(a.mul_by_nonresidue(), a * v);
  }
  EXPECT_TRUE(Fp6::zero().inverse().is_zero());
  EXPECT_TRUE(Fp6::one().inverse().is_one());
}

TEST_F(TowerTest, Fp6SparseProductsMatchFullProducts) {
  for (int i = 0; i < kRounds; ++i) {
    Fp6 a = random_fp6();
    Fp2 b0 = random_fp2(), b1 = random_fp2();
    EXPECT_EQ(a.mul_by_01(b0, b1), a * (Fp6{b0, b1, Fp2::zero()}));
    EXPECT_EQ(a.mul_by_1(b1), a * (Fp6{Fp2::zero(), b1, Fp2::zero()}));
  }
}

TEST_F(TowerTest, Fp6FrobeniusIsPowerOfP) {
  for (int i = 0; i < 3; ++i) {
    Fp6 a = random_fp6();
    Fp6 expected = a;
    for (std::size_t k = 1; k <= 6; ++k) {
      expected = expected.pow(Fp::modulus());
      EXPECT_EQ(a.frobenius_map(k), expected) << "k = " << k;
    }
    EXPECT_EQ(expected, a);  // x^(p^6) = x on Fp6
    EXPECT_EQ(a.frobenius_map(0), a);
  }
}

TEST_F(TowerTest, Fp12RingLaws) {
  for (int i = 0; i < kRounds; ++i) {
    Fp12 a = random_fp12(), b = random_fp12(), c = random_fp12();
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ(a * Fp12::one(), a);
    EXPECT_EQ(a - a, Fp12::zero());
    EXPECT_EQ(a + (-a), Fp12::zero());
  }
}

TEST_F(TowerTest, Fp12SquareAndInverse) {
  const Fp12 w{Fp6::zero(), Fp6::one()};
  const Fp6 v{Fp2::zero(), Fp2::one(), Fp2::zero()};
  EXPECT_EQ(w * w, (Fp12{v, Fp6::zero()}));  // w^2 = v
  for (int i = 0; i < kRounds; ++i) {
    Fp12 a = random_fp12();
    EXPECT_EQ(a.square(), a * a);
    EXPECT_TRUE((a * a.inverse()).is_one());
    EXPECT_FALSE(a.is_one());
  }
  EXPECT_TRUE(Fp12::zero().inverse().is_zero());
  EXPECT_TRUE(Fp12::one().is_one());
  EXPECT_TRUE(Fp12::one().inverse().is_one());
}

TEST_F(TowerTest, Fp12FrobeniusIsPowerOfP) {
  for (int i = 0; i < 2; ++i) {
    Fp12 a = random_fp12();
    Fp12 expected = a;
    for (std::size_t k = 1; k <= 12; ++k) {
      expected = expected.pow(Fp::modulus());
      EXPECT_EQ(a.frobenius_map(k), expected) << "k = " << k;
    }
    EXPECT_EQ(expected, a);  // x^(p^12) = x
    EXPECT_EQ(a.conjugate(), a.frobenius_map(6));
    EXPECT_EQ(a.frobenius_map(13), a.frobenius_map(1));
  }
}

TEST_F(TowerTest, Fp12SparseLineProductMatchesFullProduct) {
  for (int i = 0; i < kRounds; ++i) {
    Fp12 a = random_fp12();
    Fp2 b0 = random_fp2(), b1 = random_fp2(), b4 = random_fp2();
    Fp12 line{{b0, b1, Fp2::zero()}, {Fp2::zero(), b4, Fp2::zero()}};
    EXPECT_EQ(a.mul_by_014(b0, b1, b4), a * line);
  }
}

TEST_F(TowerTest, Fp12SparseProductWithUnitConstantMatchesFullProduct) {
  for (int i = 0; i < kRounds; ++i) {
    Fp12 a = random_fp12();
    Fp2 b1 = random_fp2(), b4 = random_fp2();
    Fp12 line{{Fp2::one(), b1, Fp2::zero()}, {Fp2::zero(), b4, Fp2::zero()}};
    EXPECT_EQ(a.mul_by_014_unit(b1, b4), a * line);
    EXPECT_EQ(a.mul_by_014_unit(b1, b4), a.mul_by_014(Fp2::one(), b1, b4));
  }
  Fp12 a = random_fp12();
  EXPECT_EQ(a.mul_by_014_unit(Fp2::zero(), Fp2::zero()), a);
}

TEST_F(TowerTest, Fp12CyclotomicSquareOnCyclotomicSubgroup) {
  for (int i = 0; i < 5; ++i) {
    Fp12 g = random_cyclotomic();
    EXPECT_TRUE((g * g.conjugate()).is_one());  // inverse is conjugation there
    EXPECT_EQ(g.cyclotomic_square(), g.square());
    EXPECT_EQ(g.cyclotomic_square().cyclotomic_square(), g.square().square());
  }
}

TEST_F(TowerTest, Fp12CyclotomicPowMatchesPow) {
  Fp12 g = random_cyclotomic();
  const std::uint64_t exponents[] = {
      0, 1, 2, 3, 7, 0xd201000000010000ULL, 0x460055555555aaabULL, 0xffffffffffffffffULL, 0xaaaaaaaaaaaaaaaaULL};
  for (std::uint64_t e : exponents) {
    EXPECT_EQ(g.cyclotomic_pow(e), g.pow(Limbs<1>{e})) << "e = " << e;
  }
  for (int i = 0; i < 5; ++i) {
    std::uint64_t e = rng();
    EXPECT_EQ(g.cyclotomic_pow(e), g.pow(Limbs<1>{e})) << "e = " << e;
  }
}

TEST_F(TowerTest, Fp12CyclotomicPowSparseExponents) {
  // Exponents of low weight take Karabina's compressed squarings (with decompression); check every
  // shape: powers of two, the low bit set or not, the top bit, the weight at the threshold.
  const std::uint64_t exponents[] = {2,
                                     4,
                                     5,
                                     0x8000000000000000ULL,
                                     0x8000000000000001ULL,
                                     0x10001ULL,
                                     0xd201000000010000ULL,
                                     0xd201000000010001ULL,
                                     0x1111111111111111ULL,
                                     0x1111111111111113ULL};
  for (int round = 0; round < 3; ++round) {
    Fp12 g = random_cyclotomic();
    for (std::uint64_t e : exponents) {
      EXPECT_EQ(g.cyclotomic_pow(e), g.pow(Limbs<1>{e})) << "e = " << e;
    }
    for (int i = 0; i < 5; ++i) {
      std::uint64_t e = rng() & rng() & rng();  // about 8 set bits
      EXPECT_EQ(g.cyclotomic_pow(e), g.pow(Limbs<1>{e})) << "e = " << e;
    }
  }
  // One compresses to all zeros, which the decompression formula cannot take (g2 == 0).
  EXPECT_TRUE(Fp12::one().cyclotomic_pow(0xd201000000010000ULL).is_one());
  EXPECT_TRUE(Fp12::one().cyclotomic_pow(2).is_one());
}

}  // namespace
}  // namespace kzg
