// The overload manager in the worker pool: per-client fair shares (deficit round-robin on estimated cost),
// the bound on queued CPU-seconds, refusal when the estimated wait exceeds the deadline, drops at the deadline
// or when the client is gone, and the express lane for cheap jobs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/scheduling/worker_pool.hpp"
#include "tests/service/support/assertions.hpp"
#include "tests/service/support/gate.hpp"

namespace kzgd {
namespace {

using kzgd::testing::eventually;
using kzgd::testing::Gate;

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// "g" + std::to_string(i), spelled so that GCC 12's -Wrestrict false positive stays quiet.
std::string label(const char* prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

// Records the order jobs ran in.
class Order {
 public:
  WorkerPool::Job job(std::string client, double cost, std::string name) {
    WorkerPool::Job j;
    j.client = std::move(client);
    j.cost = cost;
    j.run = [this, name = std::move(name)] {
      std::lock_guard lock(m_);
      ran_.push_back(name);
    };
    return j;
  }
  std::vector<std::string> ran() const {
    std::lock_guard lock(m_);
    return ran_;
  }
  std::size_t position(const std::string& name) const {
    const auto r = ran();
    return static_cast<std::size_t>(std::find(r.begin(), r.end(), name) - r.begin());
  }

 private:
  mutable std::mutex m_;
  std::vector<std::string> ran_;
};

// Holds the pool's one regular worker until the gate opens.
void occupy(WorkerPool& pool, Gate& gate) {
  ASSERT_TRUE(pool.try_submit([&gate] { gate.wait(); }));
  ASSERT_TRUE(eventually([&] { return pool.running() == 1 && pool.queued() == 0; }));
}

TEST(FairScheduling, AnotherClientsLightJobDoesNotWaitBehindABacklog) {
  WorkerPool pool(1, 1000);
  Gate gate;
  occupy(pool, gate);
  Order order;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.submit(order.job("greedy", 0.1, label("g", i))));
  ASSERT_TRUE(pool.submit(order.job("polite", 0.001, "p")));
  EXPECT_EQ(pool.waiting_clients(), 2u);
  EXPECT_NEAR(pool.queued_seconds(), 1.001, 1e-9);
  gate.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 11; }));
  // First come, first served would run it eleventh; its fair share runs it at once (the greedy client's first
  // job may go first: it was waiting when the polite client arrived).
  EXPECT_LE(order.position("p"), 1u);
  EXPECT_EQ(pool.queued_seconds(), 0);
}

TEST(FairScheduling, SharesAreByCostNotByCount) {
  WorkerPool pool(1, 1000);
  Gate gate;
  occupy(pool, gate);
  Order order;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.submit(order.job("heavy", 0.5, label("h", i))));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(pool.submit(order.job("light", 0.01, label("l", i))));
  gate.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 23; }));
  // 20 light jobs are 0.2 s of work, less than one heavy job: all of them run before the second heavy one.
  for (int i = 0; i < 20; ++i) EXPECT_LT(order.position(label("l", i)), order.position("h1")) << i;
  EXPECT_LT(order.position("h1"), order.position("h2"));
}

TEST(FairScheduling, EachClientKeepsItsOwnOrder) {
  WorkerPool pool(1, 1000);
  Gate gate;
  occupy(pool, gate);
  Order order;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(pool.submit(order.job("a", 0.003 * (i + 1), label("a", i))));
    ASSERT_TRUE(pool.submit(order.job("b", 0.002, label("b", i))));
  }
  gate.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 10; }));
  for (int i = 1; i < 5; ++i) {
    EXPECT_LT(order.position(label("a", i - 1)), order.position(label("a", i)));
    EXPECT_LT(order.position(label("b", i - 1)), order.position(label("b", i)));
  }
}

TEST(FairScheduling, TheQueueIsBoundedInCpuSeconds) {
  WorkerPoolOptions options;
  options.queue_seconds = 1.0;
  WorkerPool pool(1, 1000, options);
  Gate gate;
  occupy(pool, gate);
  Order order;
  EXPECT_TRUE(pool.submit(order.job("a", 0.6, "a0")));
  const auto refused = pool.submit(order.job("a", 0.6, "a1"));
  EXPECT_EQ(refused.refusal, Refusal::queue_seconds);
  EXPECT_TRUE(pool.submit(order.job("b", 0.3, "b0")));  // still fits
  EXPECT_EQ(pool.submit(order.job("b", 0.2, "b1")).refusal, Refusal::queue_seconds);
  gate.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 2; }));
  // Alone in the queue, work larger than the bound is still taken (else it could never run).
  Gate second;
  occupy(pool, second);
  EXPECT_TRUE(pool.submit(order.job("c", 5.0, "c0")));
  second.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 3; }));
}

