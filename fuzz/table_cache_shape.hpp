// The expectation the table cache fuzzer parses against, shared with the corpus generator: this build's real
// layout digest, with sections far smaller than the mainnet ones so that whole files fit in a fuzz input.
#pragma once

#include "engine/kzg/table_cache.hpp"

namespace kzg::fuzz {

inline TableCacheExpect table_cache_fuzz_expect() {
  TableCacheExpect e = table_cache_expect("fuzz setup", {});
  e.section_bytes = {256, 256, 192, 0, 128, 64};
  return e;
}

}  // namespace kzg::fuzz
