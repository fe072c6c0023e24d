// The Miller loop of the optimal ate pairing on BLS12-381: f_{x,Q}(P) for x = -0xd201000000010000.
//
// Line functions. G2 lives on the M-type twist E'(Fp2): y^2 = x^3 + 4 xi, and untwists to E(Fp12)
// by (x', y') -> (x' / w^2, y' / w^3). A line through points of E' with slope s (in twist
// coordinates), through the point (x', y'), evaluated at P = (xP, yP) in E(Fp) and scaled by w^3
// (an element of the proper subfield Fp4, which the final exponentiation kills) is
//   (s x' - y') - s xP v + yP v w,
// so only the Fp12 coefficients 1, v and v*w are nonzero: Fp12::mul_by_014. Every line below is
// further scaled by an Fp2 factor (again killed by the final exponentiation) to avoid inversions,
// with T in homogeneous projective coordinates (x = X/Z, y = Y/Z), following Costello, Lange and
// Naehrig, "Faster pairing computations on curves with high-degree twists" (PKC 2010). A line is
// kept as three Fp2 coefficients independent of P,
//   c0 + (c1 xP) v + (c4 yP) v w,
// so that the plain loop evaluates it at once, and prepare_g2 stores it, divided by c0 (one more
// Fp2 factor), for the prepared loop's cheaper sparse product Fp12::mul_by_014_unit.
#include <algorithm>
#include <vector>

#include "engine/pairing/pairing.hpp"

