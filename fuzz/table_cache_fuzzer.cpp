// The table cache reader (engine/kzg/table_cache): the checks of a file's header, section table and digest,
// against a small expectation (fuzz/table_cache_shape.hpp) so that whole files fit in an input. The mapping and
// the adoption of the points are the production code's, reached through parse_table_cache's result.
//
// Each input is parsed three ways: as it is (the digest rarely matches, so this covers the header checks and
// the digest); resealed, with its digest recomputed, so that mutations of the section table reach the checks
// after the digest; and as the contents of the sections of a file encode_table_cache writes (a round trip).
//
// Properties: parsing never throws or reads outside the input; an accepted file's sections lie inside it,
// aligned, in order, without overlap, each the size expected; a written file parses back to the same sections.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "engine/common/sha256.hpp"
#include "fuzz/check.hpp"
#include "fuzz/table_cache_shape.hpp"

namespace {

void check_accepted(std::span<const std::uint8_t> file, const kzg::TableCacheExpect& expect) {
  auto parsed = kzg::parse_table_cache(file, expect);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().code == kzg::ErrorCode::invalid_table_cache);
    FUZZ_CHECK(!parsed.error().message.empty());
    return;
  }
  const std::uint8_t* end_of_last = file.data() + kzg::kTableCacheHeaderBytes;
  for (std::size_t id = 0; id < kzg::kTableCacheSections; ++id) {
    const auto section = (*parsed)[id];
    FUZZ_CHECK(section.size() == expect.section_bytes[id]);
    if (section.empty()) continue;
    FUZZ_CHECK(section.data() >= end_of_last);
    FUZZ_CHECK(section.data() + section.size() <= file.data() + file.size());
    FUZZ_CHECK((section.data() - file.data()) % 64 == 0);
    end_of_last = section.data() + section.size();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const kzg::TableCacheExpect expect = kzg::fuzz::table_cache_fuzz_expect();
  const std::span<const std::uint8_t> input(data, size);
  check_accepted(input, expect);

  // Resealed: the digest field (bytes 96..127) recomputed over the rest.
  if (size >= 128) {
    std::vector<std::uint8_t> sealed(input.begin(), input.end());
    std::fill(sealed.begin() + 96, sealed.begin() + 128, 0);
    kzg::Sha256 h;
    h.update(sealed);
    const auto sum = h.finish();
    std::memcpy(sealed.data() + 96, sum.data(), 32);
    check_accepted(sealed, expect);
  }

  // Round trip: the input's bytes as section contents.
  std::array<std::vector<std::uint8_t>, kzg::kTableCacheSections> sections;
  std::size_t at = 0;
  for (std::size_t id = 0; id < kzg::kTableCacheSections; ++id) {
    sections[id].resize(expect.section_bytes[id]);
    for (auto& b : sections[id]) b = size == 0 ? 0 : data[at++ % size];
  }
  const auto file = kzg::encode_table_cache(expect, sections);
  auto parsed = kzg::parse_table_cache(file, expect);
  FUZZ_CHECK(parsed.ok());
  for (std::size_t id = 0; id < kzg::kTableCacheSections; ++id)
    FUZZ_CHECK((*parsed)[id].size() == sections[id].size() &&
               std::equal(sections[id].begin(), sections[id].end(), (*parsed)[id].begin()));
  return 0;
}
