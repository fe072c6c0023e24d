// Fixed-base multi-scalar multiplication for point sets that never change (the trusted setup).
//
// For window width c, the table holds [2^(c w)] P_i for every point and window, so the MSM is a single
// pass of bucket accumulation over all (point, window) digits: no doublings between windows and one
// weighted bucket sum instead of one per window. Bucket contents are summed in batch-affine form
// (curve/batch_affine.hpp), where one field inversion serves a whole batch of additions.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "engine/curve/batch_affine_ifma.hpp"
#include "engine/curve/g1.hpp"

namespace kzg {

// Which batch-affine arithmetic an MSM uses: the fastest the CPU has (AVX-512 IFMA where present), or the
// portable one (tests use it to cover that path on any machine).
enum class MsmBackend { kFastest, kPortable };

class G1FixedBaseMsm {
 public:
  G1FixedBaseMsm() = default;
  // Precomputes the table for `points` (window 13 suits 4096 points: 20 windows, 4096 buckets). The window
  // is clamped to 2 .. 15 (signed digits are stored in 16 bits).
  explicit G1FixedBaseMsm(std::span<const G1Affine> points, unsigned window = 13,
                          MsmBackend backend = MsmBackend::kFastest);

  std::size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  std::size_t memory_bytes() const;
  // sum_i [scalars[i]] points[i]; scalars.size() must equal size().
  G1Projective msm(std::span<const Fr> scalars) const;

 private:
  unsigned c_ = 0;
  std::size_t n_ = 0;
  std::size_t windows_ = 0;
  // [w * n + i] = [2^(c w)] points[i], in the format of the backend chosen at construction (one of the two).
  std::vector<G1Affine> table_;
#ifdef KZG_HAVE_IFMA
  std::vector<batch_affine::IfmaBackend::Point> table_ifma_;
#endif
};

}  // namespace kzg
