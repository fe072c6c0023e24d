// Decoding of vector-style JSON inputs (0x-hex byte strings, lists, integers) with errors that name
// the field, and bounded allocation: a byte string longer than its type allows is refused before decoding.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/common/hex.hpp"
#include "engine/common/result.hpp"
#include "engine/kzg/eip7594.hpp"

namespace kzg::api {

using ByteString = std::vector<std::uint8_t>;

// in[name] as exactly `size` bytes.
Result<ByteString> bytes_field(const nlohmann::json& in, const char* name, std::size_t size);
// in[name] as a list of byte strings of `size` bytes each (at most max_items).
Result<std::vector<ByteString>> bytes_list_field(const nlohmann::json& in, const char* name, std::size_t size,
                                                 std::size_t max_items = 1u << 16);
// A JSON value as a list of byte strings of `size` bytes each (at most max_items); errors name `field`, items
// as field[i]. Reads the value in place (no copy of untrusted, possibly deeply nested, input).
Result<std::vector<ByteString>> bytes_list(const nlohmann::json& v, const std::string& field, std::size_t size,
                                           std::size_t max_items = 1u << 16);
// in[name] as a list of unsigned integers (at most max_items).
Result<std::vector<std::uint64_t>> uint_list_field(const nlohmann::json& in, const char* name,
                                                   std::size_t max_items = 1u << 16);

std::vector<std::span<const std::uint8_t>> spans(const std::vector<ByteString>& v);

// The cell operations' outputs in the same encoding: a list of 0x-hex cells, and [cells, proofs].
nlohmann::json encode_cells(const std::vector<Cell>& cells);
nlohmann::json encode_cells_and_proofs(const CellsAndProofs& cp);

}  // namespace kzg::api
