// Prime fields in Montgomery form, generic over the limb count.
//
// Every constant the arithmetic needs (R mod m, R^2 mod m, -m^-1 mod 2^64, exponents for
// inversion and square roots) is derived at compile time from the modulus alone, so a field
// is defined by writing its modulus once. Nothing handled here is secret: the code branches
// on data freely.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include "engine/field/mont_mul_adx.hpp"

namespace kzg {

template <std::size_t N>
using Limbs = std::array<std::uint64_t, N>;

using u128 = unsigned __int128;

namespace limbs {

template <std::size_t N>
constexpr bool geq(const Limbs<N>& a, const Limbs<N>& b) {
  for (std::size_t i = N; i-- > 0;) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return true;
}

template <std::size_t N>
constexpr bool is_zero(const Limbs<N>& a) {
  std::uint64_t acc = 0;
  for (auto w : a) acc |= w;
  return acc == 0;
}

// r = a + b, returns carry out.
template <std::size_t N>
constexpr std::uint64_t add(Limbs<N>& r, const Limbs<N>& a, const Limbs<N>& b) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < N; ++i) {
    u128 t = static_cast<u128>(a[i]) + b[i] + carry;
    r[i] = static_cast<std::uint64_t>(t);
    carry = static_cast<std::uint64_t>(t >> 64);
  }
  return carry;
}

// r = a - b, returns borrow out.
template <std::size_t N>
constexpr std::uint64_t sub(Limbs<N>& r, const Limbs<N>& a, const Limbs<N>& b) {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < N; ++i) {
    u128 t = static_cast<u128>(a[i]) - b[i] - borrow;
    r[i] = static_cast<std::uint64_t>(t);
    borrow = static_cast<std::uint64_t>(t >> 64) & 1;
  }
  return borrow;
}

template <std::size_t N>
constexpr void shr1(Limbs<N>& a) {
  for (std::size_t i = 0; i + 1 < N; ++i) a[i] = (a[i] >> 1) | (a[i + 1] << 63);
  a[N - 1] >>= 1;
}

template <std::size_t N>
constexpr bool bit(const Limbs<N>& a, std::size_t i) {
  return (a[i / 64] >> (i % 64)) & 1;
}

template <std::size_t N>
constexpr std::size_t bit_length(const Limbs<N>& a) {
  for (std::size_t i = N; i-- > 0;) {
    if (a[i] != 0) return 64 * i + 64 - static_cast<std::size_t>(__builtin_clzll(a[i]));
  }
  return 0;
}

// An exponent e != 0 as sliding windows of at most `window` bits, from the top: step(squarings, index) for each
// window whose value is 2 index + 1, squarings being how many squarings come before multiplying by that odd
// power (0 for the first window, which starts the product); then, for trailing zeros, step(zeros, kNoWindow).
inline constexpr std::size_t kNoWindow = ~std::size_t{0};
template <std::size_t N, class Step>
constexpr void for_each_window(const Limbs<N>& e, std::size_t window, Step step) {
  std::size_t i = bit_length(e), zeros = 0;
  bool first = true;
  while (i > 0) {
    if (!bit(e, i - 1)) {
      ++zeros;
      --i;
      continue;
    }
    // The longest window of at most `window` bits starting at bit i-1 and ending on a set bit.
    std::size_t len = window < i ? window : i;
    while (!bit(e, i - len)) --len;
    std::size_t value = 0;
    for (std::size_t b = 0; b < len; ++b) value = (value << 1) | (bit(e, i - 1 - b) ? 1u : 0u);
    step(first ? 0 : zeros + len, value >> 1);
    first = false;
    zeros = 0;
    i -= len;
  }
  if (zeros > 0) step(zeros, kNoWindow);
}

// (a + a) mod m for a < m.
template <std::size_t N>
constexpr Limbs<N> double_mod(const Limbs<N>& a, const Limbs<N>& m) {
  Limbs<N> r{};
  std::uint64_t carry = add(r, a, a);
  if (carry || geq(r, m)) sub(r, r, m);
  return r;
}

// Big-endian bytes <-> little-endian limbs. `bytes.size()` must be 8 * N.
template <std::size_t N>
constexpr Limbs<N> from_be_bytes(std::span<const std::uint8_t, 8 * N> bytes) {
  Limbs<N> r{};
  for (std::size_t i = 0; i < N; ++i) {
    std::uint64_t w = 0;
    for (std::size_t j = 0; j < 8; ++j) w = (w << 8) | bytes[8 * (N - 1 - i) + j];
    r[i] = w;
  }
  return r;
}