TEST(FairScheduling, RefusesAtOnceWhenTheEstimatedWaitExceedsTheDeadline) {
  WorkerPool pool(1, 1000);
  Gate gate;
  occupy(pool, gate);
  Order order;
  ASSERT_TRUE(pool.submit(order.job("greedy", 1.0, "g0")));
  ASSERT_TRUE(pool.submit(order.job("greedy", 1.0, "g1")));
  auto late = order.job("greedy", 0.1, "g2");
  late.deadline = Clock::now() + 500ms;
  const auto refused = pool.submit(std::move(late));
  EXPECT_EQ(refused.refusal, Refusal::deadline);
  EXPECT_NEAR(refused.estimated_wait_seconds, 2.0, 1e-9);  // its own backlog, on one worker
  // Another client's job waits only for its share: min(2.0, 0.1) of the greedy client's backlog.
  auto polite = order.job("polite", 0.1, "p");
  polite.deadline = Clock::now() + 500ms;
  EXPECT_TRUE(pool.submit(std::move(polite)));
  gate.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 3; }));
  EXPECT_EQ(order.position("g2"), 3u);
}

TEST(FairScheduling, DropsJobsPastTheirDeadlineOrWhoseClientIsGone) {
  WorkerPool pool(1, 1000);
  Gate gate;
  occupy(pool, gate);
  std::atomic<int> ran{0};
  std::mutex m;
  std::vector<DropReason> drops;
  const auto job = [&](Clock::time_point deadline, std::shared_ptr<std::atomic<bool>> gone) {
    WorkerPool::Job j;
    j.client = "c";
    j.cost = 0.001;
    j.deadline = deadline;
    j.gone = std::move(gone);
    j.run = [&] { ++ran; };
    j.drop = [&](DropReason r) {
      std::lock_guard lock(m);
      drops.push_back(r);
    };
    return j;
  };
  const auto gone = std::make_shared<std::atomic<bool>>(false);
  ASSERT_TRUE(pool.submit(job(Clock::now() + 100ms, nullptr)));  // the wait estimate is 0: admitted
  ASSERT_TRUE(pool.submit(job(Clock::time_point::max(), gone)));
  ASSERT_TRUE(pool.submit(job(Clock::time_point::max(), nullptr)));
  std::this_thread::sleep_for(150ms);
  gone->store(true);
  gate.open();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(m);
    return drops.size() == 2 && ran == 1;
  }));
  std::lock_guard lock(m);
  EXPECT_EQ(drops[0], DropReason::deadline);
  EXPECT_EQ(drops[1], DropReason::client_gone);
}

TEST(FairScheduling, ExpressWorkersRunCheapJobsWhileTheRegularOnesAreBusy) {
  WorkerPoolOptions options;
  options.express_threads = 1;
  options.express_max_cost = 0.002;
  WorkerPool pool(1, 1000, options);
  Gate gate;
  occupy(pool, gate);
  Order order;
  ASSERT_TRUE(pool.submit(order.job("heavy", 0.1, "h")));
  ASSERT_TRUE(pool.submit(order.job("light", 0.001, "l")));
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 1; }));
  EXPECT_EQ(order.ran()[0], "l");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(order.ran().size(), 1u);  // the heavy job waits for the regular worker
  // A cheap job behind an expensive one of the same client keeps its client's order.
  ASSERT_TRUE(pool.submit(order.job("heavy", 0.001, "h-light")));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(order.ran().size(), 1u);
  gate.open();
  // Once the regular worker takes "h", "h-light" is its client's next job, and either worker may run it.
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 3; }));
}

TEST(FairScheduling, SubmitAllAdmitsOrRefusesTogether) {
  WorkerPoolOptions options;
  options.queue_seconds = 1.0;
  WorkerPool pool(1, 1000, options);
  Gate gate;
  occupy(pool, gate);
  Order order;
  ASSERT_TRUE(pool.submit(order.job("x", 0.5, "x")));
  std::vector<WorkerPool::Job> too_much;
  for (int i = 0; i < 3; ++i) too_much.push_back(order.job("b", 0.2, label("big", i)));
  EXPECT_EQ(pool.submit_all(std::move(too_much)).refusal, Refusal::queue_seconds);
  EXPECT_EQ(pool.queued(), 1u);
  std::vector<WorkerPool::Job> fits;
  for (int i = 0; i < 2; ++i) fits.push_back(order.job("b", 0.2, label("small", i)));
  EXPECT_TRUE(pool.submit_all(std::move(fits)));
  EXPECT_EQ(pool.queued(), 3u);
  gate.open();
  ASSERT_TRUE(eventually([&] { return order.ran().size() == 3; }));
}

}  // namespace
}  // namespace kzgd
