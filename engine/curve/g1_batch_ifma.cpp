#include "engine/curve/g1_batch_ifma.hpp"

#include "engine/curve/ifma_fp.hpp"

#ifdef KZG_HAVE_IFMA
#include <algorithm>
#include <vector>

#include "engine/curve/g1_endomorphism.hpp"

namespace kzg::g1_batch_ifma {
namespace {

using namespace ifma;  // NOLINT(google-build-using-namespace): the lane arithmetic these kernels are written in

// Bounds. ifma::mul gives a result below 2p for inputs below 2^398, so every product below is < 2p; sums and
// differences are tracked in multiples of p and each sub() gets a constant at least what it subtracts. On the
// way into dbl8/madd8: X < 26p, Y < 18p, Z < 6p (all three enter products only, except X in X + B).
struct Jac8 {
  F8 x, y, z;
};

// dbl-2009-l (a = 0): A = X^2, B = Y^2, C = B^2, D = 2((X + B)^2 - A - C), E = 3A, F = E^2,
// X3 = F - 2D, Y3 = E(D - X3) - 8C, Z3 = 2YZ. Out: X3 < 26p, Y3 < 18p, Z3 < 4p.
KZG_IFMA_INLINE Jac8 dbl8(const Jac8& p) {
  const F8 a = mul(p.x, p.x);
  const F8 b = mul(p.y, p.y);
  const F8 c = mul(b, b);
  const F8 xb = add(p.x, b);                             // < 28p
  const F8 t = sub(mul(xb, xb), add(a, c), p_times(4));  // < 6p
  const F8 d = add(t, t);                                // < 12p
  const F8 e = add(add(a, a), a);                        // < 6p
  Jac8 r;
  r.x = sub(mul(e, e), add(d, d), p_times(24));                  // < 26p
  const F8 c2 = add(c, c), c4 = add(c2, c2), c8 = add(c4, c4);   // < 16p
  r.y = sub(mul(e, sub(d, r.x, p_times(26))), c8, p_times(16));  // < 18p
  const F8 yz = mul(p.y, p.z);
  r.z = add(yz, yz);  // < 4p
  return r;
}

// madd-2007-bl, P + (x2, y2) for an affine (x2, y2) < 2p: Z1Z1 = Z1^2, U2 = x2 Z1Z1, S2 = y2 Z1 Z1Z1,
// H = U2 - X1, HH = H^2, I = 4HH, J = H I, r = 2(S2 - Y1), V = X1 I, X3 = r^2 - J - 2V,
// Y3 = r(V - X3) - 2 Y1 J, Z3 = (Z1 + H)^2 - Z1Z1 - HH. Out: X3 < 8p, Y3 < 6p, Z3 < 6p.
// Where P == +-(x2, y2) or P is the identity, H == 0 mod p or Z1 == 0 and Z3 comes out 0 mod p, and stays 0
// through every later step: the caller treats a final Z == 0 as undecided.
KZG_IFMA_INLINE Jac8 madd8(const Jac8& p, const F8& x2, const F8& y2) {
  const F8 z1z1 = mul(p.z, p.z);
  const F8 u2 = mul(x2, z1z1);
  const F8 s2 = mul(mul(y2, p.z), z1z1);
  const F8 h = sub(u2, p.x, p_times(26));  // < 28p
  const F8 hh = mul(h, h);
  const F8 hh2 = add(hh, hh), i = add(hh2, hh2);  // < 8p
  const F8 j = mul(h, i);
  const F8 s = sub(s2, p.y, p_times(18));  // < 20p
  const F8 rr = add(s, s);                 // < 40p
  const F8 v = mul(p.x, i);
  Jac8 r;
  r.x = sub(mul(rr, rr), add(j, add(v, v)), p_times(6));  // < 8p
  const F8 yj = mul(p.y, j);
  r.y = sub(mul(rr, sub(v, r.x, p_times(8))), add(yj, yj), p_times(4));  // < 6p
  const F8 zh = add(p.z, h);                                             // < 34p
  r.z = sub(mul(zh, zh), add(z1z1, hh), p_times(4));                     // < 6p
  return r;
}

// The lanes whose value (below 2^398) is 0 mod p.
KZG_IFMA_INLINE __mmask8 zero_mod_p(const F8& a) {
  const F8 c = reduce_below_2p(mul(a, splat(kOne)));  // a 2^416 2^-416: a mod p, canonical after the reduction
  __mmask8 zero = 0xff;
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) zero &= _mm512_cmpeq_epi64_mask(c.l[j], _mm512_setzero_si512());
  return zero;
}

// Eight Fp values (R = 2^384 form) into R' lanes (values < 2p); lanes past `count` repeat value 0.
KZG_IFMA F8 load_lanes(const Fp* const* values, std::size_t count) {
  alignas(64) u64 rows[8][8];
  for (std::size_t i = 0; i < 8; ++i) {
    const Limbs52 l = to_radix52(values[i < count ? i : 0]->v);
    std::copy(l.begin(), l.end(), rows[i]);
  }
  u64* const row_ptrs[8] = {rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]};
  return mul(gather(row_ptrs), splat(kToRPrime));
}

// R' lanes (values < 2^398) back to canonical Fp values in R form.
KZG_IFMA void store_lanes(const F8& a, Fp* const* out, std::size_t count) {
  alignas(64) u64 rows[8][8];
  u64* const row_ptrs[8] = {rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]};
  scatter(row_ptrs, reduce_below_2p(mul(a, splat(kToR))));
  for (std::size_t i = 0; i < count; ++i) *out[i] = Fp::from_raw(from_radix52(rows[i]));
}

