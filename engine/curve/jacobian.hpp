// Jacobian-coordinate arithmetic on y^2 = x^3 + b (a = 0), shared by G1 (over Fp) and G2 (over Fp2).
// Formulas: dbl-2009-l, add-2007-bl, madd-2007-bl (Explicit-Formulas Database). Variable time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/field/montgomery.hpp"

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

// Capacity a wnaf() output buffer needs for an N-limb integer and any width up to 8.
template <std::size_t N>
inline constexpr std::size_t kWnafCapacity = 64 * N + 9;

// Width-w NAF digits of a little-endian integer, least significant first: each digit is zero or odd in
// (-2^(w-1), 2^(w-1)), and any w consecutive digits hold at most one non-zero. Returns the number of digits
// up to the most significant non-zero one. 2 <= w <= 8; `out` holds kWnafCapacity<N> digits.
//
// Reads w-bit windows straight from the limbs with a carry instead of subtracting each digit from a copy
// of the integer.
template <std::size_t N>
std::size_t wnaf(std::int8_t* out, const Limbs<N>& k, unsigned w) {
  const std::size_t nbits = limbs::bit_length(k);
  const std::uint64_t mask = (std::uint64_t{1} << w) - 1;
  std::size_t len = 0;
  std::uint64_t carry = 0;
  std::size_t i = 0;
  while (i < nbits || carry != 0) {
    // (k >> i) + carry, low w bits.
    std::uint64_t window = 0;
    if (i < 64 * N) {
      const std::size_t limb = i / 64, shift = i % 64;
      window = k[limb] >> shift;
      if (shift + w > 64 && limb + 1 < N) window |= k[limb + 1] << (64 - shift);
    }
    window = (window & mask) + carry;
    if ((window & 1) == 0) {  // digit 0; the carry passes through unchanged
      out[i++] = 0;
      continue;
    }
    // window is odd and at most 2^w - 1: a signed digit, then w - 1 zeros.
    std::int64_t d = static_cast<std::int64_t>(window);
    carry = 0;
    if (d >= (std::int64_t{1} << (w - 1))) {
      d -= std::int64_t{1} << w;
      carry = 1;
    }
    out[i] = static_cast<std::int8_t>(d);
    len = i + 1;
    for (unsigned j = 1; j < w; ++j) out[i + j] = 0;
    i += w;
  }
  return len;
}

// Odd multiples table[i] = [2i + 1]p, i < 2^(w-2).
template <class P, std::size_t Size>
void odd_multiples(P (&table)[Size], const P& p) {
  table[0] = p;
  const P p2 = dbl(p);
  for (std::size_t i = 1; i < Size; ++i) table[i] = add(table[i - 1], p2);
}

// r += [d] (table of odd multiples) for a signed odd digit d, or nothing for d == 0.
template <class P, std::size_t Size>
void add_digit(P& r, const P (&table)[Size], int d) {
  if (d > 0) r = add(r, table[(d - 1) / 2]);
  if (d < 0) r = add(r, -table[(-d - 1) / 2]);
}

// [k]p by a width-5 NAF with 8 precomputed odd multiples. Valid for any point of the curve.
template <class P, std::size_t N>
P mul_wnaf(const P& p, const Limbs<N>& k) {
  constexpr unsigned w = 5;
  std::int8_t d[kWnafCapacity<N>];
  const std::size_t len = wnaf(d, k, w);
  if (len == 0 || p.z.is_zero()) return P{};
  P table[1 << (w - 2)];
  odd_multiples(table, p);
  P r{};
  for (std::size_t i = len; i-- > 0;) {
    r = dbl(r);
    add_digit(r, table, d[i]);
  }
  return r;
}

// [|x|]p for the BLS parameter |x| = 0xd201000000010000 by double-and-add: its six set bits make this
// cheaper than any window method (63 doublings, 5 additions).
template <class P>
P mul_by_abs_bls_x(const P& p) {
  constexpr std::uint64_t kAbsX = 0xd201000000010000ULL;
  P r = p;
  for (int i = 62; i >= 0; --i) {
    r = dbl(r);
    if ((kAbsX >> i) & 1) r = add(r, p);
  }
  return r;
}

}  // namespace kzg::jacobian
