// Data parallelism for the batch functions and the setup precomputation: body(i) for every i in [0, n), on at
// most `threads` threads, or on every core for kAllCores. oneTBB does the scheduling (work stealing over its
// own pool; a task arena per call caps the threads); with one thread, or one item, the loop runs inline on the
// caller's thread and TBB is not involved.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <cstddef>

namespace kzg {

inline constexpr unsigned kAllCores = 0;

// Runs f in an arena of `threads` threads, or in the current one when that is no wider (nested calls of a
// batch function share its arena: a new arena per call would have to wait for idle workers to join it).
template <class F>
void run_on_threads(unsigned threads, const F& f) {
  if (threads == kAllCores || tbb::this_task_arena::max_concurrency() <= static_cast<int>(threads)) return f();
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute(f);
}

template <class Body>
void parallel_for_each_index(std::size_t n, unsigned threads, const Body& body) {
  if (threads == 1 || n < 2) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  const auto loop = [&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
    });
  };
  run_on_threads(threads, loop);
}

// Runs each of fs once, on at most `threads` threads (in order on the caller's thread for one thread).
template <class... Fs>
void parallel_invoke_all(unsigned threads, const Fs&... fs) {
  static_assert(sizeof...(Fs) >= 2);
  if (threads == 1) {
    (fs(), ...);
    return;
  }
  run_on_threads(threads, [&] { tbb::parallel_invoke(fs...); });
}

}  // namespace kzg
