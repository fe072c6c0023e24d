// The AVX-512 IFMA kernels behind g1_batch_in_subgroup and g1_decompress_batch (curve/g1.hpp): eight points
// per vector, lane i of every vector belonging to point i (curve/ifma_fp.hpp). Each returns false, doing
// nothing, where the CPU lacks AVX-512 IFMA; callers then take the scalar path.
#pragma once

#include <cstdint>
#include <span>

#include "engine/curve/g1.hpp"

namespace kzg::g1_batch_ifma {

// What the vector subgroup test concluded for one point.
enum class Membership : std::uint8_t {
  kOut,
  kIn,
  kUndecided,  // the addition chain met an exceptional case (small-order points): ask the scalar test
};

// The test of G1Affine::is_in_subgroup, phi(P) == [-x^2]P, for every point (the identity is in).
bool subgroup_check(std::span<const G1Affine> points, std::span<Membership> out);

// out[i] = in[i]^((p+1)/4), the square root of in[i] when it has one (callers check by squaring).
bool sqrt_candidates(std::span<const Fp> in, std::span<Fp> out);

}  // namespace kzg::g1_batch_ifma