namespace kzg {

namespace {

constexpr std::uint64_t kXAbs = 0xd201000000010000ULL;  // |x|; x itself is negative
constexpr int kLoopTopBit = 63;                         // the leading one of |x|
constexpr std::size_t kLineCount = 68;                  // 63 doublings + 5 additions
static_assert(kLoopTopBit + __builtin_popcountll(kXAbs) - 1 == kLineCount);

// c0 + (c1 xP) v + (c4 yP) v w.
struct Line {
  Fp2 c0, c1, c4;
};

// T in homogeneous projective coordinates on the twist.
struct TwistPoint {
  Fp2 x, y, z;
};

constexpr Fp2 fp2_half(const Fp2& a) { return {a.c0.half(), a.c1.half()}; }

// The step formulas below use the tower's branch-free Fp2 arithmetic (field/fp6_ops.hpp).
using ops::add_mod;
using ops::dbl_mod;
using ops::mul_mod;
using ops::neg_mod;
using ops::square_mod;
using ops::sub_mod;

// T <- 2T and the tangent line at T. With b' = 4 xi (3b' = 12 xi):
//   A = XY/2, B = Y^2, C = Z^2, E = 3b'C, F = 3E, G = (B + F)/2, H = (Y + Z)^2 - B - C = 2YZ,
//   2T = (A(B - F), G^2 - 3E^2, BH), line (the form above times -2YZ, simplified with the curve
//   equation Y^2 Z = X^3 + b' Z^3):
//   (E - B) + 3X^2 xP v - H yP v w.
Line doubling_step(TwistPoint& t) {
  const Fp2& x = t.x;
  const Fp2& y = t.y;
  const Fp2& z = t.z;
  Fp2 a = fp2_half(mul_mod(x, y));
  Fp2 b = square_mod(y);
  Fp2 c = square_mod(z);
  Fp2 c4 = dbl_mod(dbl_mod(ops::mul_by_nonresidue_mod(c)));  // 4 xi C
  Fp2 e = add_mod(dbl_mod(c4), c4);                          // 12 xi C
  Fp2 f = add_mod(dbl_mod(e), e);
  Fp2 g = fp2_half(add_mod(b, f));
  Fp2 h = sub_mod(sub_mod(square_mod(add_mod(y, z)), b), c);
  Fp2 x2 = square_mod(x);
  Line line{sub_mod(e, b), add_mod(dbl_mod(x2), x2), neg_mod(h)};
  Fp2 e2 = square_mod(e);
  t.x = mul_mod(a, sub_mod(b, f));
  t.y = sub_mod(square_mod(g), add_mod(dbl_mod(e2), e2));
  t.z = mul_mod(b, h);
  return line;
}

// T <- T + Q (Q affine) and the line through T and Q. With theta = Y - yQ Z, lambda = X - xQ Z:
//   C = theta^2, D = lambda^2, E = lambda^3, F = Z C, G = X D, H = E + F - 2G,
//   T + Q = (lambda H, theta (G - H) - Y E, Z E), line (scaled by lambda):
//   (theta xQ - lambda yQ) - theta xP v + lambda yP v w.
Line addition_step(TwistPoint& t, const G2Affine& q) {
  Fp2 theta = sub_mod(t.y, mul_mod(q.y, t.z));
  Fp2 lambda = sub_mod(t.x, mul_mod(q.x, t.z));
  Fp2 c = square_mod(theta);
  Fp2 d = square_mod(lambda);
  Fp2 e = mul_mod(lambda, d);
  Fp2 f = mul_mod(t.z, c);
  Fp2 g = mul_mod(t.x, d);
  Fp2 h = sub_mod(add_mod(e, f), dbl_mod(g));
  Line line{sub_mod(mul_mod(theta, q.x), mul_mod(lambda, q.y)), neg_mod(theta), lambda};
  t.x = mul_mod(lambda, h);
  t.y = sub_mod(mul_mod(theta, sub_mod(g, h)), mul_mod(t.y, e));
  t.z = mul_mod(t.z, e);
  return line;
}

// The loop shared by both paths. For each bit of |x| below the leading one: f <- f^2 (skipped while
// f is still one), then the doubling line of every pair, then, where the bit is set, the addition
// line of every pair. `emit(f, f_is_one, pair, line_index, is_addition)` multiplies one line into
// f; line_index counts a pair's lines in loop order (0..67), the order prepare_g2 stores them in.
template <class Emit>
Fp12 run_loop(std::size_t pairs, Emit&& emit) {
  Fp12 f = Fp12::one();
  bool f_is_one = true;
  std::size_t k = 0;
  for (int i = kLoopTopBit - 1; i >= 0; --i) {
    if (!f_is_one) f = f.square();
    for (std::size_t j = 0; j < pairs; ++j) emit(f, f_is_one, j, k, false);
    ++k;
    if ((kXAbs >> i) & 1) {
      for (std::size_t j = 0; j < pairs; ++j) emit(f, f_is_one, j, k, true);
      ++k;
    }
  }
  // x < 0: f_{x,Q} = 1 / (f_{|x|,Q} v_{[|x|]Q}), and after the final exponentiation the vertical
  // line vanishes and the inverse is the conjugate.
  return f.conjugate();
}

// f <- f * (b0 + b1 v + b4 v w); a product with one is the line itself.
void multiply_line(Fp12& f, bool& f_is_one, const Fp2& b0, const Fp2& b1, const Fp2& b4) {
  if (f_is_one) {
    f = Fp12{{b0, b1, Fp2::zero()}, {Fp2::zero(), b4, Fp2::zero()}};
    f_is_one = false;
  } else {
    f = f.mul_by_014(b0, b1, b4);
  }
}

// f <- f * (1 + b1 v + b4 v w).
void multiply_unit_line(Fp12& f, bool& f_is_one, const Fp2& b1, const Fp2& b4) {
  if (f_is_one) {
    f = Fp12{{Fp2::one(), b1, Fp2::zero()}, {Fp2::zero(), b4, Fp2::zero()}};
    f_is_one = false;
  } else {
    f = f.mul_by_014_unit(b1, b4);
  }
}

}  // namespace

G2Prepared prepare_g2(const G2Affine& q) {
  G2Prepared out;
  if (q.infinity) return out;
  out.infinity = false;
  std::vector<Line> lines;
  lines.reserve(kLineCount);
  TwistPoint t{q.x, q.y, Fp2::one()};
  for (int i = kLoopTopBit - 1; i >= 0; --i) {
    lines.push_back(doubling_step(t));
    if ((kXAbs >> i) & 1) lines.push_back(addition_step(t, q));
  }
  // Divide every line by its constant coefficient (one shared inversion).
  std::vector<Fp2> inv(lines.size());
  for (std::size_t k = 0; k < lines.size(); ++k) inv[k] = lines[k].c0;
  batch_inverse(inv.data(), inv.data(), inv.size());
  out.unit_c0 = std::none_of(lines.begin(), lines.end(), [](const Line& l) { return l.c0.is_zero(); });
  out.lines.reserve(lines.size());
  if (out.unit_c0) {
    for (std::size_t k = 0; k < lines.size(); ++k) out.lines.push_back({lines[k].c1 * inv[k], lines[k].c4 * inv[k]});
  } else {
    out.c0.reserve(lines.size());
    for (const Line& l : lines) {
      out.c0.push_back(l.c0);
      out.lines.push_back({l.c1, l.c4});
    }
  }
  return out;
}

// Sizes should match; extra elements of the longer span are ignored. Pairs with an identity
// point contribute e(.,.) = 1 and are skipped.
Fp12 multi_miller_loop(std::span<const G1Affine> p, std::span<const G2Affine> q) {
  struct Pair {
    Fp x_p, y_p;
    const G2Affine* q;
    TwistPoint t;
  };
  const std::size_t n = std::min(p.size(), q.size());
  std::vector<Pair> pairs;
  pairs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i].infinity || q[i].infinity) continue;
    pairs.push_back({p[i].x, p[i].y, &q[i], {q[i].x, q[i].y, Fp2::one()}});
  }
  if (pairs.empty()) return Fp12::one();
  return run_loop(pairs.size(), [&](Fp12& f, bool& f_is_one, std::size_t j, std::size_t, bool is_addition) {
    Pair& m = pairs[j];
    const Line l = is_addition ? addition_step(m.t, *m.q) : doubling_step(m.t);
    multiply_line(f, f_is_one, l.c0, l.c1 * m.x_p, l.c4 * m.y_p);
  });
}

Fp12 multi_miller_loop(std::span<const G1Affine> p, std::span<const G2Prepared* const> q) {
  struct Pair {
    Fp x_p, y_p;
    const G2Prepared* q;
  };
  const std::size_t n = std::min(p.size(), q.size());
  std::vector<Pair> pairs;
  pairs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i].infinity || q[i]->infinity) continue;
    pairs.push_back({p[i].x, p[i].y, q[i]});
  }
  if (pairs.empty()) return Fp12::one();
  return run_loop(pairs.size(), [&](Fp12& f, bool& f_is_one, std::size_t j, std::size_t k, bool) {
    const Pair& m = pairs[j];
    const G2Prepared::Line& l = m.q->lines[k];
    if (m.q->unit_c0) {
      multiply_unit_line(f, f_is_one, l.c1 * m.x_p, l.c4 * m.y_p);
    } else {
      multiply_line(f, f_is_one, m.q->c0[k], l.c1 * m.x_p, l.c4 * m.y_p);
    }
  });
}

}  // namespace kzg
