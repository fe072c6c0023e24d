#include "engine/curve/g1.hpp"

#include <algorithm>
#include <array>

#include "engine/curve/g1_batch_ifma.hpp"
#include "engine/curve/g1_endomorphism.hpp"
#include "engine/curve/jacobian.hpp"

namespace kzg {
namespace {

constexpr Fp kCurveB = Fp::from_u64(4);

Fp curve_rhs(const Fp& x) { return x.square() * x + kCurveB; }

// The checks before the square root: flags, the identity, a canonical x. Sets `done` (out already written)
// for the identity; otherwise leaves x and the curve's right-hand side for the square root.
PointError parse_compressed(std::span<const std::uint8_t, 48> in, G1Affine& out, bool& done, Fp& x, Fp& rhs) {
  done = false;
  const std::uint8_t flags = in[0];
  if ((flags & 0x80) == 0) return PointError::kNotCompressed;
  if (flags & 0x40) {
    if ((flags & 0x3f) != 0 || (flags & 0x20) != 0) return PointError::kBadInfinity;
    for (std::size_t i = 1; i < 48; ++i)
      if (in[i] != 0) return PointError::kBadInfinity;
    out = G1Affine::identity();
    done = true;
    return PointError::kOk;
  }
  std::array<std::uint8_t, 48> xb{};
  std::copy(in.begin(), in.end(), xb.begin());
  xb[0] &= 0x1f;
  if (!Fp::from_bytes_be(x, xb)) return PointError::kNotCanonical;
  rhs = curve_rhs(x);
  return PointError::kOk;
}

// The point from x and a square-root candidate y of rhs, with the sign the flags ask for.
PointError finish_decompress(std::span<const std::uint8_t, 48> in, const Fp& x, const Fp& rhs, Fp y, G1Affine& out) {
  if (y.square() != rhs) return PointError::kNotOnCurve;
  if (y.lexicographically_largest() != ((in[0] & 0x20) != 0)) y = -y;
  out = G1Affine{x, y, false};
  return PointError::kOk;
}

PointError decompress(G1Affine& out, std::span<const std::uint8_t, 48> in, bool check_subgroup) {
  bool done;
  Fp x, rhs;
  G1Affine p;
  if (const PointError e = parse_compressed(in, p, done, x, rhs); e != PointError::kOk || done) {
    if (e == PointError::kOk) out = p;
    return e;
  }
  if (const PointError e = finish_decompress(in, x, rhs, fp_sqrt_candidate(rhs), p); e != PointError::kOk) return e;
  if (check_subgroup && !p.is_in_subgroup()) return PointError::kNotInSubgroup;
  out = p;
  return PointError::kOk;
}

// Below this many points the scalar code is as fast as a part-filled vector (measured with kzg_bench).
constexpr std::size_t kVectorBatchMin = 2;

}  // namespace

G1Affine G1Affine::generator() {
  static const G1Affine g = [] {
    static constexpr std::uint8_t kCompressed[48] = {
        0x97, 0xf1, 0xd3, 0xa7, 0x31, 0x97, 0xd7, 0x94, 0x26, 0x95, 0x63, 0x8c, 0x4f, 0xa9, 0xac, 0x0f,
        0xc3, 0x68, 0x8c, 0x4f, 0x97, 0x74, 0xb9, 0x05, 0xa1, 0x4e, 0x3a, 0x3f, 0x17, 0x1b, 0xac, 0x58,
        0x6c, 0x55, 0xe8, 0x3f, 0xf9, 0x7a, 0x1a, 0xef, 0xfb, 0x3a, 0xf0, 0x0a, 0xdb, 0x22, 0xc6, 0xbb};
    G1Affine p;
    decompress(p, std::span<const std::uint8_t, 48>(kCompressed, 48), false);
    return p;
  }();
  return g;
}

bool G1Affine::is_on_curve() const { return infinity || y.square() == curve_rhs(x); }

bool G1Affine::is_in_subgroup() const {
  // phi(P) == [-x^2]P (Scott, "A note on group membership tests for G1, G2 and GT on BLS pairing-friendly
  // curves", 2021): on the r-torsion phi acts as -x^2, and on BLS12-381 no point of E(Fp) outside it
  // satisfies the equation (the tests check it against [r]P on points outside).
  if (infinity) return true;
  const G1Projective p = G1Projective::from_affine(*this);
  const G1Projective x2p = jacobian::mul_by_abs_bls_x(jacobian::mul_by_abs_bls_x(p));
  return g1_endomorphism::phi(p) == -x2p;
}

G1Affine G1Affine::operator-() const { return infinity ? *this : G1Affine{x, -y, false}; }

bool operator==(const G1Affine& a, const G1Affine& b) {
  if (a.infinity || b.infinity) return a.infinity == b.infinity;
  return a.x == b.x && a.y == b.y;
}

G1Projective G1Projective::from_affine(const G1Affine& a) {
  return a.infinity ? G1Projective{} : G1Projective{a.x, a.y, Fp::one()};
}
G1Affine G1Projective::to_affine() const { return jacobian::to_affine<G1Affine>(*this); }
G1Projective G1Projective::dbl() const { return jacobian::dbl(*this); }
G1Projective G1Projective::operator-() const { return {x, -y, z}; }
G1Projective operator+(const G1Projective& a, const G1Projective& b) { return jacobian::add(a, b); }
G1Projective operator+(const G1Projective& a, const G1Affine& b) { return jacobian::add_mixed(a, b); }
G1Projective operator-(const G1Projective& a, const G1Projective& b) { return jacobian::add(a, -b); }
bool operator==(const G1Projective& a, const G1Projective& b) { return jacobian::equal(a, b); }

void g1_batch_to_affine(std::span<G1Affine> out, std::span<const G1Projective> in) {
  std::vector<Fp> zs(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) zs[i] = in[i].z;
  batch_inverse(zs.data(), zs.data(), zs.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].z.is_zero()) {
      out[i] = G1Affine::identity();
      continue;
    }
    const Fp zi2 = zs[i].square();
    out[i] = G1Affine{in[i].x * zi2, in[i].y * zi2 * zs[i], false};
  }
}

