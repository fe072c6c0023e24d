#include "service/cache/cache_options.hpp"

#include <algorithm>

#include "service/util/text.hpp"

namespace kzgd {

const std::vector<std::string>& cacheable_operations() {
  static const std::vector<std::string> ops = {"compute_cells_and_kzg_proofs", "compute_cells",
                                               "recover_cells_and_kzg_proofs", "blob_to_kzg_commitment",
                                               "compute_blob_kzg_proof",       "compute_kzg_proof"};
  return ops;
}

kzg::Result<std::vector<std::string>> CacheOptions::parse_operations(std::string_view text) {
  std::vector<std::string> out;
  const auto& allowed = cacheable_operations();
  for (const std::string_view item : split_list(text)) {
    if (item.empty()) continue;
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      std::string names;
      for (const auto& a : allowed) {
        if (!names.empty()) names.append(", ");
        names.append(a);
      }
      std::string message = "\"";
      message.append(item).append("\" cannot be cached; the cacheable operations are ").append(names);
      return kzg::make_error(kzg::ErrorCode::invalid_config, message, "cache.operations");
    }
    if (std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
  }
  return out;
}

void CacheOptions::declare(config::Section<CacheOptions>& s) {
  s.boolean("enabled", &CacheOptions::enabled);
  s.bytes("memory_bytes", &CacheOptions::memory_bytes, 0, 1ull << 40);
  s.seconds("ttl_seconds", &CacheOptions::ttl_seconds, 1, 30 * 86400);
  s.boolean("shared", &CacheOptions::shared);
  s.file("mac_key_file", &CacheOptions::mac_key_file);
  s.bytes("max_entry_bytes", &CacheOptions::max_entry_bytes, 1024, 64u << 20);
  s.parsed<std::vector<std::string>>("operations", &CacheOptions::operations, parse_operations);
}

}  // namespace kzgd
