// The result cache's options (cache.*): which operations, how much memory, how long, and whether Redis is its
// second tier (service/cache/result_cache.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "service/config/section.hpp"

namespace kzgd {

// The operations the cache may hold: deterministic, and expensive next to a lookup.
const std::vector<std::string>& cacheable_operations();

struct CacheOptions {
  bool enabled = true;
  std::size_t memory_bytes = 64u << 20;  // the in-process LRU, in bytes of entries; 0: no in-process tier
  double ttl_seconds = 3600;             // of entries in both tiers
  bool shared = true;                    // Redis as the second tier when redis.url is set
  std::string mac_key_file;              // the secret the replicas share; required for the shared tier
  std::size_t max_entry_bytes = 1u << 20;
  config::Parsed<std::vector<std::string>> operations = config::parsed_default<std::vector<std::string>>(
      "compute_cells_and_kzg_proofs, compute_cells, recover_cells_and_kzg_proofs, blob_to_kzg_commitment, "
      "compute_blob_kzg_proof, compute_kzg_proof",
      parse_operations);

  static kzg::Result<std::vector<std::string>> parse_operations(std::string_view text);
  static void declare(config::Section<CacheOptions>& s);
};

}  // namespace kzgd