template <std::size_t N>
constexpr void to_be_bytes(std::span<std::uint8_t, 8 * N> out, const Limbs<N>& a) {
  for (std::size_t i = 0; i < N; ++i) {
    std::uint64_t w = a[i];
    for (std::size_t j = 0; j < 8; ++j) {
      out[8 * (N - 1 - i) + 7 - j] = static_cast<std::uint8_t>(w);
      w >>= 8;
    }
  }
}

}  // namespace limbs

// Compile-time constants of Montgomery arithmetic modulo `m` with R = 2^(64N).
template <std::size_t N>
struct MontgomeryConstants {
  Limbs<N> modulus{};
  Limbs<N> r1{};        // R mod m: the Montgomery form of 1
  Limbs<N> r2{};        // R^2 mod m: converts into Montgomery form
  std::uint64_t inv{};  // -m^-1 mod 2^64

  constexpr explicit MontgomeryConstants(const Limbs<N>& m) : modulus(m) {
    Limbs<N> x{};
    x[0] = 1;
    for (std::size_t i = 0; i < 64 * N; ++i) x = limbs::double_mod(x, m);
    r1 = x;
    for (std::size_t i = 0; i < 64 * N; ++i) x = limbs::double_mod(x, m);
    r2 = x;
    std::uint64_t y = 1;  // Newton iteration for m[0]^-1 mod 2^64
    for (int i = 0; i < 7; ++i) y *= 2 - m[0] * y;
    inv = ~y + 1;
  }
};

// An element of Z/mZ in Montgomery form. `Params` provides `static constexpr Limbs<N> kModulus`.
// The modulus must leave its top bit clear with room to spare (m[N-1] < 2^63 - 1), which lets
// multiplication skip the final carry word (the "no-carry" CIOS variant).
template <class Params>
class MontgomeryField {
 public:
  static constexpr std::size_t kLimbs = std::tuple_size_v<decltype(Params::kModulus)>;
  static constexpr std::size_t kBytes = 8 * kLimbs;
  static constexpr MontgomeryConstants<kLimbs> kC{Params::kModulus};
  static_assert(Params::kModulus[kLimbs - 1] < 0x7fffffffffffffffULL, "no-carry CIOS needs spare bits");

  using L = Limbs<kLimbs>;
  L v{};  // Montgomery representation, always fully reduced (< m)

  static constexpr MontgomeryField zero() { return MontgomeryField{}; }
  static constexpr MontgomeryField one() { return from_raw(kC.r1); }
  static constexpr MontgomeryField from_raw(const L& mont) {
    MontgomeryField r;
    r.v = mont;
    return r;
  }
  static constexpr const L& modulus() { return kC.modulus; }

  // From a canonical integer (< m). The caller guarantees the bound.
  static constexpr MontgomeryField from_canonical(const L& a) {
    MontgomeryField r;
    mont_mul(r.v, a, kC.r2);
    return r;
  }
  static constexpr MontgomeryField from_u64(std::uint64_t x) {
    L a{};
    a[0] = x;
    if (limbs::geq(a, kC.modulus)) limbs::sub(a, a, kC.modulus);
    return from_canonical(a);
  }
  // Big-endian bytes; false when the integer is not canonical (>= m).
  static constexpr bool from_bytes_be(MontgomeryField& out, std::span<const std::uint8_t, kBytes> bytes) {
    L a = limbs::from_be_bytes<kLimbs>(bytes);
    if (limbs::geq(a, kC.modulus)) return false;
    out = from_canonical(a);
    return true;
  }
  // Big-endian bytes of any value, reduced modulo m (hash-to-field).
  static constexpr MontgomeryField from_bytes_be_reduce(std::span<const std::uint8_t, kBytes> bytes) {
    L a = limbs::from_be_bytes<kLimbs>(bytes);
    while (limbs::geq(a, kC.modulus)) limbs::sub(a, a, kC.modulus);
    return from_canonical(a);
  }

  constexpr L to_canonical() const {
    L one{};
    one[0] = 1;
    L r{};
    mont_mul(r, v, one);
    return r;
  }
  constexpr void to_bytes_be(std::span<std::uint8_t, kBytes> out) const {
    limbs::to_be_bytes<kLimbs>(out, to_canonical());
  }

  constexpr bool is_zero() const { return limbs::is_zero(v); }
  constexpr bool is_one() const { return v == kC.r1; }
  friend constexpr bool operator==(const MontgomeryField& a, const MontgomeryField& b) { return a.v == b.v; }
  friend constexpr bool operator!=(const MontgomeryField& a, const MontgomeryField& b) { return a.v != b.v; }

