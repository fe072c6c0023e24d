// The application/octet-stream request bodies: for the single-blob operations, the spec parameters' raw bytes
// concatenated in spec order, with no framing (every part has a fixed size):
//
//   blob_to_kzg_commitment   blob (131072 bytes)                                       = 131072 bytes
//   compute_blob_kzg_proof   blob (131072) || commitment (48)                          = 131120 bytes
//   verify_blob_kzg_proof    blob (131072) || commitment (48) || proof (48)            = 131168 bytes
//   verify_kzg_proof         commitment (48) || z (32) || y (32) || proof (48)         = 160 bytes
//   compute_cells, compute_cells_and_kzg_proofs   blob (131072)                         = 131072 bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "service/api/operation_backend.hpp"
#include "service/catalogue/operation_catalogue.hpp"

namespace kzgd {

struct BinaryLayout {
  std::string_view operation;
  std::span<const BinaryPart> parts;  // the operation catalogue's

  std::size_t total_size() const;
};

// Every operation with a binary body, in the catalogue's order.
const std::vector<BinaryLayout>& binary_layouts();
// The layout of an operation, or null when it takes JSON only.
const BinaryLayout* find_binary_layout(std::string_view operation);
// Splits a body into the layout's parts (views into body); an error names "body" when the size is wrong.
kzg::Result<BinaryInput> split_binary_body(const BinaryLayout& layout, std::span<const std::uint8_t> body);

}  // namespace kzgd
