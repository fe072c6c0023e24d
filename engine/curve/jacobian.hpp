// Jacobian-coordinate arithmetic on y^2 = x^3 + b (a = 0), shared by G1 (over Fp) and G2 (over Fp2).
// Formulas: dbl-2009-l, add-2007-bl, madd-2007-bl (Explicit-Formulas Database). Variable time.
#pragma once

namespace kzg::jacobian {

// P is (x, y, z) with z == 0 the identity; A is an affine (x, y, infinity).
template <class P>
P dbl(const P& p) {
  if (p.z.is_zero()) return p;
  const auto a = p.x.square();
  const auto b = p.y.square();
  const auto c = b.square();
  const auto d = ((p.x + b).square() - a - c).dbl();
  const auto e = a.dbl() + a;
  const auto f = e.square();
  P r;
  r.x = f - d.dbl();
  r.y = e * (d - r.x) - c.dbl().dbl().dbl();
  r.z = (p.y * p.z).dbl();
  return r;
}

template <class P>
P add(const P& p, const P& q) {
  if (p.z.is_zero()) return q;
  if (q.z.is_zero()) return p;
  const auto z1z1 = p.z.square();
  const auto z2z2 = q.z.square();
  const auto u1 = p.x * z2z2;
  const auto u2 = q.x * z1z1;
  const auto s1 = p.y * q.z * z2z2;
  const auto s2 = q.y * p.z * z1z1;
  const auto h = u2 - u1;
  const auto rr = (s2 - s1).dbl();
  if (h.is_zero()) return rr.is_zero() ? dbl(p) : P{};
  const auto i = h.dbl().square();
  const auto j = h * i;
  const auto v = u1 * i;
  P r;
  r.x = rr.square() - j - v.dbl();
  r.y = rr * (v - r.x) - (s1 * j).dbl();
  r.z = ((p.z + q.z).square() - z1z1 - z2z2) * h;
  return r;
}

template <class P, class A>
P add_mixed(const P& p, const A& q) {
  if (q.infinity) return p;
  if (p.z.is_zero()) return P{q.x, q.y, decltype(q.x)::one()};
  const auto z1z1 = p.z.square();
  const auto u2 = q.x * z1z1;
  const auto s2 = q.y * p.z * z1z1;
  const auto h = u2 - p.x;
  const auto rr = (s2 - p.y).dbl();
  if (h.is_zero()) return rr.is_zero() ? dbl(p) : P{};
  const auto hh = h.square();
  const auto i = hh.dbl().dbl();
  const auto j = h * i;
  const auto v = p.x * i;
  P r;
  r.x = rr.square() - j - v.dbl();
  r.y = rr * (v - r.x) - (p.y * j).dbl();
  r.z = (p.z + h).square() - z1z1 - hh;
  return r;
}

template <class P>
bool equal(const P& p, const P& q) {
  if (p.z.is_zero() || q.z.is_zero()) return p.z.is_zero() && q.z.is_zero();
  const auto z1z1 = p.z.square();
  const auto z2z2 = q.z.square();
  if (p.x * z2z2 != q.x * z1z1) return false;
  return p.y * z2z2 * q.z == q.y * z1z1 * p.z;
}

template <class A, class P>
A to_affine(const P& p) {
  if (p.z.is_zero()) return A{};
  const auto zi = p.z.inverse();
  const auto zi2 = zi.square();
  return A{p.x * zi2, p.y * zi2 * zi, false};
}

// Width-w NAF digits of a canonical little-endian scalar, least significant first (odd digits in
// (-2^(w-1), 2^(w-1)) or zero).
template <std::size_t N>
std::vector<int> wnaf(const Limbs<N>& k, unsigned w) {
  Limbs<N + 1> e{};
  for (std::size_t i = 0; i < N; ++i) e[i] = k[i];
  std::vector<int> digits;
  digits.reserve(64 * N + 1);
  const std::uint64_t mask = (std::uint64_t{1} << w) - 1;
  while (!limbs::is_zero(e)) {
    int d = 0;
    if (e[0] & 1) {
      d = static_cast<int>(e[0] & mask);
      if (d >= (1 << (w - 1))) d -= (1 << w);
      // e -= d
      Limbs<N + 1> dl{};
      if (d >= 0) {
        dl[0] = static_cast<std::uint64_t>(d);
        limbs::sub(e, e, dl);
      } else {
        dl[0] = static_cast<std::uint64_t>(-d);
        limbs::add(e, e, dl);
      }
    }
    digits.push_back(d);
    limbs::shr1(e);
  }
  return digits;
}

// [k]p by a width-5 NAF with 8 precomputed odd multiples.
template <class P, std::size_t N>
P mul_wnaf(const P& p, const Limbs<N>& k) {
  constexpr unsigned w = 5;
  const std::vector<int> d = wnaf(k, w);
  if (d.empty() || p.z.is_zero()) return P{};
  P table[1 << (w - 2)];
  table[0] = p;
  const P p2 = dbl(p);
  for (std::size_t i = 1; i < std::size(table); ++i) table[i] = add(table[i - 1], p2);
  P r{};
  for (std::size_t i = d.size(); i-- > 0;) {
    r = dbl(r);
    if (d[i] > 0) r = add(r, table[(d[i] - 1) / 2]);
    if (d[i] < 0) r = add(r, -table[(-d[i] - 1) / 2]);
  }
  return r;
}

}  // namespace kzg::jacobian
