// Exponential backoff with jitter between export retries: attempt n (0-based) waits a random time in
// [d/2, d], d = min(cap, base * 2^n), so that retries spread out ("equal jitter") but still grow.
#pragma once

#include <chrono>
#include <random>

namespace kzgd {

std::chrono::milliseconds retry_delay(unsigned attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                      std::mt19937_64& rng);

}  // namespace kzgd
