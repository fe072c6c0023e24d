// ResultCache: the answers of deterministic, expensive operations (cache.operations), kept so that a repeated
// request is answered without the work, on this replica or, through Redis, on any replica of the fleet.
//
//   lookup   the key (cache_codec.hpp: operation, setup fingerprint, canonical input) in the in-process LRU,
//            bounded in bytes (cache.memory_bytes); then, when Redis is configured and up, in Redis, within the
//            request's Redis budget (redis/redis_client.hpp).
//   single   identical requests on one replica compute once: the first computes, the others wait for its answer
//   flight   without holding a worker ("collapsed").
//   store    a computed answer goes into the LRU at once and to Redis by a background writer (SET with the TTL),
//            so no request waits for the write; when the writer falls behind, writes are dropped and counted.
//   trust    Redis is not trusted: every entry carries an HMAC-SHA256 under cache.mac_key_file, a key only the
//            replicas hold, over its Redis key and payload. An entry that fails the check (changed, truncated,
//            copied from another key) is counted (kzgd_cache_integrity_failures_total), logged, ignored and
//            replaced by the recomputed answer. Errors are never cached.
//
// Every answer says what happened in a Cache-Status header (RFC 9211), e.g. "kzgd; hit; detail=memory".
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "service/api/operation_backend.hpp"
#include "service/cache/cache_codec.hpp"
#include "service/cache/cache_options.hpp"
#include "service/logging/logger.hpp"
#include "service/redis/redis_client.hpp"

namespace kzgd {

class ResultCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Compute = std::function<Outcome()>;
  // The answer, and the Cache-Status value for it (empty: the cache was not involved).
  using Done = std::function<void(const Outcome&, const std::string& cache_status)>;

  struct Options {
    CacheOptions config;
    std::vector<std::uint8_t> mac_key;  // required with redis
    std::string redis_prefix = "kzgd:";
    RedisClient::Duration write_timeout{50};
  };

  // redis: the shared tier (null: this replica only). The registry and the logger must outlive the cache.
  ResultCache(Options options, RedisClient* redis, prometheus::Registry& registry, Logger& logger);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // cache.mac_key_file's secret: at least 32 bytes (surrounding whitespace dropped).
  static kzg::Result<std::vector<std::uint8_t>> read_mac_key(const std::string& path);

  bool caches(std::string_view operation) const;
  bool shared() const { return redis_ != nullptr; }

  // Answers a request through the cache: `done` is called exactly once, on this thread or, when an identical
  // request is being computed, on the thread that computes it. `compute` runs the operation (on this thread).
  void serve(std::string_view operation, const OperationInput& input, std::span<const std::uint8_t> setup_fingerprint,
             const Compute& compute, Done done);

  std::size_t memory_bytes() const;
  std::size_t memory_entries() const;
  // Waits until the background writer has sent what is queued (tests).
  void flush();

  // The Redis key of a digest (tests tamper with it).
  std::string redis_key(const CacheDigest& digest) const;

 private:
  struct DigestHash {
    std::size_t operator()(const CacheDigest& d) const noexcept;
  };
  struct Entry {
    CacheDigest key;
    std::shared_ptr<const std::string> payload;
    Clock::time_point expires;
    std::size_t charge;
  };

  std::shared_ptr<const std::string> find_local(const CacheDigest& key);
  void store_local(const CacheDigest& key, std::shared_ptr<const std::string> payload);
  // An entry read from Redis that passed its checks: its payload (for the memory tier) and its output.
  struct Found {
    std::string payload;
    nlohmann::json output;
  };
  std::optional<Found> find_shared(const CacheDigest& key, bool& integrity_failed);
  void queue_write(const CacheDigest& key, const std::string& payload);
  void run_writer();
  void count(std::string_view operation, std::string_view result);
  void integrity_failure(SealCheck reason, const std::string& key);
  void update_gauges();

  const Options options_;
  RedisClient* const redis_;
  Logger& logger_;

  mutable std::mutex lru_mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<CacheDigest, std::list<Entry>::iterator, DigestHash> index_;
  std::size_t bytes_ = 0;

  std::mutex flight_mutex_;
  std::unordered_map<CacheDigest, std::vector<Done>, DigestHash> in_flight_;

  std::mutex writer_mutex_;
  std::condition_variable writer_wake_, writer_idle_;
  std::deque<std::pair<std::string, std::string>> writes_;  // Redis key, sealed value
  std::size_t write_bytes_ = 0;
  bool writing_ = false;
  bool stopping_ = false;
  std::thread writer_;

  std::mutex log_mutex_;
  Clock::time_point last_integrity_log_{};
  std::size_t integrity_suppressed_ = 0;

  prometheus::Family<prometheus::Counter>& lookups_;
  prometheus::Family<prometheus::Counter>& integrity_;
  prometheus::Family<prometheus::Counter>& redis_writes_;
  prometheus::Counter& evictions_;
  prometheus::Gauge& bytes_gauge_;
  prometheus::Gauge& entries_gauge_;
};

}  // namespace kzgd
