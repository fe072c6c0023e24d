// Base-field arithmetic: every curve, pairing and MSM cost is a multiple of these. Each loop feeds
// its result back in, so the numbers are latencies (what a dependent chain of operations pays).
#include <benchmark/benchmark.h>

#include <random>

#include "engine/field/fp.hpp"
#include "engine/field/fp2.hpp"
#include "engine/field/fr.hpp"

namespace kzg {
namespace {

template <class F>
F random_element(std::mt19937_64& rng) {
  typename F::L limbs{};
  for (auto& w : limbs) w = rng();
  limbs[F::kLimbs - 1] &= 0x0fffffffffffffffULL;  // below the modulus for both Fp and Fr
  return F::from_canonical(limbs);
}

template <class F>
void BM_Mul(benchmark::State& state) {
  std::mt19937_64 rng(1);
  F x = random_element<F>(rng);
  const F y = random_element<F>(rng);
  for (auto _ : state) {
    x = x * y;
    benchmark::DoNotOptimize(x);
  }
}

template <class F>
void BM_Square(benchmark::State& state) {
  std::mt19937_64 rng(2);
  F x = random_element<F>(rng);
  for (auto _ : state) {
    x = x.square();
    benchmark::DoNotOptimize(x);
  }
}

template <class F>
void BM_Inverse(benchmark::State& state) {
  std::mt19937_64 rng(3);
  F x = random_element<F>(rng);
  const F one = F::one();
  for (auto _ : state) {
    x = x.inverse() + one;  // + 1 so the chain never settles on a fixed point
    benchmark::DoNotOptimize(x);
  }
}

void BM_Fp2Mul(benchmark::State& state) {
  std::mt19937_64 rng(4);
  Fp2 x{random_element<Fp>(rng), random_element<Fp>(rng)};
  const Fp2 y{random_element<Fp>(rng), random_element<Fp>(rng)};
  for (auto _ : state) {
    x = x * y;
    benchmark::DoNotOptimize(x);
  }
}

BENCHMARK(BM_Mul<Fp>)->Name("fp_mul");
BENCHMARK(BM_Square<Fp>)->Name("fp_square");
BENCHMARK(BM_Inverse<Fp>)->Name("fp_inverse");
BENCHMARK(BM_Mul<Fr>)->Name("fr_mul");
BENCHMARK(BM_Inverse<Fr>)->Name("fr_inverse");
BENCHMARK(BM_Fp2Mul)->Name("fp2_mul");

}  // namespace
}  // namespace kzg
