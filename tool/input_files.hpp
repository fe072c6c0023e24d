// Reading blobs given on the command line: a file (or "-" for stdin) holding either the raw 131072
// bytes or their hex (optionally 0x-prefixed, surrounding whitespace ignored).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/common/result.hpp"

namespace kzg::tool {

Result<std::vector<std::uint8_t>> read_blob_file(const std::string& path);
// A hex argument of exactly `size` bytes; `name` is the option named in the error.
Result<std::vector<std::uint8_t>> parse_hex_argument(const std::string& value, std::size_t size,
                                                     const std::string& name);

}  // namespace kzg::tool
