// Fixed-base multi-scalar multiplication for point sets that never change (the trusted setup).
//
// For window width c, the table holds [2^(c w)] P_i for every point and window, so the MSM is a single
// pass of bucket accumulation over all (point, window) digits: no doublings between windows and one
// weighted bucket sum instead of one per window. Bucket contents are summed in batch-affine form
// (curve/batch_affine.hpp), where one field inversion serves a whole batch of additions.
#pragma once

#include <cstddef>
#include <memory>
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

  // Adopts a table that an equal constructor made earlier (its portable_table(), here perhaps read back from a
  // file), without recomputing or checking it. `owner` keeps the table's memory alive for as long as this object
  // (and its copies) use it; with the IFMA backend the table is converted and `owner` released at once. A table
  // whose size is not table_entries(n, window) gives an empty object.
  static G1FixedBaseMsm adopt(std::span<const G1Affine> table, std::size_t n, unsigned window,
                              std::shared_ptr<const void> owner, MsmBackend backend = MsmBackend::kFastest);
  // How many table entries a constructor with these arguments makes (points x windows).
  static std::size_t table_entries(std::size_t n, unsigned window);
  // True when kFastest is the portable backend on this CPU (no IFMA): portable tables are then used as they are.
  static bool fastest_is_portable();

  std::size_t size() const { return n_; }
  unsigned window() const { return c_; }
  // The table in portable form, [w * size() + i] = [2^(c w)] points[i]; empty when the IFMA backend converted it.
  std::span<const G1Affine> portable_table() const { return table_; }
  bool empty() const { return n_ == 0; }
  std::size_t memory_bytes() const;
  // sum_i [scalars[i]] points[i]; scalars.size() must equal size().
  G1Projective msm(std::span<const Fr> scalars) const;

 private:
  // Converts the portable table for the IFMA backend when that is chosen and present.
  void use_backend(MsmBackend backend);

  unsigned c_ = 0;
  std::size_t n_ = 0;
  std::size_t windows_ = 0;
  // [w * n + i] = [2^(c w)] points[i], in the format of the backend chosen at construction (one of the two).
  // The portable table lives in memory that owner_ keeps alive (a vector of ours, or a mapped file), so copies
  // of this object share it.
  std::span<const G1Affine> table_;
  std::shared_ptr<const void> owner_;
#ifdef KZG_HAVE_IFMA
  std::vector<batch_affine::IfmaBackend::Point> table_ifma_;
#endif
};

}  // namespace kzg