G1Projective g1_mul(const G1Projective& p, const Scalar& k) {
  // GLV: [k]P = [k1]P + [k2]([x^2]P) with 128-bit halves, both width-5 NAFs sharing one chain of doublings.
  constexpr unsigned w = 5;
  if (p.is_identity()) return p;
  Scalar kr = k;
  while (limbs::geq(kr, Fr::modulus())) limbs::sub(kr, kr, Fr::modulus());  // [k]P = [k mod r]P on G1
  const auto [k1, k2] = g1_endomorphism::split(kr);
  std::int8_t d1[jacobian::kWnafCapacity<2>] = {}, d2[jacobian::kWnafCapacity<2>] = {};  // zero past each length
  const std::size_t len = std::max(jacobian::wnaf(d1, k1, w), jacobian::wnaf(d2, k2, w));
  G1Projective t1[1 << (w - 2)], t2[1 << (w - 2)];
  jacobian::odd_multiples(t1, p);
  for (std::size_t i = 0; i < std::size(t1); ++i) t2[i] = g1_endomorphism::mul_by_x_squared(t1[i]);
  G1Projective r{};
  for (std::size_t i = len; i-- > 0;) {
    r = r.dbl();
    jacobian::add_digit(r, t1, d1[i]);
    jacobian::add_digit(r, t2, d2[i]);
  }
  return r;
}
G1Projective g1_mul(const G1Projective& p, const Fr& k) { return g1_mul(p, k.to_canonical()); }
G1Projective g1_mul_any(const G1Projective& p, const Scalar& k) { return jacobian::mul_wnaf(p, k); }

namespace {

// [k]G by a fixed-base comb: k in signed 8-bit digits d_w (|d_w| <= 128, 33 windows), table[w][|d| - 1] =
// [|d| 2^(8w)]G, so the product is at most 33 mixed additions. Built on first use: 33 x 128 points, 440 KB.
constexpr std::size_t kCombWindows = 33, kCombDigits = 128;

const std::vector<G1Affine>& generator_comb() {
  static const std::vector<G1Affine> table = [] {
    std::vector<G1Projective> t(kCombWindows * kCombDigits);
    G1Projective base = G1Projective::from_affine(G1Affine::generator());  // [2^(8w)]G
    for (std::size_t w = 0; w < kCombWindows; ++w) {
      G1Projective multiple = base;
      for (std::size_t d = 0; d < kCombDigits; ++d) {
        t[w * kCombDigits + d] = multiple;
        multiple += base;
      }
      base = t[w * kCombDigits + kCombDigits - 1].dbl();  // [256 * 2^(8w)]G
    }
    std::vector<G1Affine> affine(t.size());
    g1_batch_to_affine(affine, t);
    return affine;
  }();
  return table;
}

}  // namespace

