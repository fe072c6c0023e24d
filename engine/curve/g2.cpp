#include "engine/curve/g2.hpp"

#include <array>

#include "engine/curve/jacobian.hpp"

namespace kzg {
namespace {

// b' = 4 (u + 1)
const Fp2& twist_b() {
  static const Fp2 b{Fp::from_u64(4), Fp::from_u64(4)};
  return b;
}

Fp2 curve_rhs(const Fp2& x) { return x.square() * x + twist_b(); }

// psi = untwist-Frobenius-twist: psi(x, y) = (conj(x) c_x, conj(y) c_y) with
// c_x = 1 / (u + 1)^((p - 1) / 3) and c_y = 1 / (u + 1)^((p - 1) / 2).
struct PsiConstants {
  Fp2 cx, cy;
};

Limbs<6> p_minus_1_div(std::uint64_t d) {
  Limbs<6> e = Fp::modulus();
  e[0] -= 1;
  Limbs<6> q{};
  unsigned __int128 rem = 0;
  for (std::size_t i = 6; i-- > 0;) {
    const unsigned __int128 cur = (rem << 64) | e[i];
    q[i] = static_cast<std::uint64_t>(cur / d);
    rem = cur % d;
  }
  return q;
}

const PsiConstants& psi_constants() {
  static const PsiConstants c = [] {
    const Fp2 nr{Fp::one(), Fp::one()};
    return PsiConstants{nr.pow(p_minus_1_div(3)).inverse(), nr.pow(p_minus_1_div(2)).inverse()};
  }();
  return c;
}

}  // namespace

G2Projective g2_psi(const G2Projective& p) {
  // Jacobian coordinates carry through: conj(X / Z^2) = conj(X) / conj(Z)^2, likewise for Y.
  const auto& c = psi_constants();
  return {p.x.conjugate() * c.cx, p.y.conjugate() * c.cy, p.z.conjugate()};
}

G2Affine G2Affine::generator() {
  static const G2Affine g = [] {
    static constexpr std::uint8_t kCompressed[96] = {
        0x93, 0xe0, 0x2b, 0x60, 0x52, 0x71, 0x9f, 0x60, 0x7d, 0xac, 0xd3, 0xa0, 0x88, 0x27, 0x4f, 0x65,
        0x59, 0x6b, 0xd0, 0xd0, 0x99, 0x20, 0xb6, 0x1a, 0xb5, 0xda, 0x61, 0xbb, 0xdc, 0x7f, 0x50, 0x49,
        0x33, 0x4c, 0xf1, 0x12, 0x13, 0x94, 0x5d, 0x57, 0xe5, 0xac, 0x7d, 0x05, 0x5d, 0x04, 0x2b, 0x7e,
        0x02, 0x4a, 0xa2, 0xb2, 0xf0, 0x8f, 0x0a, 0x91, 0x26, 0x08, 0x05, 0x27, 0x2d, 0xc5, 0x10, 0x51,
        0xc6, 0xe4, 0x7a, 0xd4, 0xfa, 0x40, 0x3b, 0x02, 0xb4, 0x51, 0x0b, 0x64, 0x7a, 0xe3, 0xd1, 0x77,
        0x0b, 0xac, 0x03, 0x26, 0xa8, 0x05, 0xbb, 0xef, 0xd4, 0x80, 0x56, 0xc8, 0xc1, 0x21, 0xbd, 0xb8};
    G2Affine p;
    g2_decompress(p, std::span<const std::uint8_t, 96>(kCompressed, 96));
    return p;
  }();
  return g;
}

bool G2Affine::is_on_curve() const { return infinity || y.square() == curve_rhs(x); }

bool G2Affine::is_in_subgroup() const {
  if (infinity) return true;
  // psi(P) == [x]P (Scott, "A note on group membership tests for G1, G2 and GT on BLS pairing-friendly
  // curves", 2021); x < 0.
  const G2Projective p = G2Projective::from_affine(*this);
  return g2_psi(p) == -jacobian::mul_by_abs_bls_x(p);
}

G2Affine G2Affine::operator-() const { return infinity ? *this : G2Affine{x, -y, false}; }

bool operator==(const G2Affine& a, const G2Affine& b) {
  if (a.infinity || b.infinity) return a.infinity == b.infinity;
  return a.x == b.x && a.y == b.y;
}

G2Projective G2Projective::from_affine(const G2Affine& a) {
  return a.infinity ? G2Projective{} : G2Projective{a.x, a.y, Fp2::one()};
}
G2Affine G2Projective::to_affine() const { return jacobian::to_affine<G2Affine>(*this); }
G2Projective G2Projective::dbl() const { return jacobian::dbl(*this); }
G2Projective G2Projective::operator-() const { return {x, -y, z}; }
G2Projective operator+(const G2Projective& a, const G2Projective& b) { return jacobian::add(a, b); }
G2Projective operator+(const G2Projective& a, const G2Affine& b) { return jacobian::add_mixed(a, b); }
G2Projective operator-(const G2Projective& a, const G2Projective& b) { return jacobian::add(a, -b); }
bool operator==(const G2Projective& a, const G2Projective& b) { return jacobian::equal(a, b); }

G2Projective g2_mul(const G2Projective& p, const Scalar& k) { return jacobian::mul_wnaf(p, k); }
G2Projective g2_mul(const G2Projective& p, const Fr& k) { return jacobian::mul_wnaf(p, k.to_canonical()); }

void g2_compress(std::span<std::uint8_t, 96> out, const G2Affine& p) {
  if (p.infinity) {
    std::fill(out.begin(), out.end(), 0);
    out[0] = 0xc0;
    return;
  }
  p.x.c1.to_bytes_be(out.first<48>());
  p.x.c0.to_bytes_be(out.last<48>());
  out[0] |= 0x80;
  if (p.y.lexicographically_largest()) out[0] |= 0x20;
}

namespace {

PointError decompress(G2Affine& out, std::span<const std::uint8_t, 96> in, bool check_subgroup) {
  const std::uint8_t flags = in[0];
  if ((flags & 0x80) == 0) return PointError::kNotCompressed;
  if (flags & 0x40) {
    if ((flags & 0x3f) != 0 || (flags & 0x20) != 0) return PointError::kBadInfinity;
    for (std::size_t i = 1; i < 96; ++i)
      if (in[i] != 0) return PointError::kBadInfinity;
    out = G2Affine::identity();
    return PointError::kOk;
  }
  std::array<std::uint8_t, 48> c1b{};
  std::copy(in.begin(), in.begin() + 48, c1b.begin());
  c1b[0] &= 0x1f;
  Fp2 x;
  if (!Fp::from_bytes_be(x.c1, c1b) || !Fp::from_bytes_be(x.c0, in.subspan<48, 48>())) return PointError::kNotCanonical;
  Fp2 y;
  if (!fp2_sqrt(y, curve_rhs(x))) return PointError::kNotOnCurve;
  if (y.lexicographically_largest() != ((flags & 0x20) != 0)) y = -y;
  const G2Affine p{x, y, false};
  if (check_subgroup && !p.is_in_subgroup()) return PointError::kNotInSubgroup;
  out = p;
  return PointError::kOk;
}

}  // namespace

PointError g2_decompress(G2Affine& out, std::span<const std::uint8_t, 96> in) { return decompress(out, in, true); }
PointError g2_decompress_unchecked(G2Affine& out, std::span<const std::uint8_t, 96> in) {
  return decompress(out, in, false);
}

}  // namespace kzg
