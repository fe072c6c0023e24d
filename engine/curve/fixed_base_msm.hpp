// Fixed-base multi-scalar multiplication for point sets that never change (the trusted setup).
//
// For window width c, the table holds [2^(c w)] P_i for every point and window, so the MSM is a single
// pass of bucket accumulation over all (point, window) digits: no doublings between windows and one
// bucket sum instead of one per window. Bucket additions are affine and batched so that one field
// inversion (Montgomery's trick) serves a whole batch, which costs about half a Jacobian mixed addition.
#pragma once

#include <span>
#include <vector>

#include "curve/g1.hpp"

namespace kzg {

class G1FixedBaseMsm {
 public:
  G1FixedBaseMsm() = default;
  // Precomputes the table for `points` (window 13 suits 4096 points: 20 windows, 4096 buckets).
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

// Adds affine points into affine buckets in batches sharing one inversion. Exposed for tests.
class AffineBucketAccumulator {
 public:
  explicit AffineBucketAccumulator(std::size_t num_buckets);
  // bucket[b] += p (queued; applied by flush() or when a batch fills).
  void add(std::size_t b, const G1Affine& p);
  void flush();
  // sum_b (b + 1) * bucket[b].
  G1Projective weighted_sum();

 private:
  struct Pending {
    std::uint32_t bucket;
    G1Affine point;
  };
  void run_batch();

  std::vector<G1Affine> buckets_;
  std::vector<std::uint8_t> busy_;
  std::vector<Pending> batch_, deferred_;
  std::vector<Fp> denom_;
};

}  // namespace kzg
