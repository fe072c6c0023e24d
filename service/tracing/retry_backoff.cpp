#include "service/tracing/retry_backoff.hpp"

#include <algorithm>

namespace kzgd {

std::chrono::milliseconds retry_delay(unsigned attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                      std::mt19937_64& rng) {
  long long d = std::max<long long>(base.count(), 1);
  for (unsigned i = 0; i < attempt && d < cap.count(); ++i) d *= 2;
  d = std::min<long long>(d, std::max<long long>(cap.count(), 1));
  std::uniform_int_distribution<long long> jitter(d / 2, d);
  return std::chrono::milliseconds(jitter(rng));
}

}  // namespace kzgd
