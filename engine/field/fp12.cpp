#include "engine/field/fp12.hpp"

#include <array>
#include <bit>

namespace kzg {

namespace {

// Fp4 = Fp2[s] / (s^2 - xi) with s = w^3; used by the cyclotomic squaring, which views Fp12 as
// Fp4[w] / (w^3 - s).
struct Fp4Square {
  Fp2 re, im;
};

// (a + b s)^2 = (a^2 + xi b^2) + ((a + b)^2 - a^2 - b^2) s: 3 Fp2 squarings. Branch-free
// additions (ops::add_mod and friends): this and the two helpers below are the inner loop of the
// final exponentiation.
inline Fp4Square fp4_square(const Fp2& a, const Fp2& b) {
  using namespace ops;
  Fp2 a2 = square_mod(a);
  Fp2 b2 = square_mod(b);
  return {add_mod(a2, mul_by_nonresidue_mod(b2)), sub_mod(sub_mod(square_mod(add_mod(a, b)), a2), b2)};
}

// 3x - 2y and 3x + 2y, the shapes of the Granger-Scott formulas.
inline Fp2 three_minus_two(const Fp2& x, const Fp2& y) {
  using namespace ops;
  return add_mod(dbl_mod(sub_mod(x, y)), x);
}
inline Fp2 three_plus_two(const Fp2& x, const Fp2& y) {
  using namespace ops;
  return add_mod(dbl_mod(add_mod(x, y)), x);
}

}  // namespace

Fp12 operator*(const Fp12& a, const Fp12& b) {
  Fp6 t0 = a.c0 * b.c0;
  Fp6 t1 = a.c1 * b.c1;
  return {t0 + t1.mul_by_nonresidue(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
}

Fp12 Fp12::square() const {
  // (a + b w)^2 = (a^2 + v b^2) + 2ab w, with a^2 + v b^2 = (a + b)(a + v b) - ab - v ab.
  Fp6 t = c0 * c1;
  Fp6 r0 = (c0 + c1) * (c0 + c1.mul_by_nonresidue()) - t - t.mul_by_nonresidue();
  return {r0, t.dbl()};
}

Fp12 Fp12::inverse() const {
  // (a + b w)^-1 = (a - b w) / (a^2 - v b^2).
  Fp6 norm = c0.square() - c1.square().mul_by_nonresidue();
  Fp6 inv = norm.inverse();
  return {c0 * inv, -(c1 * inv)};
}

Fp12 Fp12::frobenius_map(std::size_t power) const {
  const std::size_t k = power % 12;
  Fp6 a = c0.frobenius_map(k);
  Fp6 b = c1.frobenius_map(k) * tower::kFrobenius.w[k];  // (b w)^(p^k) = b^(p^k) gamma[k] w
  return {a, b};
}

Fp12 Fp12::mul_by_014(const Fp2& b0, const Fp2& b1, const Fp2& b4) const {
  // this = F0 + F1 w, other = L0 + L1 w with L0 = b0 + b1 v, L1 = b4 v.
  Fp6 t0 = c0.mul_by_01(b0, b1);
  Fp6 t1 = c1.mul_by_1(b4);
  Fp6 r1 = (c0 + c1).mul_by_01(b0, b1 + b4) - t0 - t1;
  return {t0 + t1.mul_by_nonresidue(), r1};
}

Fp12 Fp12::mul_by_014_unit(const Fp2& b1, const Fp2& b4) const {
  Fp6 t0 = c0 + c0.mul_by_1(b1);
  Fp6 t1 = c1.mul_by_1(b4);
  Fp6 s = c0 + c1;
  Fp6 r1 = s + s.mul_by_1(ops::add_mod(b1, b4)) - t0 - t1;
  return {t0 + t1.mul_by_nonresidue(), r1};
}

Fp12 Fp12::cyclotomic_square() const {
  // As an Fp4 triple: g0 = c0.c0 + c1.c1 s, g1 = c1.c0 + c0.c2 s, g2 = c0.c1 + c1.c2 s, and for a
  // cyclotomic element (Granger and Scott, PKC 2010, section 3.2)
  //   g0' = 3 g0^2 - 2 conj(g0),  g1' = 3 s g2^2 + 2 conj(g1),  g2' = 3 g1^2 - 2 conj(g2),
  // where conj(a + b s) = a - b s is x -> x^(p^6) restricted to Fp4.
  Fp4Square t0 = fp4_square(c0.c0, c1.c1);
  Fp4Square t1 = fp4_square(c1.c0, c0.c2);
  Fp4Square t2 = fp4_square(c0.c1, c1.c2);
  Fp12 r;
  r.c0.c0 = three_minus_two(t0.re, c0.c0);
  r.c1.c1 = three_plus_two(t0.im, c1.c1);
  r.c1.c0 = three_plus_two(ops::mul_by_nonresidue_mod(t2.im), c1.c0);  // s * g2^2 = xi im + re s
  r.c0.c2 = three_minus_two(t2.re, c0.c2);
  r.c0.c1 = three_minus_two(t1.re, c0.c1);
  r.c1.c2 = three_plus_two(t1.im, c1.c2);
  return r;
}

namespace {

// Karabina's compressed squaring ("Squaring in cyclotomic subgroups", Math. Comp. 2013). Viewing
// Fp12 as Fp4[w] / (w^3 - s) as in cyclotomic_square, g = A + B w + C w^2 with A = g0 + g1 s,
// B = g2 + g3 s, C = g4 + g5 s, that is g0 = c0.c0, g1 = c1.c1, g2 = c1.c0, g3 = c0.c2, g4 = c0.c1,
// g5 = c1.c2. In the Granger-Scott formulas the new B and C depend on B and C only:
//   B' = 3 s C^2 + 2 conj(B),  C' = 3 B^2 - 2 conj(C),
// so (g2, g3, g4, g5) can be squared on its own (2 Fp4 squarings: 6 Fp2 squarings instead of 9).
// For a cyclotomic g with g2 != 0, the rest follows from the norm conditions:
//   g1 = (xi g5^2 + 3 g4^2 - 2 g3) / (4 g2),  g0 = xi (2 g1^2 + g2 g5 - 3 g3 g4) + 1.
struct Compressed {
  Fp2 g2, g3, g4, g5;
};

inline Compressed compress(const Fp12& f) { return {f.c1.c0, f.c0.c2, f.c0.c1, f.c1.c2}; }

inline Compressed compressed_square(const Compressed& c) {
  Fp4Square b2 = fp4_square(c.g2, c.g3);
  Fp4Square c2 = fp4_square(c.g4, c.g5);
  return {three_plus_two(ops::mul_by_nonresidue_mod(c2.im), c.g2), three_minus_two(c2.re, c.g3),
          three_minus_two(b2.re, c.g4), three_plus_two(b2.im, c.g5)};
}

// The full element from its compressed form, given inv_4g2 = 1 / (4 g2).
inline Fp12 decompress(const Compressed& c, const Fp2& inv_4g2) {
  using namespace ops;
  Fp2 g4_sq = square_mod(c.g4);
  Fp2 num = sub_mod(add_mod(mul_by_nonresidue_mod(square_mod(c.g5)), add_mod(dbl_mod(g4_sq), g4_sq)), dbl_mod(c.g3));
  Fp2 g1 = mul_mod(num, inv_4g2);
  Fp2 g3g4 = mul_mod(c.g3, c.g4);
  Fp2 t = sub_mod(add_mod(dbl_mod(square_mod(g1)), mul_mod(c.g2, c.g5)), add_mod(dbl_mod(g3g4), g3g4));
  Fp2 g0 = add_mod(mul_by_nonresidue_mod(t), Fp2::one());
  return {{g0, c.g4, c.g3}, {c.g2, g1, c.g5}};
}

// At most this many set bits take the compressed path: each set bit costs a decompression (about
// 3 Fp2 squarings and 6 Fp2 multiplications, with the batched inversion's share), each squaring
// saves 3 Fp2 squarings and their additions, and one Fp2 inversion is shared. |x| has 6 set bits;
// the dense (x - 1)/3 of the exact final exponentiation (28) stays on the signed-digit path.
constexpr int kCompressedMaxWeight = 16;

// g^e for cyclotomic g and 1 <= popcount(e) <= kCompressedMaxWeight: compressed squarings from g up
// to the top bit, the powers g^(2^k) for the set bits k decompressed with one shared inversion and
// multiplied together. False (result untouched) when a needed g2 is zero, which the formula
// cannot decompress; the caller then takes the plain path.
bool cyclotomic_pow_compressed(Fp12& out, const Fp12& g, std::uint64_t e) {
  std::array<Compressed, kCompressedMaxWeight> saved;
  std::array<Fp2, kCompressedMaxWeight> inv;
  std::size_t count = 0;
  const bool low_bit = e & 1;  // g^1 needs no decompression
  const int top = 63 - __builtin_clzll(e);
  Compressed c = compress(g);
  for (int k = 1; k <= top; ++k) {
    c = compressed_square(c);
    if ((e >> k) & 1) {
      if (c.g2.is_zero()) return false;
      saved[count] = c;
      inv[count] = ops::dbl_mod(ops::dbl_mod(c.g2));
      ++count;
    }
  }
  // Montgomery's trick over the count denominators.
  std::array<Fp2, kCompressedMaxWeight> prefix;
  Fp2 acc = Fp2::one();
  for (std::size_t i = 0; i < count; ++i) {
    prefix[i] = acc;
    acc = ops::mul_mod(acc, inv[i]);
  }
  Fp2 acc_inv = acc.inverse();
  for (std::size_t i = count; i-- > 0;) {
    Fp2 d = inv[i];
    inv[i] = ops::mul_mod(prefix[i], acc_inv);
    acc_inv = ops::mul_mod(acc_inv, d);
  }
  Fp12 r = low_bit ? g : decompress(saved[0], inv[0]);
  for (std::size_t i = low_bit ? 0 : 1; i < count; ++i) r *= decompress(saved[i], inv[i]);
  out = r;
  return true;
}

}  // namespace

Fp12 Fp12::cyclotomic_pow(std::uint64_t e) const {
  if (e == 0) return one();
  if (e != 1 && std::popcount(e) <= kCompressedMaxWeight) {
    Fp12 r;
    if (cyclotomic_pow_compressed(r, *this, e)) return r;
  }
  // Signed digits (non-adjacent form, inverses by conjugation) unless plain binary is cheaper: for
  // |x| = 0xd201000000010000 the NAF has the same weight but one more digit, so one more squaring.
  std::int8_t digits[65];  // least significant first
  std::size_t n = 0;
  int naf_cost = 0;
  for (u128 k = e; k != 0; k >>= 1) {
    std::int8_t d = 0;
    if (k & 1) {
      d = (k & 3) == 1 ? 1 : -1;
      k = d == 1 ? k - 1 : k + 1;
      ++naf_cost;
    }
    digits[n++] = d;
  }
  naf_cost += static_cast<int>(n);
  const int binary_bits = 64 - __builtin_clzll(e);
  if (binary_bits + __builtin_popcountll(e) <= naf_cost) {
    n = static_cast<std::size_t>(binary_bits);
    for (std::size_t i = 0; i < n; ++i) digits[i] = static_cast<std::int8_t>((e >> i) & 1);
  }
  const Fp12 inv = conjugate();
  Fp12 r = *this;  // the top digit is always +1
  for (std::size_t i = n - 1; i-- > 0;) {
    r = r.cyclotomic_square();
    if (digits[i] == 1) r *= *this;
    if (digits[i] == -1) r *= inv;
  }
  return r;
}

}  // namespace kzg
