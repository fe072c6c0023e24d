#include "service/scheduling/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace kzgd {
namespace {

// The jobs whose run time calibrates the estimates, and the weight of each in the average.
constexpr double kCalibrationMinCost = 0.005;
constexpr double kCalibrationWeight = 0.2;

}  // namespace

WorkerPool::WorkerPool(unsigned threads, std::size_t queue_limit, Options options)
    : queue_limit_(queue_limit), options_(options), threads_count_(threads == 0 ? 1 : threads) {
  workers_.reserve(threads_count_ + options_.express_threads);
  for (unsigned i = 0; i < threads_count_; ++i) workers_.emplace_back([this] { run_worker(false); });
  for (unsigned i = 0; i < options_.express_threads; ++i) workers_.emplace_back([this] { run_worker(true); });
}

WorkerPool::~WorkerPool() { stop(); }

WorkerPool::Admission WorkerPool::submit(Job job) {
  std::vector<Job> jobs;
  jobs.push_back(std::move(job));
  return submit_all(std::move(jobs));
}

WorkerPool::Admission WorkerPool::submit_all(std::vector<Job> jobs) {
  if (jobs.empty()) return {Refusal::none, 0};
  double cost = 0;
  bool cheap = false;
  for (const Job& j : jobs) {
    cost += j.cost;
    cheap = cheap || (options_.express_threads > 0 && express_takes(j));
  }
  const Job& first = jobs.front();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return {Refusal::stopped, 0};
    const double wait = estimated_wait_locked(first.client, cost, cheap && jobs.size() == 1);
    if (jobs_ + priority_.size() >= queue_limit_ + idle_workers_locked()) return {Refusal::queue_full, wait};
    // Work alone in the queue is always taken, however large: a bound it can never meet is no bound.
    if (options_.queue_seconds > 0 && queued_cost_ > 0 && queued_cost_ + cost > options_.queue_seconds)
      return {Refusal::queue_seconds, wait};
    if (first.deadline != Clock::time_point::max() &&
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait)) >
            first.deadline)
      return {Refusal::deadline, wait};
    for (Job& j : jobs) enqueue_locked(std::move(j));
  }
  if (jobs.size() == 1) {
    wake_.notify_one();
  } else {
    wake_.notify_all();
  }
  if (cheap) wake_express_.notify_all();
  return {Refusal::none, 0};
}

bool WorkerPool::try_submit(Task task) {
  Job job{std::move(task)};
  job.express = false;
  return static_cast<bool>(submit(std::move(job)));
}

void WorkerPool::post_for(Job job) {
  const bool cheap = options_.express_threads > 0 && express_takes(job);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    enqueue_locked(std::move(job));
  }
  wake_.notify_one();
  if (cheap) wake_express_.notify_one();
}

void WorkerPool::post_continuation(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    priority_.push_front(std::move(task));
  }
  wake_.notify_one();
}

void WorkerPool::post_behind_queue(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    Job job{std::move(task)};
    job.express = false;
    enqueue_locked(std::move(job));
  }
  wake_.notify_one();
}

void WorkerPool::stop() {
  std::deque<Task> dropped_priority;
  Ring dropped;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    dropped_priority.swap(priority_);
    dropped.swap(ring_);
    clients_.clear();
    jobs_ = 0;
    queued_cost_ = 0;
  }
  wake_.notify_all();
  wake_express_.notify_all();
  // Outside the lock: destroying a task may run arbitrary code.
  dropped_priority.clear();
  dropped.clear();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return jobs_ + priority_.size();
}

double WorkerPool::queued_seconds() const {
  std::lock_guard lock(mutex_);
  return queued_cost_;
}

double WorkerPool::cost_scale() const {
  std::lock_guard lock(mutex_);
  return cost_scale_;
}

std::size_t WorkerPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::size_t WorkerPool::waiting_clients() const {
  std::lock_guard lock(mutex_);
  return ring_.size();
}

std::size_t WorkerPool::idle_workers_locked() const {
  return threads_count_ > running_regular_ ? threads_count_ - running_regular_ : 0;
}

// Under deficit round-robin a new job of `client` starts once the client's own backlog has run and every other
// client has had as much: each other client k contributes min(its backlog, own backlog + cost). The running
// jobs' remainders are not known and not counted.
double WorkerPool::estimated_wait_locked(const std::string& client, double cost, bool express_eligible) const {
  const auto own_it = clients_.find(client);
  const double own = own_it == clients_.end() ? 0 : own_it->second->queued_cost;
  double ahead = own;
  for (const ClientQueue& c : ring_)
    if (c.name != client) ahead += std::min(c.queued_cost, own + cost);
  const unsigned lanes = threads_count_ + (express_eligible ? options_.express_threads : 0);
  return ahead * cost_scale_ / lanes;
}

