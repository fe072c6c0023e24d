#include "service/diagnostics/profiler.hpp"

#include <algorithm>
#include <cmath>

namespace kzgd {
namespace {

constexpr double kNanosPerSecond = 1e9;

// Nearest rank over sorted values.
std::uint64_t nearest_rank(const std::vector<std::uint64_t>& sorted, double q) {
  const auto n = sorted.size();
  const auto rank = std::max<std::size_t>(
      1, std::min<std::size_t>(n, static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)))));
  return sorted[rank - 1];
}

LatencySummary summarize(const LatencyHistogram& h) {
  LatencySummary s;
  s.count = h.count();
  if (s.count == 0) return s;
  s.min = static_cast<double>(h.min()) / kNanosPerSecond;
  s.max = static_cast<double>(h.max()) / kNanosPerSecond;
  s.mean = h.mean() / kNanosPerSecond;
  s.p50 = static_cast<double>(h.percentile(0.50)) / kNanosPerSecond;
  s.p95 = static_cast<double>(h.percentile(0.95)) / kNanosPerSecond;
  s.p99 = static_cast<double>(h.percentile(0.99)) / kNanosPerSecond;
  return s;
}

template <class Samples>
LatencySummary summarize_exact(const Samples& samples) {
  LatencySummary s;
  s.count = samples.size();
  if (s.count == 0) return s;
  std::vector<std::uint64_t> v;
  v.reserve(samples.size());
  long double sum = 0;
  for (const auto& x : samples) {
    v.push_back(x.nanos);
    sum += static_cast<long double>(x.nanos);
  }
  std::sort(v.begin(), v.end());
  s.min = static_cast<double>(v.front()) / kNanosPerSecond;
  s.max = static_cast<double>(v.back()) / kNanosPerSecond;
  s.mean = static_cast<double>(sum / static_cast<long double>(v.size())) / kNanosPerSecond;
  s.p50 = static_cast<double>(nearest_rank(v, 0.50)) / kNanosPerSecond;
  s.p95 = static_cast<double>(nearest_rank(v, 0.95)) / kNanosPerSecond;
  s.p99 = static_cast<double>(nearest_rank(v, 0.99)) / kNanosPerSecond;
  return s;
}

nlohmann::json summary_json(const LatencySummary& s) {
  auto ms = [](double seconds) { return std::round(seconds * 1e9) / 1e6; };
  return {{"count", s.count},    {"min_ms", ms(s.min)}, {"mean_ms", ms(s.mean)}, {"max_ms", ms(s.max)},
          {"p50_ms", ms(s.p50)}, {"p95_ms", ms(s.p95)}, {"p99_ms", ms(s.p99)}};
}

}  // namespace

Profiler::Profiler(std::chrono::seconds window, Now now, std::size_t max_window_samples)
    : window_(window), now_(std::move(now)), max_window_samples_(std::max<std::size_t>(1, max_window_samples)) {}

void Profiler::expire(Entry& e, Clock::time_point now) const {
  while (!e.recent.empty() && now - e.recent.front().at >= window_) e.recent.pop_front();
}

void Profiler::record(std::string_view operation, std::chrono::nanoseconds duration) {
  const auto nanos = static_cast<std::uint64_t>(std::max<std::int64_t>(0, duration.count()));
  const auto now = now_();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(operation);
  if (it == entries_.end()) it = entries_.emplace(std::string(operation), Entry{}).first;
  Entry& e = it->second;
  e.since_start.record(nanos);
  e.recent.push_back({now, nanos});
  if (e.recent.size() > max_window_samples_) e.recent.pop_front();
  expire(e, now);
}

std::vector<OperationProfile> Profiler::snapshot() const {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  std::vector<OperationProfile> out;
  for (auto& [name, e] : entries_) {
    expire(e, now);
    out.push_back({name, summarize(e.since_start), summarize_exact(e.recent)});
  }
  return out;
}

nlohmann::json profile_json(const std::vector<OperationProfile>& profiles, std::chrono::seconds window) {
  nlohmann::json ops = nlohmann::json::array();
  for (const auto& p : profiles)
    ops.push_back(
        {{"operation", p.operation}, {"since_start", summary_json(p.since_start)}, {"window", summary_json(p.window)}});
  return {{"window_seconds", window.count()}, {"operations", std::move(ops)}};
}

}  // namespace kzgd
