#include "service/cache/result_cache.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <spdlog/sinks/null_sink.h>

#include <atomic>
#include <thread>

#include "engine/common/hex.hpp"
#include "tests/service/support/gate.hpp"
#include "tests/service/support/test_certificates.hpp"

namespace kzgd {
namespace {

const std::vector<std::uint8_t> kSetup(32, 0x01);

std::vector<std::uint8_t> blob_bytes(std::uint32_t seed) {
  std::vector<std::uint8_t> b(131072, 0);
  for (int i = 0; i < 4; ++i) b[1 + i] = static_cast<std::uint8_t>(seed >> (8 * i));
  return b;
}

Outcome commitment_of(std::uint32_t seed) {
  std::vector<std::uint8_t> c(48, static_cast<std::uint8_t>(seed));
  return {kzg::hex_encode(c), std::nullopt};
}

struct Fixture {
  prometheus::Registry registry;
  Logger logger{LogLevel::info, LogFormat::json, std::make_shared<spdlog::sinks::null_sink_mt>()};

  std::unique_ptr<ResultCache> make(std::size_t memory_bytes) {
    ResultCache::Options options;
    options.config.memory_bytes = memory_bytes;
    return std::make_unique<ResultCache>(std::move(options), nullptr, registry, logger);
  }
};

struct Served {
  Outcome outcome;
  std::string status;
};

// Serves a request whose answer lands in `out` (which must outlive the call: a waiting request is answered later,
// from the thread that computes).
void serve_into(ResultCache& cache, const std::string& op, std::uint32_t seed, std::atomic<int>& computed, Served& out,
                std::function<Outcome()> compute = {}) {
  BinaryInput input;
  const auto blob = blob_bytes(seed);
  input.fields.emplace_back("blob", blob);
  cache.serve(
      op, OperationInput{nullptr, &input}, kSetup,
      [&] {
        ++computed;
        return compute ? compute() : commitment_of(seed);
      },
      [&out](const Outcome& o, const std::string& status) {
        out.outcome = o;
        out.status = status;
      });
}

Served serve(ResultCache& cache, const std::string& op, std::uint32_t seed, std::atomic<int>& computed,
             std::function<Outcome()> compute = {}) {
  Served out;
  serve_into(cache, op, seed, computed, out, std::move(compute));
  return out;
}

TEST(ResultCache, MissThenHitFromMemoryWithCacheStatus) {
  Fixture f;
  auto cache = f.make(1 << 20);
  std::atomic<int> computed{0};
  const Served first = serve(*cache, "blob_to_kzg_commitment", 7, computed);
  EXPECT_EQ(first.status, "kzgd; fwd=miss; stored");
  const Served second = serve(*cache, "blob_to_kzg_commitment", 7, computed);
  EXPECT_EQ(second.status, "kzgd; hit; detail=memory");
  EXPECT_EQ(second.outcome.output, commitment_of(7).output);
  EXPECT_EQ(computed.load(), 1);
  // Another operation on the same blob is another entry.
  serve(*cache, "compute_cells", 7, computed);
  EXPECT_EQ(computed.load(), 2);
  EXPECT_EQ(cache->memory_entries(), 2u);
}

TEST(ResultCache, ErrorsAreNeverCached) {
  Fixture f;
  auto cache = f.make(1 << 20);
  std::atomic<int> computed{0};
  const auto failing = [] { return Outcome{nullptr, kzg::make_error(kzg::ErrorCode::invalid_input, "bad", "blob")}; };
  EXPECT_EQ(serve(*cache, "blob_to_kzg_commitment", 1, computed, failing).status, "kzgd; fwd=miss");
  EXPECT_EQ(serve(*cache, "blob_to_kzg_commitment", 1, computed, failing).status, "kzgd; fwd=miss");
  EXPECT_EQ(computed.load(), 2);
  EXPECT_EQ(cache->memory_entries(), 0u);
}

TEST(ResultCache, MemoryStaysWithinItsByteBoundByEvictingTheLeastRecentlyUsed) {
  Fixture f;
  const std::size_t bound = 4000;  // about 17 commitment entries (48 bytes + overhead each)
  auto cache = f.make(bound);
  std::atomic<int> computed{0};
  for (std::uint32_t i = 0; i < 200; ++i) {
    serve(*cache, "blob_to_kzg_commitment", i, computed);
    ASSERT_LE(cache->memory_bytes(), bound) << i;
  }
  EXPECT_GT(cache->memory_entries(), 5u);
  EXPECT_LT(cache->memory_entries(), 40u);
  // The most recent entry is still there, the first is gone.
  EXPECT_EQ(serve(*cache, "blob_to_kzg_commitment", 199, computed).status, "kzgd; hit; detail=memory");
  EXPECT_EQ(serve(*cache, "blob_to_kzg_commitment", 0, computed).status, "kzgd; fwd=miss; stored");
}

TEST(ResultCache, NoMemoryTierMeansEveryRequestComputes) {
  Fixture f;
  auto cache = f.make(0);
  std::atomic<int> computed{0};
  serve(*cache, "blob_to_kzg_commitment", 3, computed);
  serve(*cache, "blob_to_kzg_commitment", 3, computed);
  EXPECT_EQ(computed.load(), 2);
  EXPECT_EQ(cache->memory_bytes(), 0u);
}

TEST(ResultCache, ConcurrentIdenticalRequestsComputeOnce) {
  Fixture f;
  auto cache = f.make(1 << 20);
  std::atomic<int> computed{0};
  testing::Gate gate;
  std::atomic<bool> computing{false};
  std::vector<Served> results(6);
  std::vector<std::thread> threads;
  // The first computes and blocks; the others arrive while it computes.
  threads.emplace_back([&] {
    serve_into(*cache, "compute_cells", 9, computed, results[0], [&] {
      computing = true;
      gate.wait();
      return commitment_of(9);
    });
  });
  while (!computing) std::this_thread::yield();
  std::atomic<int> returned{0};
  for (int i = 1; i < 6; ++i)
    threads.emplace_back([&, i] {
      serve_into(*cache, "compute_cells", 9, computed, results[i]);
      ++returned;
    });
  // The waiting requests return at once (their answer comes later, from the computing thread).
  while (returned.load() < 5) std::this_thread::yield();
  for (int i = 1; i < 6; ++i) EXPECT_TRUE(results[i].status.empty()) << i;
  gate.open();
  for (auto& t : threads) t.join();
  EXPECT_EQ(computed.load(), 1);
  EXPECT_EQ(results[0].status, "kzgd; fwd=miss; stored");
  for (int i = 1; i < 6; ++i) {
    EXPECT_EQ(results[i].status, "kzgd; fwd=miss; collapsed") << i;
    EXPECT_EQ(results[i].outcome.output, commitment_of(9).output) << i;
  }
}

TEST(ResultCache, UncacheableInputsRunWithoutTheCache) {
  Fixture f;
  auto cache = f.make(1 << 20);
  std::atomic<int> computed{0};
  BinaryInput short_blob;
  const std::vector<std::uint8_t> bytes(10);
  short_blob.fields.emplace_back("blob", bytes);
  std::string status = "unset";
  cache->serve(
      "compute_cells", OperationInput{nullptr, &short_blob}, kSetup,
      [&] {
        ++computed;
        return Outcome{nullptr, kzg::make_error(kzg::ErrorCode::invalid_input, "short", "blob")};
      },
      [&](const Outcome&, const std::string& s) { status = s; });
  EXPECT_EQ(status, "");
  EXPECT_EQ(computed.load(), 1);
}

TEST(ResultCache, MacKeyMustBeLongEnough) {
  testing::TempDir dir;
  const auto short_key = ResultCache::read_mac_key(dir.write("short", "0123456789\n"));
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().field, "cache.mac_key_file");
  const auto key = ResultCache::read_mac_key(dir.write("key", "  " + std::string(64, 'f') + "\n"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 64u);  // surrounding whitespace dropped
  EXPECT_FALSE(ResultCache::read_mac_key((dir.path() / "missing").string()));
}

}  // namespace
}  // namespace kzgd