G1Projective g1_generator_mul(const Fr& k) {
  const std::vector<G1Affine>& table = generator_comb();
  const Scalar e = k.to_canonical();
  G1Projective acc{};
  int carry = 0;
  for (std::size_t w = 0; w < kCombWindows; ++w) {
    const std::size_t bit = 8 * w;
    int d = carry + (bit < 256 ? static_cast<int>((e[bit / 64] >> (bit % 64)) & 0xff) : 0);
    carry = d > 128 ? 1 : 0;
    d -= carry << 8;
    if (d > 0) acc += table[w * kCombDigits + static_cast<std::size_t>(d - 1)];
    if (d < 0) acc += -table[w * kCombDigits + static_cast<std::size_t>(-d - 1)];
  }
  return acc;
}

void g1_compress(std::span<std::uint8_t, 48> out, const G1Affine& p) {
  if (p.infinity) {
    std::fill(out.begin(), out.end(), 0);
    out[0] = 0xc0;
    return;
  }
  p.x.to_bytes_be(out);
  out[0] |= 0x80;
  if (p.y.lexicographically_largest()) out[0] |= 0x20;
}

PointError g1_decompress(G1Affine& out, std::span<const std::uint8_t, 48> in) { return decompress(out, in, true); }
PointError g1_decompress_unchecked(G1Affine& out, std::span<const std::uint8_t, 48> in) {
  return decompress(out, in, false);
}

void g1_batch_in_subgroup(std::span<const G1Affine> points, std::span<std::uint8_t> in_subgroup, bool vectorized) {
  std::vector<g1_batch_ifma::Membership> m(points.size(), g1_batch_ifma::Membership::kUndecided);
  if (vectorized && points.size() >= kVectorBatchMin) g1_batch_ifma::subgroup_check(points, m);
  for (std::size_t i = 0; i < points.size(); ++i)
    in_subgroup[i] = m[i] == g1_batch_ifma::Membership::kUndecided ? points[i].is_in_subgroup()
                                                                   : m[i] == g1_batch_ifma::Membership::kIn;
}

void g1_decompress_batch(std::span<const std::span<const std::uint8_t, 48>> in, std::span<G1Affine> out,
                         std::span<PointError> errors, bool vectorized) {
  // Pass 1: flags and x, point by point; the square roots and subgroup checks wait for the whole batch.
  std::vector<std::size_t> pending;
  std::vector<Fp> xs, rhs;
  for (std::size_t i = 0; i < in.size(); ++i) {
    bool done;
    Fp x, r;
    errors[i] = parse_compressed(in[i], out[i], done, x, r);
    if (errors[i] != PointError::kOk || done) continue;
    pending.push_back(i);
    xs.push_back(x);
    rhs.push_back(r);
  }
  std::vector<Fp> ys(pending.size());
  if (!(vectorized && pending.size() >= kVectorBatchMin && g1_batch_ifma::sqrt_candidates(rhs, ys)))
    for (std::size_t k = 0; k < pending.size(); ++k) ys[k] = fp_sqrt_candidate(rhs[k]);
  std::vector<G1Affine> points;
  std::vector<std::size_t> on_curve;
  for (std::size_t k = 0; k < pending.size(); ++k) {
    const std::size_t i = pending[k];
    G1Affine p;
    errors[i] = finish_decompress(in[i], xs[k], rhs[k], ys[k], p);
    if (errors[i] != PointError::kOk) continue;
    points.push_back(p);
    on_curve.push_back(i);
  }
  std::vector<std::uint8_t> member(points.size());
  g1_batch_in_subgroup(points, member, vectorized);
  for (std::size_t k = 0; k < points.size(); ++k) {
    const std::size_t i = on_curve[k];
    if (member[k])
      out[i] = points[k];
    else
      errors[i] = PointError::kNotInSubgroup;
  }
}

}  // namespace kzg
