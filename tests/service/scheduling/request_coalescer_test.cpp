// RequestCoalescer on a real worker pool, with a backend that records the groups it is given.
#include "service/scheduling/request_coalescer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

namespace kzgd {
namespace {

using nlohmann::json;

// Answers each input with its "id", after `delay`; records the size of every group.
class GroupingBackend : public OperationBackend {
 public:
  explicit GroupingBackend(std::chrono::milliseconds delay = {}) : delay_(delay) {}
  const std::vector<std::string>& operations() const override { return names_; }
  bool ready() const override { return true; }
  Outcome run(std::string_view, const json& input) const override {
    if (input.contains("bad")) return {nullptr, kzg::make_error(kzg::ErrorCode::invalid_input, "bad", "bad")};
    return {input["id"], std::nullopt};
  }
  Outcome run_binary(std::string_view, const BinaryInput&) const override { return {nullptr, std::nullopt}; }
  bool runs_together(std::string_view) const override { return true; }
  std::vector<Outcome> run_together(std::string_view op, std::span<const OperationInput> inputs) const override {
    {
      std::lock_guard lock(mutex_);
      groups_.push_back(inputs.size());
    }
    std::this_thread::sleep_for(delay_);
    return OperationBackend::run_together(op, inputs);
  }
  std::vector<std::size_t> groups() const {
    std::lock_guard lock(mutex_);
    return groups_;
  }

 private:
  std::vector<std::string> names_{"verify"};
  std::chrono::milliseconds delay_;
  mutable std::mutex mutex_;
  mutable std::vector<std::size_t> groups_;
};

// Requests whose answers land in `bodies` (by index) and count down `left`.
struct Answers {
  explicit Answers(int n) : bodies(static_cast<std::size_t>(n)), left(n) {}
  std::vector<std::string> bodies;
  std::vector<unsigned> statuses = std::vector<unsigned>(bodies.size());
  std::atomic<int> left;
  std::promise<void> all;

  CoalescedRequest request(int i, json input) {
    auto ex = std::make_shared<Exchange>();
    ex->request.version(11);
    ex->respond = [this, i](HttpResponse r) {
      bodies[static_cast<std::size_t>(i)] = r.body();
      statuses[static_cast<std::size_t>(i)] = r.result_int();
      if (--left == 0) all.set_value();
    };
    return CoalescedRequest{ex, std::move(input), std::nullopt, false};
  }
  bool wait() { return all.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready; }
};

// Occupies every worker of `pool` until the returned promise is set.
std::shared_ptr<std::promise<void>> hold_workers(WorkerPool& pool) {
  auto gate = std::make_shared<std::promise<void>>();
  auto opened = gate->get_future().share();
  std::atomic<unsigned> started{0};
  for (unsigned t = 0; t < pool.threads(); ++t)
    EXPECT_TRUE(pool.try_submit([opened, &started] {
      ++started;
      opened.wait();
    }));
  while (started.load() < pool.threads()) std::this_thread::yield();
  return gate;
}

TEST(RequestCoalescer, RunsARequestAloneWhenNothingWaits) {
  GroupingBackend backend;
  WorkerPool pool(1, 16);
  ServiceMetrics metrics;
  RequestCoalescer coalescer("verify", backend, pool, metrics, 32);
  Answers answers(1);
  ASSERT_TRUE(pool.try_submit([&] { coalescer.submit(answers.request(0, {{"id", 7}})); }));
  ASSERT_TRUE(answers.wait());
  EXPECT_EQ(answers.bodies[0], R"({"output":7})");
  EXPECT_EQ(backend.groups(), std::vector<std::size_t>{1});
}

TEST(RequestCoalescer, GathersTheRequestsQueuedBehindTheFirst) {
  GroupingBackend backend;
  WorkerPool pool(1, 16);
  ServiceMetrics metrics;
  RequestCoalescer coalescer("verify", backend, pool, metrics, 32);
  Answers answers(5);
  auto gate = hold_workers(pool);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(pool.try_submit([&, i] { coalescer.submit(answers.request(i, {{"id", 10 + i}})); }));
  gate->set_value();
  ASSERT_TRUE(answers.wait());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(answers.bodies[static_cast<std::size_t>(i)], "{\"output\":" + std::to_string(10 + i) + "}");
  EXPECT_EQ(backend.groups(), std::vector<std::size_t>{5});
  const std::string text = metrics.render({});
  EXPECT_NE(text.find("kzgd_coalesced_groups_total 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("kzgd_coalesced_requests_total 5\n"), std::string::npos);
}

TEST(RequestCoalescer, KeepsEachRequestsOwnAnswer) {
  GroupingBackend backend;
  WorkerPool pool(1, 16);
  ServiceMetrics metrics;
  RequestCoalescer coalescer("verify", backend, pool, metrics, 32);
  Answers answers(3);
  auto gate = hold_workers(pool);
  ASSERT_TRUE(pool.try_submit([&] { coalescer.submit(answers.request(0, {{"id", 1}})); }));
  ASSERT_TRUE(pool.try_submit([&] { coalescer.submit(answers.request(1, {{"bad", true}})); }));
  ASSERT_TRUE(pool.try_submit([&] { coalescer.submit(answers.request(2, {{"id", 3}})); }));
  gate->set_value();
  ASSERT_TRUE(answers.wait());
  EXPECT_EQ(answers.bodies[0], R"({"output":1})");
  EXPECT_EQ(answers.statuses[1], 400u);
  EXPECT_NE(answers.bodies[1].find("invalid_input"), std::string::npos);
  EXPECT_EQ(answers.bodies[2], R"({"output":3})");
  EXPECT_EQ(backend.groups(), std::vector<std::size_t>{3});
}

TEST(RequestCoalescer, GroupsAreCappedByMaxBatch) {
  GroupingBackend backend;
  WorkerPool pool(1, 64);
  ServiceMetrics metrics;
  RequestCoalescer coalescer("verify", backend, pool, metrics, 4);
  Answers answers(10);
  auto gate = hold_workers(pool);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(pool.try_submit([&, i] { coalescer.submit(answers.request(i, {{"id", i}})); }));
  gate->set_value();
  ASSERT_TRUE(answers.wait());
  EXPECT_EQ(backend.groups(), (std::vector<std::size_t>{4, 4, 2}));
}

TEST(RequestCoalescer, SharesTheWaitingWorkAmongTheWorkers) {
  GroupingBackend backend(std::chrono::milliseconds(20));
  WorkerPool pool(2, 64);
  ServiceMetrics metrics;
  RequestCoalescer coalescer("verify", backend, pool, metrics, 32);
  Answers answers(8);
  auto gate = hold_workers(pool);
  for (int i = 0; i < 8; ++i)
    ASSERT_TRUE(pool.try_submit([&, i] { coalescer.submit(answers.request(i, {{"id", i}})); }));
  gate->set_value();
  ASSERT_TRUE(answers.wait());
  const auto groups = backend.groups();
  std::size_t total = 0, largest = 0;
  for (std::size_t g : groups) total += g, largest = std::max(largest, g);
  EXPECT_EQ(total, 8u);
  EXPECT_GE(groups.size(), 2u);  // not all on one worker
  EXPECT_LE(largest, 4u);        // the first group's target: (1 + 7 queued) / 2 workers
}

}  // namespace
}  // namespace kzgd
