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

#include "curve/g1.hpp"

namespace kzg {

class G1FixedBaseMsm {
 public:
  G1FixedBaseMsm() = default;
  // Precomputes the table for `points` (window 13 suits 4096 points: 20 windows, 4096 buckets). The window
  // is clamped to 2 .. 15 (signed digits are stored in 16 bits).
  explicit G1FixedBaseMsm(std::span<const G1Affine> points, unsigned window = 13);

  std::size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  std::size_t memory_bytes() const { return table_.size() * sizeof(G1Affine); }
  // sum_i [scalars[i]] points[i]; scalars.size() must equal size().
  G1Projective msm(std::span<const Fr> scalars) const;

 private:
  unsigned c_ = 0;
  std::size_t n_ = 0;
  std::size_t windows_ = 0;
  std::vector<G1Affine> table_;  // [w * n + i] = [2^(c w)] points[i]
};

}  // namespace kzg