// x^2 for the BLS parameter x = -0xd201000000010000: 128 bits, 17 of them set.
constexpr u64 kX2High = 0xac45a4010001a402ULL, kX2Low = 0x0000000100000000ULL;
constexpr bool x2_bit(int i) { return ((i >= 64 ? kX2High >> (i - 64) : kX2Low >> i) & 1) != 0; }

// Eight points, none the identity.
KZG_IFMA void subgroup_check8(const G1Affine* const* points, std::size_t count, Membership* out) {
  const Fp* xs[8];
  const Fp* ys[8];
  for (std::size_t i = 0; i < count; ++i) {
    xs[i] = &points[i]->x;
    ys[i] = &points[i]->y;
  }
  const F8 x = load_lanes(xs, count), y = load_lanes(ys, count);
  // [x^2]P from the top bit down: 127 doublings, 16 mixed additions of P.
  Jac8 r{x, y, splat(kOne)};
  for (int i = 126; i >= 0; --i) {
    r = dbl8(r);
    if (x2_bit(i)) r = madd8(r, x, y);
  }
  // phi(P) == -[x^2]P: X == beta x Z^2 and Y == -y Z^3, with Z != 0.
  static const Limbs52 beta = to_radix52((g1_endomorphism::beta() * Fp::from_u64(u64{1} << 32)).v);  // beta R'
  const F8 z2 = mul(r.z, r.z);
  const F8 z3 = mul(z2, r.z);
  const F8 dx = sub(r.x, mul(mul(x, splat(beta)), z2), p_times(2));  // < 28p
  const F8 dy = add(r.y, mul(y, z3));                                // < 20p
  const __mmask8 z_zero = zero_mod_p(r.z);
  const __mmask8 equal = zero_mod_p(dx) & zero_mod_p(dy);
  for (std::size_t i = 0; i < count; ++i) {
    const auto bit = static_cast<__mmask8>(1u << i);
    out[i] = (z_zero & bit) ? Membership::kUndecided : (equal & bit) ? Membership::kIn : Membership::kOut;
  }
}

// The exponent (p + 1) / 4 as sliding-window steps: square `squarings` times, then multiply by the odd power
// table[index] (the first step only loads it). Windows of 5 bits, as MontgomeryField::pow takes them.
struct WindowStep {
  std::uint16_t squarings;
  std::uint8_t index;
};
constexpr std::size_t kWindow = 5;

std::vector<WindowStep> sqrt_exponent_steps() {
  Limbs<6> e = Fp::modulus();
  limbs::add(e, e, Limbs<6>{1});
  limbs::shr1(e);
  limbs::shr1(e);
  std::vector<WindowStep> steps;
  limbs::for_each_window(e, kWindow, [&](std::size_t squarings, std::size_t index) {
    steps.push_back(
        {static_cast<std::uint16_t>(squarings), static_cast<std::uint8_t>(index == limbs::kNoWindow ? 0xff : index)});
  });
  return steps;
}

KZG_IFMA void sqrt8(const Fp* const* in, std::size_t count, Fp* const* out) {
  static const std::vector<WindowStep> steps = sqrt_exponent_steps();
  const F8 a = load_lanes(in, count);
  F8 odd[1 << (kWindow - 1)];  // odd[j] = a^(2j + 1)
  odd[0] = a;
  const F8 sq = mul(a, a);
  for (std::size_t j = 1; j < std::size(odd); ++j) odd[j] = mul(odd[j - 1], sq);
  F8 r = odd[steps.front().index];
  for (std::size_t s = 1; s < steps.size(); ++s) {
    for (std::uint16_t k = 0; k < steps[s].squarings; ++k) r = mul(r, r);
    if (steps[s].index != 0xff) r = mul(r, odd[steps[s].index]);
  }
  store_lanes(r, out, count);
}

}  // namespace

bool subgroup_check(std::span<const G1Affine> points, std::span<Membership> out) {
  if (!cpu_has_ifma()) return false;
  const G1Affine* group[8];
  Membership* slots[8];
  Membership results[8];
  std::size_t count = 0;
  const auto flush = [&] {
    subgroup_check8(group, count, results);
    for (std::size_t i = 0; i < count; ++i) *slots[i] = results[i];
    count = 0;
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].infinity) {
      out[i] = Membership::kIn;
      continue;
    }
    group[count] = &points[i];
    slots[count] = &out[i];
    if (++count == 8) flush();
  }
  if (count > 0) flush();
  return true;
}

bool sqrt_candidates(std::span<const Fp> in, std::span<Fp> out) {
  if (!cpu_has_ifma()) return false;
  for (std::size_t base = 0; base < in.size(); base += 8) {
    const std::size_t count = std::min<std::size_t>(8, in.size() - base);
    const Fp* ins[8];
    Fp* outs[8];
    for (std::size_t i = 0; i < count; ++i) {
      ins[i] = &in[base + i];
      outs[i] = &out[base + i];
    }
    sqrt8(ins, count, outs);
  }
  return true;
}

}  // namespace kzg::g1_batch_ifma

#else  // no IFMA on this target: the scalar paths do everything

namespace kzg::g1_batch_ifma {
bool subgroup_check(std::span<const G1Affine>, std::span<Membership>) { return false; }
bool sqrt_candidates(std::span<const Fp>, std::span<Fp>) { return false; }
}  // namespace kzg::g1_batch_ifma

#endif
