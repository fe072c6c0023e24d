// WorkerPool: the threads that run the crypto, off the I/O threads, and the overload manager in front of them.
//
// Every job names its client (the rate limiter's key: "key NAME" or "address IP"), its estimated cost in
// CPU-seconds (the operation catalogue's weights) and its deadline. Admission (submit) refuses a job at once,
// saying why, when
//   - queue_limit jobs are already waiting beyond the idle workers (a bound on entries),
//   - the estimated CPU-seconds waiting would exceed queue_seconds (a bound on work), or
//   - the job's estimated wait exceeds the time left to its deadline (it would be dropped anyway).
// Waiting jobs are kept per client and served by deficit round-robin over their estimated cost: every client
// with work waiting gets an equal share of worker time, so a deep backlog or a heavy batch from one client
// cannot stall another client's request. Express workers, beyond `threads`, take only cheap jobs (cost at most
// express_max_cost): a light verification then never waits for a 100 ms computation to finish.
// When a worker takes a job whose deadline has passed, or whose client has disconnected, the job is dropped
// unrun: its drop handler is called instead.
//
// Continuations (the helpers of admitted work) skip the line and the limits; see post_continuation and
// post_for.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace kzgd {

enum class DropReason { deadline, client_gone };
enum class Refusal { none, stopped, queue_full, queue_seconds, deadline };

struct WorkerPoolOptions {
  double queue_seconds = 0;        // most estimated CPU-seconds waiting; 0: no bound
  unsigned express_threads = 0;    // extra workers for cheap jobs
  double express_max_cost = 0;     // the most a job may cost (CPU-seconds) to be taken by an express worker
  double quantum_seconds = 0.005;  // deficit round-robin: CPU-seconds a client's turn adds
  int worker_nice = 0;             // with express threads, the regular workers' nice value (Linux, per thread)
};

class WorkerPool {
 public:
  using Task = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  using Options = WorkerPoolOptions;

  struct Job {
    Task run;
    std::function<void(DropReason)> drop = {};  // called, instead of run, for a job dropped unrun; may be null
    std::string client = {};                    // fair-share key
    double cost = 0;                            // estimated CPU-seconds
    Clock::time_point deadline = Clock::time_point::max();
    std::shared_ptr<const std::atomic<bool>> gone = {};  // set when the client has disconnected
    bool express = true;                                 // an express worker may take it (when cheap enough)
  };

  struct Admission {
    Refusal refusal = Refusal::none;
    double estimated_wait_seconds = 0;  // before the job would start
    explicit operator bool() const { return refusal == Refusal::none; }
  };

  WorkerPool(unsigned threads, std::size_t queue_limit, Options options = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a job in its client's queue, or says why not (the job is then not run). Tasks must not throw.
  Admission submit(Job job);
  // Queues jobs of one client as one unit (a batch's items): checked as a single job of their summed cost, then
  // queued in order.
  Admission submit_all(std::vector<Job> jobs);
  // A job of no client and no cost, for a regular worker: the service's own work (the diagnostics), the tests.
  bool try_submit(Task task);
  // Queues a part of admitted work (a batch's items) in its client's queue, regardless of the limits.
  void post_for(Job job);
  // Queues a continuation of admitted work ahead of every client's queue, regardless of the limits.
  void post_continuation(Task task);
  // Queues a task behind the service's own waiting work, regardless of the limits: for bookkeeping tasks of
  // admitted work (a request coalescer's flush, at most one queued per coalescer), never for new requests.
  void post_behind_queue(Task task);

  // Drops the tasks still waiting (destroying them unrun), waits for the running ones, joins the threads.
  void stop();

  unsigned threads() const { return threads_count_; }
  unsigned express_threads() const { return options_.express_threads; }
  std::size_t queue_limit() const { return queue_limit_; }
  const Options& options() const { return options_; }
  std::size_t queued() const;
  double queued_seconds() const;
  // Measured time / estimated cost of the jobs run lately (an exponential average, weight 0.2, over jobs estimated at 5
  // ms or more; 1 until measured): the wait estimates are scaled by it, so a slower CPU, or CPU shared with others,
  // does not make them optimistic.
  double cost_scale() const;
  std::size_t running() const;
  std::size_t waiting_clients() const;

 private:
  struct ClientQueue {
    std::string name;
    std::deque<Job> jobs;
    double deficit = 0;
    double queued_cost = 0;
  };
  using Ring = std::list<ClientQueue>;

  void run_worker(bool express);
  bool take_locked(bool express, Job& out);
  void enqueue_locked(Job&& job);
  void pop_head_locked(Ring::iterator client, Job& out);
  std::size_t idle_workers_locked() const;
  bool cheap_head_locked() const;
  bool express_takes(const Job& job) const { return job.express && job.cost <= options_.express_max_cost; }
  double estimated_wait_locked(const std::string& client, double cost, bool express_eligible) const;

  const std::size_t queue_limit_;
  const Options options_;
  const unsigned threads_count_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable wake_express_;
  std::deque<Task> priority_;  // continuations
  Ring ring_;                  // clients with jobs waiting, in round-robin order
  std::unordered_map<std::string, Ring::iterator> clients_;
  std::size_t jobs_ = 0;
  double queued_cost_ = 0;
  double cost_scale_ = 1;
  std::size_t running_ = 0;
  std::size_t running_regular_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace kzgd
