// Fp and Fr arithmetic against GMP as an independent oracle, plus Fp2 identities.
#include <gmp.h>
#include <gtest/gtest.h>

#include <random>

#include "engine/field/fp.hpp"
#include "engine/field/fp2.hpp"
#include "engine/field/fr.hpp"

namespace kzg {
namespace {

template <std::size_t N>
void to_mpz(mpz_t out, const Limbs<N>& a) {
  mpz_import(out, N, -1, sizeof(std::uint64_t), 0, 0, a.data());
}

template <std::size_t N>
Limbs<N> from_mpz(const mpz_t a) {
  Limbs<N> r{};
  std::size_t count = 0;
  mpz_export(r.data(), &count, -1, sizeof(std::uint64_t), 0, 0, a);
  return r;
}

template <class F>
class FieldOracleTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng{12345};
  mpz_t m, x, y, z;
  void SetUp() override {
    mpz_inits(m, x, y, z, nullptr);
    to_mpz(m, F::modulus());
  }
  void TearDown() override { mpz_clears(m, x, y, z, nullptr); }
  // A random canonical element and its GMP twin.
  F random(mpz_t out) {
    typename F::L a{};
    for (auto& w : a) w = rng();
    to_mpz(out, a);
    mpz_mod(out, out, m);
    return F::from_canonical(from_mpz<F::kLimbs>(out));
  }
  void expect_eq(const F& f, const mpz_t g) { EXPECT_EQ(f.to_canonical(), from_mpz<F::kLimbs>(g)); }
};

using Fields = ::testing::Types<Fp, Fr>;
TYPED_TEST_SUITE(FieldOracleTest, Fields);

TYPED_TEST(FieldOracleTest, ArithmeticMatchesGmp) {
  for (int i = 0; i < 2000; ++i) {
    TypeParam a = this->random(this->x);
    TypeParam b = this->random(this->y);
    mpz_add(this->z, this->x, this->y);
    mpz_mod(this->z, this->z, this->m);
    this->expect_eq(a + b, this->z);
    mpz_sub(this->z, this->x, this->y);
    mpz_mod(this->z, this->z, this->m);
    this->expect_eq(a - b, this->z);
    mpz_mul(this->z, this->x, this->y);
    mpz_mod(this->z, this->z, this->m);
    this->expect_eq(a * b, this->z);
    mpz_mul(this->z, this->x, this->x);
    mpz_mod(this->z, this->z, this->m);
    this->expect_eq(a.square(), this->z);
    if (!a.is_zero()) {
      mpz_invert(this->z, this->x, this->m);
      this->expect_eq(a.inverse(), this->z);
    }
  }
}

TYPED_TEST(FieldOracleTest, EdgeValues) {
  TypeParam minus_one = -TypeParam::one();
  EXPECT_EQ(minus_one + TypeParam::one(), TypeParam::zero());
  EXPECT_EQ(minus_one * minus_one, TypeParam::one());
  EXPECT_EQ(TypeParam::zero().inverse(), TypeParam::zero());
  EXPECT_EQ(TypeParam::one().inverse(), TypeParam::one());
  EXPECT_EQ(minus_one.inverse(), minus_one);
  // Representations with zero high limbs (the inversion reads the raw limbs): 1, and 2^64 + 5.
  for (const typename TypeParam::L raw : {typename TypeParam::L{1}, typename TypeParam::L{5, 1}}) {
    const TypeParam t = TypeParam::from_raw(raw);
    EXPECT_EQ(t * t.inverse(), TypeParam::one());
    EXPECT_EQ(t.inverse().inverse(), t);
  }
  EXPECT_EQ(TypeParam::from_u64(2).half(), TypeParam::one());
  EXPECT_TRUE(minus_one.lexicographically_largest());
  EXPECT_FALSE(TypeParam::one().lexicographically_largest());
}

TYPED_TEST(FieldOracleTest, BytesRejectNonCanonical) {
  std::array<std::uint8_t, TypeParam::kBytes> bytes{};
  limbs::to_be_bytes<TypeParam::kLimbs>(bytes, TypeParam::modulus());
  TypeParam out;
  EXPECT_FALSE(TypeParam::from_bytes_be(out, bytes));  // m itself
  bytes[TypeParam::kBytes - 1] -= 1;                   // m - 1
  ASSERT_TRUE(TypeParam::from_bytes_be(out, bytes));
  EXPECT_EQ(out, -TypeParam::one());
  std::array<std::uint8_t, TypeParam::kBytes> round{};
  out.to_bytes_be(round);
  EXPECT_EQ(round, bytes);
}

// pow takes a sliding window past 64 exponent bits: random exponents of every length up to 6 limbs (windows
// cut short at the top, runs of zeros, all-ones words), checked against GMP.
TYPED_TEST(FieldOracleTest, PowMatchesGmp) {
  mpz_t e;
  mpz_init(e);
  for (int round = 0; round < 200; ++round) {
    const TypeParam base = this->random(this->x);
    Limbs<6> exp{};
    const int words = 1 + round % 6;
    for (int w = 0; w < words; ++w) {
      switch ((round / 6 + w) % 4) {
        case 0:
          exp[w] = this->rng();
          break;
        case 1:
          exp[w] = 0;
          break;
        case 2:
          exp[w] = ~std::uint64_t{0};
          break;
        default:
          exp[w] = this->rng() & 0x8000'0000'0001'0011ull;
          break;
      }
    }
    if (round == 0) exp = {};  // x^0 == 1
    to_mpz(e, exp);
    mpz_powm(this->z, this->x, e, this->m);
    this->expect_eq(base.pow(exp), this->z);
  }
  mpz_clear(e);
}

TYPED_TEST(FieldOracleTest, BatchInverseMatchesSingle) {
  std::vector<TypeParam> v(37);
  for (auto& e : v) e = this->random(this->x);
  v[5] = TypeParam::zero();
  std::vector<TypeParam> inv(v.size());
  batch_inverse(inv.data(), v.data(), v.size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(inv[i], v[i].inverse());
  batch_inverse(v.data(), v.data(), v.size());  // in place
  EXPECT_EQ(v, inv);
}

TEST(FpTest, SqrtOfSquares) {
  std::mt19937_64 rng(7);
  int non_squares = 0;
  for (int i = 0; i < 200; ++i) {
    Fp a = Fp::from_u64(rng());
    Fp r;
    ASSERT_TRUE(fp_sqrt(r, a.square()));
    EXPECT_TRUE(r == a || r == -a);
    if (!fp_sqrt(r, a)) ++non_squares;
  }
  EXPECT_GT(non_squares, 50);  // about half of all elements are non-squares
}

TEST(Fp2Test, FieldIdentities) {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 200; ++i) {
    Fp2 a{Fp::from_u64(rng()), Fp::from_u64(rng())};
    Fp2 b{Fp::from_u64(rng()), Fp::from_u64(rng())};
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ(a.square(), a * a);
    EXPECT_EQ(a * a.inverse(), Fp2::one());
    EXPECT_EQ(a.mul_by_nonresidue(), (a * Fp2{Fp::one(), Fp::one()}));
    Fp2 r;
    ASSERT_TRUE(fp2_sqrt(r, a.square()));
    EXPECT_TRUE(r == a || r == -a);
  }
  Fp2 u{Fp::zero(), Fp::one()};
  EXPECT_EQ(u.square(), -Fp2::one());
}

}  // namespace
}  // namespace kzg

