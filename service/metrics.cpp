#include "metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace kzgd {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::size_t open_fds() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
    if (n > 0) --n;  // the descriptor opendir itself holds
  }
  return n;
}

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(15);
  s << v;
  return s.str();
}

}  // namespace

Metrics::Metrics(const std::vector<std::string>& operations) : operations_(operations), start_time_(now_seconds()) {
  operations_.push_back("batch");
}

std::string Metrics::label_for(const std::string& operation) const {
  for (const auto& op : operations_)
    if (op == operation) return op;
  return "other";
}

void Metrics::observe_request(const std::string& operation, int status, double seconds) {
  const std::string op = label_for(operation);
  std::lock_guard lock(mu_);
  ++requests_[{op, status}];
  Histogram& h = latency_[op];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_rejected(const std::string& reason) {
  std::lock_guard lock(mu_);
  ++rejected_[reason];
}

std::string Metrics::render(const Gauges& g) const {
  std::ostringstream o;
  o << "# HELP kzgd_requests_total HTTP requests answered, by operation and status code.\n"
       "# TYPE kzgd_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [k, v] : requests_)
    o << "kzgd_requests_total{operation=\"" << k.first << "\",status=\"" << k.second << "\"} " << v << '\n';
  o << "# HELP kzgd_request_duration_seconds Time from request parsed to response ready, by operation.\n"
       "# TYPE kzgd_request_duration_seconds histogram\n";
  for (const auto& [op, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      o << "kzgd_request_duration_seconds_bucket{operation=\"" << op << "\",le=\"" << fmt(kBuckets[i]) << "\"} "
        << h.counts[i] << '\n';
    o << "kzgd_request_duration_seconds_bucket{operation=\"" << op << "\",le=\"+Inf\"} " << h.count << '\n';
    o << "kzgd_request_duration_seconds_sum{operation=\"" << op << "\"} " << fmt(h.sum) << '\n';
    o << "kzgd_request_duration_seconds_count{operation=\"" << op << "\"} " << h.count << '\n';
  }
  o << "# HELP kzgd_rejected_requests_total Requests refused before any work, by reason.\n"
       "# TYPE kzgd_rejected_requests_total counter\n";
  for (const auto& [reason, v] : rejected_) o << "kzgd_rejected_requests_total{reason=\"" << reason << "\"} " << v << '\n';
  o << "# HELP kzgd_shed_requests_total Requests answered 503 because the work queue was full.\n"
       "# TYPE kzgd_shed_requests_total counter\n"
    << "kzgd_shed_requests_total " << shed_.load() << '\n'
    << "# HELP kzgd_in_flight_requests Requests being handled now.\n# TYPE kzgd_in_flight_requests gauge\n"
    << "kzgd_in_flight_requests " << g.in_flight << '\n'
    << "# HELP kzgd_queued_tasks Engine tasks waiting for a worker.\n# TYPE kzgd_queued_tasks gauge\n"
    << "kzgd_queued_tasks " << g.queued << '\n'
    << "# HELP kzgd_busy_workers Workers running an engine task.\n# TYPE kzgd_busy_workers gauge\n"
    << "kzgd_busy_workers " << g.busy_workers << '\n'
    << "# HELP kzgd_workers Worker threads.\n# TYPE kzgd_workers gauge\n"
    << "kzgd_workers " << g.workers << '\n'
    << "# HELP kzgd_ready 1 when the service accepts work (setup loaded, not draining).\n# TYPE kzgd_ready gauge\n"
    << "kzgd_ready " << (g.ready ? 1 : 0) << '\n'
    << "# HELP kzgd_build_info Build information.\n# TYPE kzgd_build_info gauge\n"
    << "kzgd_build_info{version=\"" << KZGD_VERSION << "\"} 1\n"
    << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
       "# TYPE process_resident_memory_bytes gauge\n"
    << "process_resident_memory_bytes " << resident_bytes() << '\n'
    << "# HELP process_cpu_seconds_total User and system CPU time spent in seconds.\n"
       "# TYPE process_cpu_seconds_total counter\n"
    << "process_cpu_seconds_total " << fmt(cpu_seconds()) << '\n'
    << "# HELP process_open_fds Number of open file descriptors.\n# TYPE process_open_fds gauge\n"
    << "process_open_fds " << open_fds() << '\n';
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0)
    o << "# HELP process_max_fds Maximum number of open file descriptors.\n# TYPE process_max_fds gauge\n"
      << "process_max_fds " << lim.rlim_cur << '\n';
  o << "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
       "# TYPE process_start_time_seconds gauge\n"
    << "process_start_time_seconds " << fmt(start_time_) << '\n';
  return o.str();
}

}  // namespace kzgd
