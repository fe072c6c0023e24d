// Point decompression: G1 (48 bytes) and G2 (96 bytes) in the ZCash/IETF compressed encoding, as every
// commitment, proof and setup point is read.
//
// Input: the first byte picks the group (even: G1, odd: G2); the next 48 or 96 bytes are the encoding (shorter
// inputs are zero-padded, so the flags and short prefixes are reached quickly).
//
// Properties, for both groups:
//   - decompression accepts exactly the points decompression without the subgroup check accepts and that are in
//     the subgroup, and the subgroup test agrees with the oracle [r]P == O (plain scalar multiplication);
//   - an accepted encoding is on the curve and re-encodes to the same bytes (the encoding is canonical);
//   - a failed decompression leaves its output untouched;
//   - the negated point is accepted too and encodes with only the sign bit flipped (or, for infinity, alike);
//   - G1 only: batch decompression (g1_decompress_batch: vector square roots and subgroup checks where the CPU
//     has AVX-512 IFMA) gives each point of a batch what g1_decompress gives it, for a batch of nine that
//     holds the input in five places (both vector groups) between multiples of the generator.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"
#include "engine/field/fr.hpp"
#include "fuzz/check.hpp"

namespace {

using kzg::PointError;

template <std::size_t N, class Affine, class Projective, class Decompress, class DecompressUnchecked, class Compress,
          class MulByR>
void check_group(std::span<const std::uint8_t, N> in, Decompress decompress, DecompressUnchecked unchecked,
                 Compress compress, MulByR mul_by_r) {
  // A sentinel: any point, to see that failures leave the output alone.
  const Affine sentinel = Affine::generator();
  Affine checked_point = sentinel;
  const PointError checked = decompress(checked_point, in);
  Affine raw_point = sentinel;
  const PointError raw = unchecked(raw_point, in);

  if (raw != PointError::kOk) {
    // Everything but the subgroup test is shared: the same error, and nothing written.
    FUZZ_CHECK(checked == raw);
    FUZZ_CHECK(checked_point == sentinel);
    FUZZ_CHECK(raw_point == sentinel);
    return;
  }
  FUZZ_CHECK(raw_point.is_on_curve());
  std::array<std::uint8_t, N> again{};
  compress(std::span<std::uint8_t, N>(again), raw_point);
  FUZZ_CHECK(std::equal(again.begin(), again.end(), in.begin()));

  const bool in_subgroup = mul_by_r(Projective::from_affine(raw_point)).is_identity();
  FUZZ_CHECK(raw_point.is_in_subgroup() == in_subgroup);
  if (in_subgroup) {
    FUZZ_CHECK(checked == PointError::kOk);
    FUZZ_CHECK(checked_point == raw_point);
  } else {
    FUZZ_CHECK(checked == PointError::kNotInSubgroup);
    FUZZ_CHECK(checked_point == sentinel);
  }

  // -P: the same x, the other y; its encoding differs in the sign bit alone (infinity is its own negative).
  std::array<std::uint8_t, N> negated{};
  compress(std::span<std::uint8_t, N>(negated), -raw_point);
  if (raw_point.infinity) {
    FUZZ_CHECK(negated == again);
  } else {
    FUZZ_CHECK(negated[0] == (again[0] ^ 0x20));
    FUZZ_CHECK(std::equal(negated.begin() + 1, negated.end(), again.begin() + 1));
  }
  Affine negated_point = sentinel;
  FUZZ_CHECK(unchecked(negated_point, std::span<const std::uint8_t, N>(negated)) == PointError::kOk);
  FUZZ_CHECK(negated_point == -raw_point);
}

// The input among multiples of the generator, as a batch, against one-by-one decompression.
void check_g1_batch(std::span<const std::uint8_t, 48> in) {
  static const std::vector<std::array<std::uint8_t, 48>> others = [] {
    std::vector<std::array<std::uint8_t, 48>> v(4);
    kzg::G1Projective p = kzg::G1Projective::from_affine(kzg::G1Affine::generator());
    for (auto& e : v) {
      kzg::g1_compress(std::span<std::uint8_t, 48>(e), p.to_affine());
      p = p.dbl() + kzg::G1Affine::generator();
    }
    return v;
  }();
  std::vector<std::span<const std::uint8_t, 48>> batch;
  for (std::size_t i = 0; i < 9; ++i)
    batch.push_back(i % 2 == 0 ? in : std::span<const std::uint8_t, 48>(others[i / 2]));
  std::vector<kzg::G1Affine> out(batch.size());
  std::vector<PointError> errors(batch.size());
  kzg::g1_decompress_batch(batch, out, errors);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    kzg::G1Affine expected;
    FUZZ_CHECK(errors[i] == kzg::g1_decompress(expected, batch[i]));
    if (errors[i] == PointError::kOk) FUZZ_CHECK(out[i] == expected);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool g2 = (data[0] & 1) != 0;
  std::array<std::uint8_t, 96> bytes{};
  std::copy_n(data + 1, std::min<std::size_t>(size - 1, g2 ? 96 : 48), bytes.begin());
  const kzg::Scalar r = kzg::Fr::modulus();
  if (!g2) {
    check_group<48, kzg::G1Affine, kzg::G1Projective>(
        std::span<const std::uint8_t, 48>(bytes.data(), 48), kzg::g1_decompress, kzg::g1_decompress_unchecked,
        kzg::g1_compress, [&](const kzg::G1Projective& p) { return kzg::g1_mul_any(p, r); });
    check_g1_batch(std::span<const std::uint8_t, 48>(bytes.data(), 48));
  } else {
    check_group<96, kzg::G2Affine, kzg::G2Projective>(std::span<const std::uint8_t, 96>(bytes), kzg::g2_decompress,
                                                      kzg::g2_decompress_unchecked, kzg::g2_compress,
                                                      [&](const kzg::G2Projective& p) { return kzg::g2_mul(p, r); });
  }
  return 0;
}
