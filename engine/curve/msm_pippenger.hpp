// The Pippenger MSM behind g1_msm, on a chosen batch-affine backend (curve/batch_affine.hpp). g1_msm picks
// the fastest backend the CPU has; tests run each one.
#pragma once

#include <span>

#include "engine/curve/g1.hpp"

namespace kzg::msm_detail {

// sum_i [scalars[i]] points[i] for points in G1 and equal-length inputs (any length >= 1).
template <class Backend>
G1Projective pippenger(std::span<const G1Affine> points, std::span<const Fr> scalars);

}  // namespace kzg::msm_detail
