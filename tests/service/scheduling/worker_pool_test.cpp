#include "service/scheduling/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/gate.hpp"

namespace kzgd {
namespace {

using kzgd::testing::eventually;
using kzgd::testing::Gate;

using namespace std::chrono_literals;

TEST(WorkerPool, RunsEveryAdmittedTask) {
  WorkerPool pool(3, 100);
  std::atomic<int> sum{0};
  std::latch done(50);
  for (int i = 1; i <= 50; ++i)
    ASSERT_TRUE(pool.try_submit([&, i] {
      sum += i;
      done.count_down();
    }));
  done.wait();
  EXPECT_EQ(sum.load(), 50 * 51 / 2);
}

TEST(WorkerPool, RefusesBeyondTheQueueLimit) {
  WorkerPool pool(1, 2);
  Gate gate;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.try_submit([&] {
    gate.wait();
    ++ran;
  }));
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));  // the queue is full: shed
  gate.open();
  ASSERT_TRUE(eventually([&] { return ran == 3; }));
  EXPECT_TRUE(pool.try_submit([] {}));  // room again
}

TEST(WorkerPool, ZeroQueueLimitAdmitsOnlyWhatIdleWorkersTake) {
  WorkerPool pool(2, 0);
  Gate gate;
  EXPECT_TRUE(pool.try_submit([&] { gate.wait(); }));
  EXPECT_TRUE(pool.try_submit([&] { gate.wait(); }));
  EXPECT_FALSE(pool.try_submit([] {}));
  gate.open();
}

TEST(WorkerPool, ContinuationsSkipTheLineAndTheLimit) {
  WorkerPool pool(1, 1);
  Gate gate;
  std::vector<int> order;
  std::mutex m;
  std::latch done(3);
  auto record = [&](int v) {
    std::lock_guard lock(m);
    order.push_back(v);
    done.count_down();
  };
  ASSERT_TRUE(pool.try_submit([&] { gate.wait(); }));
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  ASSERT_TRUE(pool.try_submit([&] { record(1); }));
  EXPECT_FALSE(pool.try_submit([&] { record(99); }));
  pool.post_continuation([&] { record(2); });
  pool.post_continuation([&] { record(3); });
  gate.open();
  done.wait();
  EXPECT_EQ(order, (std::vector<int>{3, 2, 1}));
}

TEST(WorkerPool, StopDropsQueuedTasksAndWaitsForRunningOnes) {
  auto pool = std::make_unique<WorkerPool>(1, 10);
  Gate gate;
  std::atomic<bool> running_finished{false};
  auto witness = std::make_shared<int>(0);
  ASSERT_TRUE(pool->try_submit([&] {
    gate.wait();
    running_finished = true;
  }));
  ASSERT_TRUE(eventually([&] { return pool->running() == 1; }));
  std::atomic<bool> queued_ran{false};
  ASSERT_TRUE(pool->try_submit([&, witness] { queued_ran = true; }));
  EXPECT_EQ(witness.use_count(), 2);
  auto stopped = std::async(std::launch::async, [&] { pool->stop(); });
  ASSERT_TRUE(eventually([&] { return witness.use_count() == 1; }));  // the queued task was destroyed unrun
  gate.open();
  stopped.get();
  EXPECT_TRUE(running_finished);
  EXPECT_FALSE(queued_ran);
  EXPECT_FALSE(pool->try_submit([] {}));
}

}  // namespace
}  // namespace kzgd
