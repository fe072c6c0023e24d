// The pairing and its parts: Miller loops (plain and with prepared G2 points), final
// exponentiations, the 2-pair product check every KZG verification does, and the tower products the
// loop is made of. Single-threaded; fixed random points.
#include <benchmark/benchmark.h>

#include <array>
#include <random>

#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "engine/pairing/pairing.hpp"

namespace kzg {
namespace {

struct PairingInputs {
  std::array<G1Affine, 2> p;  // a check that holds: e(aP, -G2) e(P, [a]G2) == 1
  std::array<G2Affine, 2> q;
  std::array<G2Prepared, 2> prepared;
  std::array<const G2Prepared*, 2> prepared_ptrs;
  Fp12 f;  // a Miller-loop output
  Fp12 g;  // a cyclotomic element (an easy-part output)

  static const PairingInputs& get() {
    static const PairingInputs in = [] {
      PairingInputs r;
      std::mt19937_64 rng(381);
      const Fr a = Fr::from_canonical(Limbs<4>{rng(), rng(), rng(), rng() >> 2});
      const Fr b = Fr::from_canonical(Limbs<4>{rng(), rng(), rng(), rng() >> 2});
      const G1Affine base = g1_mul(G1Projective::from_affine(G1Affine::generator()), b).to_affine();
      r.p = {g1_mul(G1Projective::from_affine(base), a).to_affine(), base};
      r.q = {-G2Affine::generator(), g2_mul(G2Projective::from_affine(G2Affine::generator()), a).to_affine()};
      r.prepared = {prepare_g2(r.q[0]), prepare_g2(r.q[1])};
      r.prepared_ptrs = {&r.prepared[0], &r.prepared[1]};
      r.f = multi_miller_loop(std::span(r.p).first(1), std::span(r.q).first(1));
      r.g = r.f.conjugate() * r.f.inverse();
      r.g = r.g.frobenius_map(2) * r.g;
      if (!pairing_product_is_one(r.p, r.q) || !pairing_product_is_one(r.p, r.prepared_ptrs)) std::abort();
      return r;
    }();
    return in;
  }
};

void BM_PairingPlain(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(pairing(in.p[1], in.q[1]));
}
BENCHMARK(BM_PairingPlain)->Unit(benchmark::kMicrosecond);

void BM_PairingPrepared(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(pairing(in.p[1], in.prepared[1]));
}
BENCHMARK(BM_PairingPrepared)->Unit(benchmark::kMicrosecond);

void BM_PairingCheck2Plain(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(pairing_product_is_one(in.p, in.q));
}
BENCHMARK(BM_PairingCheck2Plain)->Unit(benchmark::kMicrosecond);

void BM_PairingCheck2Prepared(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(pairing_product_is_one(in.p, in.prepared_ptrs));
}
BENCHMARK(BM_PairingCheck2Prepared)->Unit(benchmark::kMicrosecond);

void BM_MillerLoop2Plain(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(multi_miller_loop(in.p, in.q));
}
BENCHMARK(BM_MillerLoop2Plain)->Unit(benchmark::kMicrosecond);

void BM_MillerLoop2Prepared(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(multi_miller_loop(in.p, in.prepared_ptrs));
}
BENCHMARK(BM_MillerLoop2Prepared)->Unit(benchmark::kMicrosecond);

void BM_FinalExponentiation(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(final_exponentiation(in.f));
}
BENCHMARK(BM_FinalExponentiation)->Unit(benchmark::kMicrosecond);

void BM_FinalExponentiationCubed(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(final_exponentiation_cubed(in.f));
}
BENCHMARK(BM_FinalExponentiationCubed)->Unit(benchmark::kMicrosecond);

void BM_PrepareG2(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  for (auto _ : st) benchmark::DoNotOptimize(prepare_g2(in.q[1]));
}
BENCHMARK(BM_PrepareG2)->Unit(benchmark::kMicrosecond);

// Tower products (latency chains: each result feeds the next).
void BM_Fp12Mul(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  Fp12 x = in.f;
  for (auto _ : st) {
    x = x * in.g;
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp12Mul);

void BM_Fp12Square(benchmark::State& st) {
  Fp12 x = PairingInputs::get().f;
  for (auto _ : st) {
    x = x.square();
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp12Square);

void BM_Fp12CyclotomicSquare(benchmark::State& st) {
  Fp12 x = PairingInputs::get().g;
  for (auto _ : st) {
    x = x.cyclotomic_square();
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp12CyclotomicSquare);

void BM_Fp12MulBy014(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  Fp12 x = in.f;
  const Fp2 b0 = in.g.c0.c0, b1 = in.g.c0.c1, b4 = in.g.c1.c1;
  for (auto _ : st) {
    x = x.mul_by_014(b0, b1, b4);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp12MulBy014);

void BM_Fp12MulBy014Unit(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  Fp12 x = in.f;
  const Fp2 b1 = in.g.c0.c1, b4 = in.g.c1.c1;
  for (auto _ : st) {
    x = x.mul_by_014_unit(b1, b4);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp12MulBy014Unit);

void BM_Fp6Mul(benchmark::State& st) {
  const auto& in = PairingInputs::get();
  Fp6 x = in.f.c0;
  for (auto _ : st) {
    x = x * in.g.c1;
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp6Mul);

void BM_Fp2Square(benchmark::State& st) {
  Fp2 x = PairingInputs::get().f.c0.c0;
  for (auto _ : st) {
    x = x.square();
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Fp2Square);

}  // namespace
}  // namespace kzg
