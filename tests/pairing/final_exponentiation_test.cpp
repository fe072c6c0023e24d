// The final exponentiation against its definition, f^((p^12 - 1) / r) by plain square-and-multiply,
// with the exponent computed by GMP from p and r.
#include <gmp.h>
#include <gtest/gtest.h>

#include <random>

#include "engine/pairing/pairing.hpp"

namespace kzg {
namespace {

// (p^12 - 1) / r has 4315 bits.
using BigExponent = Limbs<68>;

BigExponent final_exponent() {
  mpz_t p, r, e;
  mpz_inits(p, r, e, nullptr);
  mpz_import(p, 6, -1, sizeof(std::uint64_t), 0, 0, Fp::modulus().data());
  mpz_import(r, 4, -1, sizeof(std::uint64_t), 0, 0, Fr::modulus().data());
  mpz_pow_ui(e, p, 12);
  mpz_sub_ui(e, e, 1);
  EXPECT_TRUE(mpz_divisible_p(e, r));
  mpz_divexact(e, e, r);
  EXPECT_LE(mpz_sizeinbase(e, 2), 64 * std::tuple_size_v<BigExponent>);
  BigExponent out{};
  std::size_t count = 0;
  mpz_export(out.data(), &count, -1, sizeof(std::uint64_t), 0, 0, e);
  mpz_clears(p, r, e, nullptr);
  return out;
}

class PairingFinalExponentiationTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng{4844};
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
};

TEST_F(PairingFinalExponentiationTest, MatchesDefinition) {
  const BigExponent e = final_exponent();
  for (int i = 0; i < 2; ++i) {
    Fp12 f = random_fp12();
    Fp12 expected = f.pow(e);
    EXPECT_EQ(final_exponentiation(f), expected);
    EXPECT_EQ(final_exponentiation_cubed(f), expected.square() * expected);
  }
}

TEST_F(PairingFinalExponentiationTest, LandsInGroupOfOrderR) {
  Fp12 g = final_exponentiation(random_fp12());
  EXPECT_FALSE(g.is_one());
  EXPECT_TRUE(g.pow(Fr::modulus()).is_one());
  EXPECT_TRUE(final_exponentiation_cubed(random_fp12()).pow(Fr::modulus()).is_one());
}

TEST_F(PairingFinalExponentiationTest, KillsProperSubfields) {
  // Elements of Fp2 (and of Fp4 = Fp2[w^3]) map to one: their orders divide p^4 - 1, which divides
  // (p^12 - 1) / r.
  Fp12 in_fp2{{random_fp2(), Fp2::zero(), Fp2::zero()}, Fp6::zero()};
  EXPECT_TRUE(final_exponentiation(in_fp2).is_one());
  Fp12 in_fp4{{random_fp2(), Fp2::zero(), Fp2::zero()}, {Fp2::zero(), random_fp2(), Fp2::zero()}};
  EXPECT_TRUE(final_exponentiation(in_fp4).is_one());
  EXPECT_TRUE(final_exponentiation_cubed(in_fp4).is_one());
  EXPECT_TRUE(final_exponentiation(Fp12::one()).is_one());
}

TEST_F(PairingFinalExponentiationTest, IsMultiplicative) {
  Fp12 a = random_fp12(), b = random_fp12();
  EXPECT_EQ(final_exponentiation(a * b), final_exponentiation(a) * final_exponentiation(b));
}

}  // namespace
}  // namespace kzg