void WorkerPool::enqueue_locked(Job&& job) {
  auto it = clients_.find(job.client);
  if (it == clients_.end()) {
    // A client that starts waiting gets a turn's worth at once, as if its turn had just begun.
    ring_.push_back(ClientQueue{job.client, {}, options_.quantum_seconds, 0});
    it = clients_.emplace(job.client, std::prev(ring_.end())).first;
  }
  ClientQueue& c = *it->second;
  c.queued_cost += job.cost;
  queued_cost_ += job.cost;
  ++jobs_;
  c.jobs.push_back(std::move(job));
}

void WorkerPool::pop_head_locked(Ring::iterator client, Job& out) {
  out = std::move(client->jobs.front());
  client->jobs.pop_front();
  client->queued_cost -= out.cost;
  queued_cost_ -= out.cost;
  --jobs_;
  if (client->jobs.empty()) {
    clients_.erase(client->name);
    ring_.erase(client);
  }
  if (jobs_ == 0) queued_cost_ = 0;  // no rounding residue
}

bool WorkerPool::cheap_head_locked() const {
  return std::any_of(ring_.begin(), ring_.end(), [&](const ClientQueue& c) { return express_takes(c.jobs.front()); });
}

bool WorkerPool::take_locked(bool express, Job& out) {
  if (express) {
    // The first client in round-robin order whose next job is cheap; what it takes counts against the
    // client's share like any other job.
    for (auto c = ring_.begin(); c != ring_.end(); ++c) {
      if (!express_takes(c->jobs.front())) continue;
      c->deficit -= c->jobs.front().cost;
      pop_head_locked(c, out);
      return true;
    }
    return false;
  }
  if (!priority_.empty()) {
    out = Job{std::move(priority_.front())};
    priority_.pop_front();
    return true;
  }
  if (ring_.empty()) return false;
  const double quantum = options_.quantum_seconds > 0 ? options_.quantum_seconds : 0.005;
  // Rounds in which no client could run anything only add a quantum to every client: do them at once.
  double need = std::numeric_limits<double>::infinity();
  for (const ClientQueue& c : ring_) need = std::min(need, c.jobs.front().cost - c.deficit);
  if (need > quantum) {
    const double rounds = std::ceil(need / quantum) - 1;
    for (ClientQueue& c : ring_) c.deficit += rounds * quantum;
  }
  for (;;) {
    const auto c = ring_.begin();
    const double cost = c->jobs.front().cost;
    if (cost <= c->deficit) {
      c->deficit -= cost;
      pop_head_locked(c, out);
      return true;
    }
    c->deficit += quantum;
    ring_.splice(ring_.end(), ring_, c);
  }
}

void WorkerPool::run_worker(bool express) {
  // With an express lane, the regular workers yield the CPU to it (and to the I/O threads) when they compete:
  // a worker's slice is long anyway, and an express request's wait is what it is for.
  if (!express && options_.express_threads > 0 && options_.worker_nice > 0)
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options_.worker_nice);
  std::condition_variable& wake = express ? wake_express_ : wake_;
  std::unique_lock lock(mutex_);
  for (;;) {
    Job job;
    while (!stopping_ && !take_locked(express, job)) wake.wait(lock);
    if (stopping_) return;
    ++running_;
    if (!express) ++running_regular_;
    // Taking a client's head may uncover a cheap job behind it.
    const bool tell_express = !express && options_.express_threads > 0 && cheap_head_locked();
    lock.unlock();
    if (tell_express) wake_express_.notify_one();
    const bool gone = job.gone && job.gone->load(std::memory_order_relaxed);
    if (gone || Clock::now() > job.deadline) {
      if (job.drop) job.drop(gone ? DropReason::client_gone : DropReason::deadline);
      job = Job{};
      lock.lock();
    } else {
      const auto began = Clock::now();
      job.run();
      const double took = std::chrono::duration<double>(Clock::now() - began).count();
      const double cost = job.cost;
      job = Job{};  // release what the job captured before taking the lock again
      lock.lock();
      if (cost >= kCalibrationMinCost)
        cost_scale_ = std::clamp(cost_scale_ + kCalibrationWeight * (took / cost - cost_scale_), 0.25, 8.0);
    }
    --running_;
    if (!express) --running_regular_;
  }
}

}  // namespace kzgd
