// Points and oracles shared by the curve tests.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "tests/support/random_blobs.hpp"

namespace kzg::test {

inline G1Projective g1_generator() { return G1Projective::from_affine(G1Affine::generator()); }
inline G2Projective g2_generator() { return G2Projective::from_affine(G2Affine::generator()); }

// [k]p by plain double-and-add over the bits of k: the oracle for the window and endomorphism methods.
template <class P, std::size_t N>
P double_and_add(const P& p, const Limbs<N>& k) {
  P r{};
  for (std::size_t i = 64 * N; i-- > 0;) {
    r = r.dbl();
    if (limbs::bit(k, i)) r = r + p;
  }
  return r;
}

// The first point of E(Fp) with x = start, start + 1, ... (where x^3 + 4 is a square). The curve's
// cofactor is large, so such points are almost never in G1; x = 0 gives (0, 2), a point of order 3.
inline G1Affine g1_curve_point(std::uint64_t start) {
  for (std::uint64_t x = start;; ++x) {
    Fp y;
    const Fp fx = Fp::from_u64(x);
    if (fp_sqrt(y, fx.square() * fx + Fp::from_u64(4))) return G1Affine{fx, y, false};
  }
}

// The first point of the twist E'(Fp2) with x = start + u, start + 1 + u, ...
inline G2Affine g2_curve_point(std::uint64_t start) {
  const Fp2 b{Fp::from_u64(4), Fp::from_u64(4)};
  for (std::uint64_t x = start;; ++x) {
    Fp2 y;
    const Fp2 fx{Fp::from_u64(x), Fp::one()};
    if (fp2_sqrt(y, fx.square() * fx + b)) return G2Affine{fx, y, false};
  }
}

// n points of G1 with known discrete logs: [a + i b]G, built with additions only (cheap for large n).
struct G1PointsWithLogs {
  std::vector<G1Affine> points;
  std::vector<Fr> logs;
};

inline G1PointsWithLogs g1_points_with_logs(std::size_t n, std::mt19937_64& rng) {
  const Fr a = random_fr(rng), b = random_fr(rng);
  const G1Projective step = g1_mul(g1_generator(), b);
  std::vector<G1Projective> proj(n);
  G1PointsWithLogs out{std::vector<G1Affine>(n), std::vector<Fr>(n)};
  G1Projective p = g1_mul(g1_generator(), a);
  Fr log = a;
  for (std::size_t i = 0; i < n; ++i) {
    proj[i] = p;
    out.logs[i] = log;
    p += step;
    log += b;
  }
  g1_batch_to_affine(out.points, proj);
  return out;
}

}  // namespace kzg::test
