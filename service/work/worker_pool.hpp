// WorkerPool: the bounded pool that runs the crypto, off the I/O threads.
//
// Admission is explicit: try_submit() refuses a task when queue_limit tasks are already waiting, so overload
// turns into fast 503 answers (load shedding) instead of an unbounded queue. Continuations (the helpers a
// running batch fans out) skip the line and the limit; each running task posts at most threads - 1 of them,
// so the queue stays bounded by queue_limit + threads * (threads - 1).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kzgd {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  WorkerPool(unsigned threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false when queue_limit tasks are already waiting beyond the idle workers, or the pool is
  // stopped (the task is then not run). Tasks must not throw.
  bool try_submit(Task task);
  // Queues a continuation of admitted work at the front, regardless of the limit (see above).
  void post_continuation(Task task);
  // Queues a task behind the waiting ones, regardless of the limit: for bookkeeping tasks of admitted work
  // (a request coalescer's flush, at most one queued per coalescer), never for new requests.
  void post_behind_queue(Task task);

  // Drops the tasks still waiting (destroying them unrun), waits for the running ones, joins the threads.
  void stop();

  unsigned threads() const { return static_cast<unsigned>(threads_.size()); }
  std::size_t queue_limit() const { return queue_limit_; }
  std::size_t queued() const;
  std::size_t running() const;

 private:
  void run_worker();
  std::size_t idle_workers_locked() const;

  const std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kzgd