  // For 4 limbs (Fr) sums and differences pick their reduced value with a mask, not a branch: in FFT
  // butterflies whether the modulus is subtracted is a coin flip, which a branch predictor loses half the time
  // (compute_cells 2.03 -> 1.82 ms). For Fp the branches measured faster (pairings 6% slower with masks).
  friend constexpr MontgomeryField operator+(const MontgomeryField& a, const MontgomeryField& b) {
    MontgomeryField r;
    limbs::add(r.v, a.v, b.v);  // no carry out: m has spare top bits
    if constexpr (kLimbs == 4) {
      L t;
      const std::uint64_t keep = 0 - limbs::sub(t, r.v, kC.modulus);  // all ones when r < m
      for (std::size_t i = 0; i < kLimbs; ++i) r.v[i] = (r.v[i] & keep) | (t[i] & ~keep);
    } else {
      if (limbs::geq(r.v, kC.modulus)) limbs::sub(r.v, r.v, kC.modulus);
    }
    return r;
  }
  friend constexpr MontgomeryField operator-(const MontgomeryField& a, const MontgomeryField& b) {
    MontgomeryField r;
    if constexpr (kLimbs == 4) {
      const std::uint64_t wrap = 0 - limbs::sub(r.v, a.v, b.v);  // all ones when a < b
      L m;
      for (std::size_t i = 0; i < kLimbs; ++i) m[i] = kC.modulus[i] & wrap;
      limbs::add(r.v, r.v, m);
    } else {
      if (limbs::sub(r.v, a.v, b.v)) limbs::add(r.v, r.v, kC.modulus);
    }
    return r;
  }
  constexpr MontgomeryField operator-() const {
    if (is_zero()) return *this;
    MontgomeryField r;
    limbs::sub(r.v, kC.modulus, v);
    return r;
  }
  friend constexpr MontgomeryField operator*(const MontgomeryField& a, const MontgomeryField& b) {
    MontgomeryField r;
    mont_mul(r.v, a.v, b.v);
    return r;
  }
  constexpr MontgomeryField& operator+=(const MontgomeryField& b) { return *this = *this + b; }
  constexpr MontgomeryField& operator-=(const MontgomeryField& b) { return *this = *this - b; }
  constexpr MontgomeryField& operator*=(const MontgomeryField& b) { return *this = *this * b; }

  constexpr MontgomeryField square() const { return *this * *this; }
  constexpr MontgomeryField dbl() const { return *this + *this; }
  constexpr MontgomeryField half() const {
    MontgomeryField r = *this;
    std::uint64_t carry = 0;
    if (r.v[0] & 1) carry = limbs::add(r.v, r.v, kC.modulus);
    limbs::shr1(r.v);
    r.v[kLimbs - 1] |= carry << 63;
    return r;
  }

  // this^e for a little-endian exponent (variable time). Exponents past 64 bits (the square root's (p+1)/4,
  // Fermat inverses) go by a sliding window of 5 bits: one multiplication per window from a table of the 16
  // odd powers, about bits/6 multiplications instead of one per set bit.
  template <std::size_t M>
  constexpr MontgomeryField pow(const Limbs<M>& e) const {
    std::size_t i = limbs::bit_length(e);
    MontgomeryField r = one();
    if (i <= 64) {
      while (i-- > 0) {
        r = r.square();
        if (limbs::bit(e, i)) r *= *this;
      }
      return r;
    }
    constexpr std::size_t kWindow = 5;
    MontgomeryField odd[1 << (kWindow - 1)];  // odd[j] = this^(2j+1)
    odd[0] = *this;
    const MontgomeryField sq = square();
    for (std::size_t j = 1; j < std::size(odd); ++j) odd[j] = odd[j - 1] * sq;
    bool started = false;
    limbs::for_each_window(e, kWindow, [&](std::size_t squarings, std::size_t index) {
      for (std::size_t k = 0; k < squarings; ++k) r = r.square();
      if (index == limbs::kNoWindow) return;
      r = started ? r * odd[index] : odd[index];
      started = true;
    });
    return r;
  }
  constexpr MontgomeryField pow(std::uint64_t e) const {
    Limbs<1> x{e};
    return pow(x);
  }

  // Multiplicative inverse; the inverse of zero is zero (as the specs' bls_modular_inverse
  // callers never pass zero, and batch code relies on zero staying zero).
  MontgomeryField inverse() const;

