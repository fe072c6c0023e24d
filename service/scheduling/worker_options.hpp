// The worker pool's options (workers.*): threads, the queue's bounds, the express lane and request coalescing
// (the overload manager: service/scheduling/worker_pool.hpp).
#pragma once

#include <cstddef>

#include "service/config/section.hpp"

namespace kzgd {

struct WorkerOptions {
  unsigned threads = 0;           // 0: one per CPU core
  std::size_t queue_limit = 256;  // requests waiting for a worker; beyond it, 503
  // Estimated CPU-seconds that may wait (0: 10 per worker); express workers for cheap requests (cost at most
  // express_max_cost tokens, ~1 ms each).
  double queue_cpu_seconds = 0;
  unsigned express_threads = 1;
  double express_max_cost = 2;
  bool coalesce = true;  // concurrent verifications of one kind are checked together (the catalogue says which)
  std::size_t coalesce_max_batch = 32;
  // Threads one request may use inside the engine (the batch verifications, cells with proofs, recovery): more
  // than 1 lowers those requests' latency on an idle machine, at the cost of the other workers' share.
  unsigned engine_threads = 1;

  static void declare(config::Section<WorkerOptions>& s) {
    using W = WorkerOptions;
    s.integer("threads", &W::threads, 0, 1024);
    s.integer("queue_limit", &W::queue_limit, 0, 1000000);
    s.number("queue_cpu_seconds", &W::queue_cpu_seconds, 0, 1e6, "a number of CPU-seconds (0: 10 per worker)");
    s.integer("express_threads", &W::express_threads, 0, 64);
    s.number("express_max_cost", &W::express_max_cost, 0, 1e6, "a cost in rate-limit tokens");
    s.boolean("coalesce", &W::coalesce);
    s.integer("coalesce_max_batch", &W::coalesce_max_batch, 1, 4096);
    s.integer("engine_threads", &W::engine_threads, 1, 256);
  }
};

}  // namespace kzgd
