// ServiceMetrics: every statistic kzgd exports at GET /metrics, in the Prometheus text format.
//
//   kzgd_http_requests_total{operation,status}        requests answered, by operation and HTTP status
//   kzgd_http_request_duration_seconds{operation}     time from the request read to the response ready
//   kzgd_batch_items_total{operation,outcome}         items of POST /v1/batch, outcome "ok" or "error"
//   kzgd_requests_shed_total                          503 answers of the overload manager
//   (service/scheduling/worker_pool.hpp) kzgd_requests_shed_by_reason_total{reason}        the same by reason:
//   queue_full, queue_seconds, deadline kzgd_requests_dropped_total{reason}               admitted requests dropped
//   unrun: deadline (answered 504),
//                                                     client_gone (the client disconnected while it waited)
//   kzgd_coalesced_groups_total, kzgd_coalesced_requests_total
//                                                     groups of requests run together (workers.coalesce) and
//                                                     the requests in them; requests / groups = mean group size
//   kzgd_requests_rejected_total{reason}              refused before any work: body_too_large, batch_too_large,
//                                                     unauthorized, forbidden, rate_limited
//   kzgd_work_in_flight, kzgd_work_queued             tasks running on and waiting for the workers
//   kzgd_work_queued_seconds, kzgd_work_waiting_clients
//                                                     estimated CPU-seconds waiting; clients with work waiting
//   kzgd_work_cost_scale                              measured run time / estimated cost of recent work
//   kzgd_workers_threads, kzgd_workers_queue_limit    the pool's configured size
//   kzgd_http_connections_open                        client connections currently open
//   kzgd_http_connections_closed_total{reason}        connections the server closed to protect itself
//                                                     (http/close_reason.hpp: connection_limit, header_timeout, ...)
//   kzgd_tls_reloads_total{outcome}                   certificate reloads (SIGHUP), outcome "ok" or "error"
//   kzgd_tls_certificate_expiry_timestamp_seconds     the served certificate's notAfter (Unix time); only with TLS
//   kzgd_ready                                        1 when /ready answers 200
//   kzgd_build_info{version,compiler,build_type}      always 1
//   kzgd_redis_*, kzgd_rate_limit_*, kzgd_cache_*     Redis, the shared rate limits and the result cache
//                                                     (redis/redis_client.hpp, cache/result_cache.hpp)
//   kzgd_memory_*, kzgd_cpu_*, kzgd_operation_latency_seconds, kzgd_tracing_*, kzgd_health_check_ok
//                                                     the diagnostics (diagnostics/diagnostics.hpp), via add_collector
//   process_*                                         memory, CPU seconds, file descriptors, start time
//
// "operation" is a spec function name, or batch, health, ready, metrics, debug (/debug/*), or unknown (any other
// path), so the label's values stay a small fixed set whatever clients send.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "service/http/close_reason.hpp"

namespace kzgd {

// Values read at scrape time.
struct RuntimeSnapshot {
  std::size_t work_in_flight = 0;
  std::size_t work_queued = 0;
  double work_queued_seconds = 0;
  std::size_t work_waiting_clients = 0;
  double work_cost_scale = 1;
  std::size_t workers_threads = 0;
  std::size_t workers_queue_limit = 0;
  std::size_t connections_open = 0;
  bool ready = false;
};

class ServiceMetrics {
 public:
  ServiceMetrics();

  void record_request(std::string_view operation, unsigned status, double seconds);
  // A gRPC call (or one message of a VerifyStream) answered: its method ("VerifyKzgProof") and status code
  // ("OK", "INVALID_ARGUMENT", ...), in kzgd_grpc_* families, apart from HTTP's status codes.
  void record_grpc(std::string_view method, std::string_view code, double seconds);
  void add_grpc_streams(int delta);
  void record_batch_item(std::string_view operation, bool ok);
  void record_shed(std::string_view reason);     // queue_full, queue_seconds or deadline
  void record_dropped(std::string_view reason);  // deadline or client_gone
  void record_coalesced(std::size_t group_size);
  void record_rejected(std::string_view reason);
  void record_connection_closed(CloseReason reason);  // lock-free: called on the I/O threads
  void record_tls_reload(bool ok);
  // The certificate now served expires at this Unix time (set at start-up and on each successful reload).
  void set_tls_certificate_expiry(double unix_seconds);

  // Adds families rendered after the registry's (the diagnostics' gauges, read at scrape time).
  void add_collector(std::function<std::vector<prometheus::MetricFamily>()> collector) {
    collectors_.push_back(std::move(collector));
  }

  // The registry the components with metrics of their own (redis/, cache/) add their families to.
  prometheus::Registry& registry() { return *registry_; }

  // The exposition (text format 0.0.4), after setting the gauges from the snapshot.
  std::string render(const RuntimeSnapshot& snapshot);

  // The content type of render()'s output.
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Family<prometheus::Counter>& grpc_requests_;
  prometheus::Family<prometheus::Histogram>& grpc_durations_;
  prometheus::Gauge& grpc_streams_;
  prometheus::Family<prometheus::Counter>& batch_items_;
  prometheus::Counter& shed_;
  prometheus::Family<prometheus::Counter>& shed_reasons_;
  prometheus::Family<prometheus::Counter>& dropped_;
  prometheus::Counter& coalesced_groups_;
  prometheus::Counter& coalesced_requests_;
  prometheus::Family<prometheus::Counter>& rejected_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& queued_;
  prometheus::Gauge& queued_seconds_;
  prometheus::Gauge& waiting_clients_;
  prometheus::Gauge& cost_scale_;
  prometheus::Gauge& threads_;
  prometheus::Gauge& queue_limit_;
  prometheus::Gauge& connections_;
  prometheus::Gauge& ready_;
  std::array<prometheus::Counter*, kCloseReasons.size()> connections_closed_{};
  prometheus::Family<prometheus::Counter>& tls_reloads_;
  prometheus::Family<prometheus::Gauge>& tls_expiry_;
  std::vector<std::function<std::vector<prometheus::MetricFamily>()>> collectors_;
};

}  // namespace kzgd
