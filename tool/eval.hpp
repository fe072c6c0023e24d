// `kzg eval`: JSON Lines in, one JSON line out per request, in order, flushed after each answer.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>

#include "engine/kzg/settings.hpp"

namespace kzg::tool {

struct EvalOptions {
  std::size_t max_line_bytes = std::size_t{256} << 20;  // a longer line is answered with an error and skipped
  unsigned threads = 1;                                 // threads one operation may use (api::dispatch)
};

// Answers every request line of `in` on `out`. Returns the number of lines answered.
std::size_t run_eval(std::istream& in, std::ostream& out, const KzgSettings& settings, const EvalOptions& options = {});

}  // namespace kzg::tool
