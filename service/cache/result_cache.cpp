#include "service/cache/result_cache.hpp"

#include <algorithm>
#include <cstring>

#include "engine/common/hex.hpp"
#include "service/config/value_text.hpp"

namespace kzgd {
namespace {

// What an LRU entry costs beyond its payload: the list node, the index slot, the shared string's control block.
constexpr std::size_t kEntryOverhead = 160;
// The background writer's queue: beyond it, writes are dropped (the answer was served; only sharing is lost).
constexpr std::size_t kMaxQueuedWriteBytes = 32u << 20;

}  // namespace

std::size_t ResultCache::DigestHash::operator()(const CacheDigest& d) const noexcept {
  std::size_t h = 0;
  std::memcpy(&h, d.data(), sizeof h);  // the digest is uniform already
  return h;
}

kzg::Result<std::vector<std::uint8_t>> ResultCache::read_mac_key(const std::string& path) {
  auto secret = config::read_secret_file(path, "cache.mac_key_file");
  if (!secret) return secret.error();
  const std::string& key = *secret;
  if (key.size() < 32)
    return kzg::make_error(kzg::ErrorCode::invalid_config,
                           path + " holds " + std::to_string(key.size()) +
                               " bytes; the cache's MAC key must have at least 32 (e.g. openssl rand -hex 32)",
                           "cache.mac_key_file");
  return std::vector<std::uint8_t>(key.begin(), key.end());
}

ResultCache::ResultCache(Options options, RedisClient* redis, prometheus::Registry& registry, Logger& logger)
    : options_(std::move(options)),
      redis_(redis),
      logger_(logger),
      lookups_(prometheus::BuildCounter()
                   .Name("kzgd_cache_lookups_total")
                   .Help("Result-cache lookups by operation and result: hit_memory, hit_redis, miss, collapsed "
                         "(waited for an identical request in progress)")
                   .Register(registry)),
      integrity_(prometheus::BuildCounter()
                     .Name("kzgd_cache_integrity_failures_total")
                     .Help("Redis cache entries refused by their MAC check, by reason (mac, truncated, format); "
                           "each was recomputed")
                     .Register(registry)),
      redis_writes_(prometheus::BuildCounter()
                        .Name("kzgd_cache_redis_writes_total")
                        .Help("Cache entries written to Redis by result: ok, failed, dropped (the writer's queue "
                              "was full)")
                        .Register(registry)),
      evictions_(prometheus::BuildCounter()
                     .Name("kzgd_cache_evictions_total")
                     .Help("In-process cache entries evicted to stay within cache.memory_bytes")
                     .Register(registry)
                     .Add({})),
      bytes_gauge_(prometheus::BuildGauge()
                       .Name("kzgd_cache_memory_bytes")
                       .Help("Bytes held by the in-process result cache")
                       .Register(registry)
                       .Add({})),
      entries_gauge_(prometheus::BuildGauge()
                         .Name("kzgd_cache_memory_entries")
                         .Help("Entries in the in-process result cache")
                         .Register(registry)
                         .Add({})) {
  prometheus::BuildGauge()
      .Name("kzgd_cache_memory_limit_bytes")
      .Help("cache.memory_bytes: the in-process result cache's bound")
      .Register(registry)
      .Add({})
      .Set(static_cast<double>(options_.config.memory_bytes));
  for (const std::string& op : options_.config.operations.value)
    for (const char* result : {"hit_memory", "hit_redis", "miss", "collapsed"})
      lookups_.Add({{"operation", op}, {"result", result}});
  for (const char* reason : {"mac", "truncated", "format"}) integrity_.Add({{"reason", reason}});
  for (const char* result : {"ok", "failed", "dropped"}) redis_writes_.Add({{"result", result}});
  if (redis_) writer_ = std::thread([this] { run_writer(); });
}

ResultCache::~ResultCache() {
  {
    std::lock_guard lock(writer_mutex_);
    stopping_ = true;
  }
  writer_wake_.notify_all();
  if (writer_.joinable()) writer_.join();
}

bool ResultCache::caches(std::string_view operation) const {
  const auto& ops = options_.config.operations.value;
  return std::find(ops.begin(), ops.end(), operation) != ops.end();
}

std::string ResultCache::redis_key(const CacheDigest& digest) const {
  return options_.redis_prefix + "c:" + kzg::to_hex(digest);
}

void ResultCache::count(std::string_view operation, std::string_view result) {
  lookups_.Add({{"operation", std::string(operation)}, {"result", std::string(result)}}).Increment();
}

void ResultCache::update_gauges() {
  bytes_gauge_.Set(static_cast<double>(bytes_));
  entries_gauge_.Set(static_cast<double>(lru_.size()));
}

std::shared_ptr<const std::string> ResultCache::find_local(const CacheDigest& key) {
  if (options_.config.memory_bytes == 0) return nullptr;
  std::lock_guard lock(lru_mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  if (Clock::now() >= it->second->expires) {
    bytes_ -= it->second->charge;
    lru_.erase(it->second);
    index_.erase(it);
    update_gauges();
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->payload;
}

void ResultCache::store_local(const CacheDigest& key, std::shared_ptr<const std::string> payload) {
  const std::size_t charge = payload->size() + kEntryOverhead;
  if (charge > options_.config.memory_bytes) return;
  std::lock_guard lock(lru_mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->charge;
    lru_.erase(it->second);
    index_.erase(it);
  }
  while (!lru_.empty() && bytes_ + charge > options_.config.memory_bytes) {
    bytes_ -= lru_.back().charge;
    index_.erase(lru_.back().key);
    lru_.pop_back();
    evictions_.Increment();
  }
  const auto ttl =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.config.ttl_seconds));
  lru_.push_front(Entry{key, std::move(payload), Clock::now() + ttl, charge});
  index_.emplace(key, lru_.begin());
  bytes_ += charge;
  update_gauges();
}

std::size_t ResultCache::memory_bytes() const {
  std::lock_guard lock(lru_mutex_);
  return bytes_;
}

std::size_t ResultCache::memory_entries() const {
  std::lock_guard lock(lru_mutex_);
  return lru_.size();
}

void ResultCache::integrity_failure(SealCheck reason, const std::string& key) {
  integrity_.Add({{"reason", std::string(to_string(reason))}}).Increment();
  std::lock_guard lock(log_mutex_);
  const auto now = Clock::now();
  // One line a second at most: a Redis full of forged entries must not flood the log.
  if (now - last_integrity_log_ < std::chrono::seconds(1)) {
    ++integrity_suppressed_;
    return;
  }
  logger_.warn(
      "cache entry in redis failed its integrity check; ignored and recomputed (is something else "
      "writing to kzgd's keys?)",
      {{"key", key}, {"reason", to_string(reason)}, {"suppressed_since_last", integrity_suppressed_}});
  last_integrity_log_ = now;
  integrity_suppressed_ = 0;
}

std::optional<ResultCache::Found> ResultCache::find_shared(const CacheDigest& key, bool& integrity_failed) {
  if (!redis_ || !redis_->up()) return std::nullopt;
  const std::string k = redis_key(key);
  const std::string_view argv[] = {"GET", k};
  const auto reply = redis_->command("cache_get", argv);
  if (!reply || reply->type != RedisValue::Type::string) return std::nullopt;
  std::string_view payload;
  SealCheck check = open_entry(options_.mac_key, k, reply->text, payload);
  if (check == SealCheck::ok && payload.size() > options_.config.max_entry_bytes) check = SealCheck::format;
  std::optional<nlohmann::json> output;
  if (check == SealCheck::ok && !(output = decode_output(payload))) check = SealCheck::format;
  if (check != SealCheck::ok) {
    integrity_failed = true;
    integrity_failure(check, k);
    return std::nullopt;
  }
  return Found{std::string(payload), std::move(*output)};
}

void ResultCache::queue_write(const CacheDigest& key, const std::string& payload) {
  if (!redis_) return;
  std::string k = redis_key(key);
  std::string value = seal_entry(options_.mac_key, k, payload);
  if (value.empty()) return;
  {
    std::lock_guard lock(writer_mutex_);
    if (write_bytes_ + value.size() > kMaxQueuedWriteBytes) {
      redis_writes_.Add({{"result", "dropped"}}).Increment();
      return;
    }
    write_bytes_ += value.size();
    writes_.emplace_back(std::move(k), std::move(value));
  }
  writer_wake_.notify_one();
}

void ResultCache::run_writer() {
  std::unique_lock lock(writer_mutex_);
  while (true) {
    writer_wake_.wait(lock, [&] { return stopping_ || !writes_.empty(); });
    if (stopping_) return;
    auto [key, value] = std::move(writes_.front());
    writes_.pop_front();
    write_bytes_ -= value.size();
    writing_ = true;
    lock.unlock();
    const std::string ttl_ms = std::to_string(static_cast<long long>(options_.config.ttl_seconds * 1000));
    const std::string_view argv[] = {"SET", key, value, "PX", ttl_ms};
    const auto reply = redis_->command("cache_set", argv, options_.write_timeout);
    redis_writes_.Add({{"result", reply && !reply->is_error() ? "ok" : "failed"}}).Increment();
    lock.lock();
    writing_ = false;
    if (writes_.empty()) writer_idle_.notify_all();
  }
}

void ResultCache::flush() {
  std::unique_lock lock(writer_mutex_);
  writer_idle_.wait_for(lock, std::chrono::seconds(5), [&] { return writes_.empty() && !writing_; });
}

void ResultCache::serve(std::string_view operation, const OperationInput& input,
                        std::span<const std::uint8_t> setup_fingerprint, const Compute& compute, Done done) {
  const std::optional<CacheDigest> key =
      caches(operation) ? cache_key(operation, input, setup_fingerprint) : std::nullopt;
  if (!key) return done(compute(), "");

  if (auto payload = find_local(*key)) {
    if (auto output = decode_output(*payload)) {
      count(operation, "hit_memory");
      return done(Outcome{std::move(*output), std::nullopt}, "kzgd; hit; detail=memory");
    }
  }
  {
    std::lock_guard lock(flight_mutex_);
    if (const auto it = in_flight_.find(*key); it != in_flight_.end()) {
      count(operation, "collapsed");
      it->second.push_back(std::move(done));
      return;
    }
    in_flight_.emplace(*key, std::vector<Done>{});
  }

  Outcome outcome;
  std::string status;
  bool integrity_failed = false;
  try {
    if (auto found = find_shared(*key, integrity_failed)) {
      count(operation, "hit_redis");
      store_local(*key, std::make_shared<const std::string>(std::move(found->payload)));
      outcome = Outcome{std::move(found->output), std::nullopt};
      status = "kzgd; hit; detail=redis";
    } else {
      count(operation, "miss");
      outcome = compute();
      status = "kzgd; fwd=miss";
      if (!outcome.error) {
        if (auto payload = encode_output(outcome.output);
            payload && payload->size() <= options_.config.max_entry_bytes) {
          queue_write(*key, *payload);
          store_local(*key, std::make_shared<const std::string>(std::move(*payload)));
          status += "; stored";
        }
      }
      if (integrity_failed) status += "; detail=integrity-failure";
    }
  } catch (const std::exception& e) {
    outcome = Outcome{nullptr, kzg::make_error(kzg::ErrorCode::internal_error, e.what())};
    status.clear();
  }

  std::vector<Done> waiting;
  {
    std::lock_guard lock(flight_mutex_);
    const auto it = in_flight_.find(*key);
    waiting = std::move(it->second);
    in_flight_.erase(it);
  }
  done(outcome, status);
  for (Done& d : waiting) d(outcome, "kzgd; fwd=miss; collapsed");
}

}  // namespace kzgd
