// The final exponentiation f -> f^((p^12 - 1) / r) on BLS12-381.
//
// (p^12 - 1)/r = (p^6 - 1)(p^2 + 1) * (p^4 - p^2 + 1)/r. The easy part (p^6 - 1)(p^2 + 1) costs an
// inversion and Frobenius maps and lands in the cyclotomic subgroup, where inversion is
// conjugation and squaring is Granger-Scott. For the hard part, Hayashida, Hayasaka and Teruya
// ("Efficient final exponentiation via cyclotomic structure for pairings over families of
// elliptic curves", ePrint 2020/875) write, with p and r as polynomials in x,
//   3 (p^4 - p^2 + 1)/r = (x - 1)^2 (x + p)(x^2 + p^2 - 1) + 3,
// a chain of exponentiations by x (sparse: 6 set bits) and Frobenius maps. Since x = 1 mod 3,
// (x - 1)/3 is an integer and the exact exponent is
//   (p^4 - p^2 + 1)/r = ((x - 1)/3) (x - 1)(x + p)(x^2 + p^2 - 1) + 1,
// which costs one dense 64-bit exponentiation more than the cube. pairing() returns the exact
// value; the pairing check uses the cube, which is one exactly when the exact value is (gcd(3,
// r) = 1).
#include "engine/pairing/pairing.hpp"

namespace kzg {

namespace {

constexpr std::uint64_t kXAbs = 0xd201000000010000ULL;       // |x|; x itself is negative
constexpr std::uint64_t kXMinus1Over3Abs = (kXAbs + 1) / 3;  // |(x - 1)/3|
static_assert((kXAbs + 1) % 3 == 0, "x = 1 mod 3");

// f^((p^6 - 1)(p^2 + 1)).
Fp12 easy_part(const Fp12& f) {
  Fp12 t = f.conjugate() * f.inverse();  // f^(p^6 - 1)
  return t.frobenius_map(2) * t;
}

// g^x for cyclotomic g (x < 0: the conjugate of g^|x|).
Fp12 cyclotomic_exp_by_x(const Fp12& g) { return g.cyclotomic_pow(kXAbs).conjugate(); }

// g^((x - 1)(x + p)(x^2 + p^2 - 1)) for cyclotomic g.
Fp12 hard_part_chain(const Fp12& g) {
  Fp12 a = cyclotomic_exp_by_x(g) * g.conjugate();          // g^(x - 1)
  Fp12 b = cyclotomic_exp_by_x(a) * a.frobenius_map(1);     // a^(x + p)
  Fp12 b_x2 = cyclotomic_exp_by_x(cyclotomic_exp_by_x(b));  // b^(x^2)
  return b_x2 * b.frobenius_map(2) * b.conjugate();         // b^(x^2 + p^2 - 1)
}

}  // namespace

Fp12 final_exponentiation(const Fp12& f) {
  Fp12 m = easy_part(f);
  Fp12 g = m.cyclotomic_pow(kXMinus1Over3Abs).conjugate();  // m^((x - 1)/3), negative exponent
  return hard_part_chain(g) * m;
}

Fp12 final_exponentiation_cubed(const Fp12& f) {
  Fp12 m = easy_part(f);
  Fp12 g = cyclotomic_exp_by_x(m) * m.conjugate();  // m^(x - 1)
  return hard_part_chain(g) * m.cyclotomic_square() * m;
}

}  // namespace kzg