  // True when the canonical value is greater than (m - 1) / 2.
  constexpr bool lexicographically_largest() const {
    L c = to_canonical();
    L half_m = kC.modulus;  // (m - 1) / 2 == m >> 1 for odd m
    limbs::shr1(half_m);
    return !limbs::geq(half_m, c);
  }

  // Montgomery product r = a * b * R^-1 mod m: the mulx/adx path for 6 and 4 limbs where the CPU has it,
  // else the portable one. Both are fully reduced.
  static constexpr void mont_mul(L& r, const L& a, const L& b) {
#ifdef KZG_HAVE_ADX_MONT
    if constexpr (kLimbs == 6 || kLimbs == 4) {
      if (!std::is_constant_evaluated() && detail::cpu_has_adx()) {
        if constexpr (kLimbs == 6)
          detail::mont_mul_6_adx(r.data(), a.data(), b.data(), kC.modulus.data(), kC.inv);
        else
          detail::mont_mul_4_adx(r.data(), a.data(), b.data(), kC.modulus.data(), kC.inv);
        // A branch, not a select: in dependent chains the speculated branch costs less than the select's
        // latency, even for Fr where the subtraction is needed about half the time (measured).
        if (limbs::geq(r, kC.modulus)) limbs::sub(r, r, kC.modulus);
        return;
      }
    }
#endif
    mont_mul_generic(r, a, b);
  }

  // The portable product (CIOS with unsigned __int128, no final carry word); also the reference in tests.
  static constexpr void mont_mul_generic(L& r, const L& a, const L& b) {
    constexpr std::size_t n = kLimbs;
    const L& q = kC.modulus;
    std::uint64_t t[n] = {};
    for (std::size_t i = 0; i < n; ++i) {
      u128 p = static_cast<u128>(a[0]) * b[i] + t[0];
      std::uint64_t A = static_cast<std::uint64_t>(p >> 64);
      std::uint64_t t0 = static_cast<std::uint64_t>(p);
      std::uint64_t m = t0 * kC.inv;
      u128 c = static_cast<u128>(m) * q[0] + t0;
      std::uint64_t C = static_cast<std::uint64_t>(c >> 64);
      for (std::size_t j = 1; j < n; ++j) {
        p = static_cast<u128>(a[j]) * b[i] + t[j] + A;
        A = static_cast<std::uint64_t>(p >> 64);
        c = static_cast<u128>(m) * q[j] + static_cast<std::uint64_t>(p) + C;
        C = static_cast<std::uint64_t>(c >> 64);
        t[j - 1] = static_cast<std::uint64_t>(c);
      }
      t[n - 1] = C + A;
    }
    for (std::size_t i = 0; i < n; ++i) r[i] = t[i];
    if (limbs::geq(r, q)) limbs::sub(r, r, q);
  }
};

namespace limbs {
// out = a^-1 mod m for 0 < a < m, n limbs each (least significant first), by GMP's extended GCD (variable time,
// about 8x faster than the binary Euclid this replaced). False, with out unspecified, when a has no inverse.
bool invert_mod(std::uint64_t* out, const std::uint64_t* a, const std::uint64_t* m, std::size_t n);
}  // namespace limbs

// The inverse of the Montgomery representation itself, (aR)^-1, then two Montgomery products by R^2 carry it
// to a^-1 R: (aR)^-1 * R^2 * R^2 / R^2 = a^-1 R. Variable time: nothing here is secret.
template <class Params>
MontgomeryField<Params> MontgomeryField<Params>::inverse() const {
  if (is_zero()) return zero();
  L r{};
  if (!limbs::invert_mod(r.data(), v.data(), kC.modulus.data(), kLimbs)) return zero();  // m is prime: unreachable
  const MontgomeryField r2 = from_raw(kC.r2);
  return from_raw(r) * r2 * r2;
}

// Montgomery's trick: n inverses for one inversion and 3(n-1) multiplications. Zeros invert to
// zero. `out` may alias `in`.
template <class F>
void batch_inverse(F* out, const F* in, std::size_t n) {
  if (n == 0) return;
  std::vector<F> prefix(n);
  F acc = F::one();
  for (std::size_t i = 0; i < n; ++i) {
    prefix[i] = acc;
    if (!in[i].is_zero()) acc *= in[i];
  }
  F inv = acc.inverse();
  for (std::size_t i = n; i-- > 0;) {
    if (in[i].is_zero()) {
      out[i] = F::zero();
      continue;
    }
    F x = in[i];
    out[i] = prefix[i] * inv;
    inv *= x;
  }
}

}  // namespace kzg
