// Deterministic random valid blobs for tests and benchmarks.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/field/fr.hpp"

namespace kzg::test {

inline Fr random_fr(std::mt19937_64& rng) {
  Limbs<4> l{rng(), rng(), rng(), rng() >> 2};  // < 2^254 < r
  return Fr::from_canonical(l);
}

inline std::vector<std::uint8_t> random_blob(std::mt19937_64& rng) {
  std::vector<std::uint8_t> blob(kBytesPerBlob);
  for (std::size_t i = 0; i < kFieldElementsPerBlob; ++i)
    random_fr(rng).to_bytes_be(std::span<std::uint8_t, 32>(blob.data() + 32 * i, 32));
  return blob;
}

}  // namespace kzg::test
