// A fixed set of threads for the crypto work with a bounded queue: when the queue is full, submit()
// refuses the task at once (the caller sheds load) instead of queueing without bound.
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
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue already holds queue_limit tasks or the pool is stopping.
  bool submit(std::function<void()> task);
  // Runs the tasks already queued, then joins the threads.
  void stop();

  std::size_t queued() const;
  std::size_t running() const;
  std::size_t threads() const { return threads_.size(); }

 private:
  void run();

  const std::size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kzgd