namespace kzg {
namespace {

// The mulx/adx products (6 limbs for Fp, 4 for Fr) against the portable CIOS, on edge values (0, 1, m - 1,
// all-ones words under the top limb) and random reduced values; squares too.
template <class F>
class MulPaths : public ::testing::Test {};
using MulPathFields = ::testing::Types<Fp, Fr>;
TYPED_TEST_SUITE(MulPaths, MulPathFields);

TYPED_TEST(MulPaths, FastProductEqualsThePortableOne) {
  using F = TypeParam;
  using L = typename F::L;
  constexpr std::size_t top = std::tuple_size_v<L> - 1;
  std::mt19937_64 rng(77);
  std::vector<L> values;
  L m1 = F::modulus();
  m1[0] -= 1;
  values.push_back(L{});
  values.push_back(F::one().v);
  values.push_back(m1);
  L big{};
  for (auto& w : big) w = ~std::uint64_t{0};
  big[top] = F::modulus()[top] - 1;
  values.push_back(big);
  values.push_back(m1);
  for (int i = 0; i < 5000; ++i) {
    L x{};
    for (auto& w : x) w = rng();
    x[top] %= F::modulus()[top];
    values.push_back(x);
  }
  for (std::size_t i = 0; i + 1 < values.size(); ++i) {
    L fast{}, slow{};
    F::mont_mul(fast, values[i], values[i + 1]);
    F::mont_mul_generic(slow, values[i], values[i + 1]);
    ASSERT_EQ(fast, slow) << i;
    F::mont_mul(fast, values[i], values[i]);
    F::mont_mul_generic(slow, values[i], values[i]);
    ASSERT_EQ(fast, slow) << i;
  }
}

}  // namespace
}  // namespace kzg
