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
// Naehrig, "Faster pairing computations on curves with high-degree twists" (PKC 2010).
#include <algorithm>
#include <vector>

#include "pairing/pairing.hpp"

namespace kzg {

namespace {

constexpr std::uint64_t kXAbs = 0xd201000000010000ULL;  // |x|; x itself is negative

struct LineAtP {
  Fp2 b0, b1, b4;  // coefficients of 1, v and v*w
};

// One pair of the multi-Miller loop: P prepared for line evaluation, Q, and the running T.
struct MillerPair {
  Fp x_p, neg_y_p;
  Fp2 x_q, y_q;
  Fp2 tx, ty, tz;
};

constexpr Fp2 fp2_half(const Fp2& a) { return {a.c0.half(), a.c1.half()}; }

// T <- 2T and the tangent line at T. With b' = 4 xi (3b' = 12 xi):
//   A = XY/2, B = Y^2, C = Z^2, E = 3b'C, F = 3E, G = (B + F)/2, H = (Y + Z)^2 - B - C = 2YZ,
//   2T = (A(B - F), G^2 - 3E^2, BH), line (the form above times -2YZ, simplified with the curve
//   equation Y^2 Z = X^3 + b' Z^3):
//   (E - B) + 3X^2 xP v - H yP v w.
LineAtP doubling_step(MillerPair& m) {
  const Fp2& x = m.tx;
  const Fp2& y = m.ty;
  const Fp2& z = m.tz;
  Fp2 a = fp2_half(x * y);
  Fp2 b = y.square();
  Fp2 c = z.square();
  Fp2 c4 = c.mul_by_nonresidue().dbl().dbl();  // 4 xi C
  Fp2 e = c4.dbl() + c4;                       // 12 xi C
  Fp2 f = e.dbl() + e;
  Fp2 g = fp2_half(b + f);
  Fp2 h = (y + z).square() - b - c;
  Fp2 x2 = x.square();
  LineAtP line{e - b, (x2.dbl() + x2) * m.x_p, h * m.neg_y_p};
  Fp2 e2 = e.square();
  m.tx = a * (b - f);
  m.ty = g.square() - (e2.dbl() + e2);
  m.tz = b * h;
  return line;
}

// T <- T + Q (Q affine) and the line through T and Q. With theta = Y - yQ Z, lambda = X - xQ Z:
//   C = theta^2, D = lambda^2, E = lambda^3, F = Z C, G = X D, H = E + F - 2G,
//   T + Q = (lambda H, theta (G - H) - Y E, Z E), line (scaled by lambda):
//   (theta xQ - lambda yQ) - theta xP v + lambda yP v w.
LineAtP addition_step(MillerPair& m) {
  Fp2 theta = m.ty - m.y_q * m.tz;
  Fp2 lambda = m.tx - m.x_q * m.tz;
  Fp2 c = theta.square();
  Fp2 d = lambda.square();
  Fp2 e = lambda * d;
  Fp2 f = m.tz * c;
  Fp2 g = m.tx * d;
  Fp2 h = e + f - g.dbl();
  LineAtP line{theta * m.x_q - lambda * m.y_q, theta * (-m.x_p), lambda * (-m.neg_y_p)};
  m.tx = lambda * h;
  m.ty = theta * (g - h) - m.ty * e;
  m.tz = m.tz * e;
  return line;
}

}  // namespace

// Sizes should match; extra elements of the longer span are ignored. Pairs with an identity
// point contribute e(.,.) = 1 and are skipped.
Fp12 multi_miller_loop(std::span<const G1Affine> p, std::span<const G2Affine> q) {
  const std::size_t n = std::min(p.size(), q.size());
  std::vector<MillerPair> pairs;
  pairs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i].infinity || q[i].infinity) continue;
    pairs.push_back({p[i].x, -p[i].y, q[i].x, q[i].y, q[i].x, q[i].y, Fp2::one()});
  }
  if (pairs.empty()) return Fp12::one();

  Fp12 f = Fp12::one();
  bool first = true;
  for (int i = 62; i >= 0; --i) {  // bits of |x| below the leading one
    if (!first) f = f.square();
    first = false;
    for (auto& m : pairs) {
      LineAtP l = doubling_step(m);
      f = f.mul_by_014(l.b0, l.b1, l.b4);
    }
    if ((kXAbs >> i) & 1) {
      for (auto& m : pairs) {
        LineAtP l = addition_step(m);
        f = f.mul_by_014(l.b0, l.b1, l.b4);
      }
    }
  }
  // x < 0: f_{x,Q} = 1 / (f_{|x|,Q} v_{[|x|]Q}), and after the final exponentiation the vertical
  // line vanishes and the inverse is the conjugate.
  return f.conjugate();
}

}  // namespace kzg
