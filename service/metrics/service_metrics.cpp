#include "service/metrics/service_metrics.hpp"

#include <prometheus/text_serializer.h>

#include <sstream>

#include "service/metrics/process_metrics.hpp"

#ifndef KZGD_VERSION
#define KZGD_VERSION "unknown"
#endif
#ifndef KZGD_BUILD_TYPE
#define KZGD_BUILD_TYPE "unknown"
#endif

namespace kzgd {
namespace {

// From half a millisecond (a verify_kzg_proof) to ten seconds (a large batch).
const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries b{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                         0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return b;
}

prometheus::Gauge& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

ServiceMetrics::ServiceMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("kzgd_http_requests_total")
                    .Help("HTTP requests answered, by operation and status code.")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("kzgd_http_request_duration_seconds")
                     .Help("Time from a request read to its response ready, by operation.")
                     .Register(*registry_)),
      grpc_requests_(prometheus::BuildCounter()
                         .Name("kzgd_grpc_requests_total")
                         .Help("gRPC calls answered (VerifyStream: messages), by method and gRPC status code.")
                         .Register(*registry_)),
      grpc_durations_(prometheus::BuildHistogram()
                          .Name("kzgd_grpc_request_duration_seconds")
                          .Help("Time from a gRPC call (or VerifyStream message) read to its answer ready, by method.")
                          .Register(*registry_)),
      grpc_streams_(gauge(*registry_, "kzgd_grpc_streams_open", "VerifyStream calls open.")),
      batch_items_(prometheus::BuildCounter()
                       .Name("kzgd_batch_items_total")
                       .Help("Items of POST /v1/batch, by operation and outcome (ok or error).")
                       .Register(*registry_)),
      shed_(prometheus::BuildCounter()
                .Name("kzgd_requests_shed_total")
                .Help("Requests answered 503 by the overload manager (queue full, or no time to run them).")
                .Register(*registry_)
                .Add({})),
      shed_reasons_(prometheus::BuildCounter()
                        .Name("kzgd_requests_shed_by_reason_total")
                        .Help("Requests answered 503 by the overload manager, by reason (queue_full: "
                              "workers.queue_limit; queue_seconds: workers.queue_cpu_seconds; deadline: the "
                              "estimated wait exceeds the request's deadline).")
                        .Register(*registry_)),
      dropped_(prometheus::BuildCounter()
                   .Name("kzgd_requests_dropped_total")
                   .Help("Admitted requests dropped before their work started, by reason (deadline: answered 504; "
                         "client_gone: the client disconnected while the request waited).")
                   .Register(*registry_)),
      coalesced_groups_(prometheus::BuildCounter()
                            .Name("kzgd_coalesced_groups_total")
                            .Help("Groups of concurrent requests run together (one batch verification each).")
                            .Register(*registry_)
                            .Add({})),
      coalesced_requests_(prometheus::BuildCounter()
                              .Name("kzgd_coalesced_requests_total")
                              .Help("Requests answered as part of a coalesced group.")
                              .Register(*registry_)
                              .Add({})),
      rejected_(prometheus::BuildCounter()
                    .Name("kzgd_requests_rejected_total")
                    .Help("Requests refused before any work, by reason.")
                    .Register(*registry_)),
      in_flight_(gauge(*registry_, "kzgd_work_in_flight", "Tasks running on the workers.")),
      queued_(gauge(*registry_, "kzgd_work_queued", "Tasks waiting for a worker.")),
      queued_seconds_(gauge(*registry_, "kzgd_work_queued_seconds",
                            "Estimated CPU-seconds of the work waiting for a worker (the operation catalogue's "
                            "costs).")),
      waiting_clients_(gauge(*registry_, "kzgd_work_waiting_clients", "Clients with work waiting for a worker.")),
      cost_scale_(gauge(*registry_, "kzgd_work_cost_scale",
                        "Measured run time over estimated cost of the work run lately; wait estimates are scaled "
                        "by it.")),
      threads_(gauge(*registry_, "kzgd_workers_threads", "Worker threads (workers.threads).")),
      queue_limit_(gauge(*registry_, "kzgd_workers_queue_limit", "Most tasks waiting (workers.queue_limit).")),
      connections_(gauge(*registry_, "kzgd_http_connections_open", "Client connections open.")),
      ready_(gauge(*registry_, "kzgd_ready", "1 when the service is ready (GET /ready answers 200), else 0.")),
      tls_reloads_(prometheus::BuildCounter()
                       .Name("kzgd_tls_reloads_total")
                       .Help("TLS certificate reloads, by outcome (ok or error).")
                       .Register(*registry_)),
      tls_expiry_(prometheus::BuildGauge()
                      .Name("kzgd_tls_certificate_expiry_timestamp_seconds")
                      .Help("When the TLS certificate now served expires (its notAfter), in Unix seconds.")
                      .Register(*registry_)) {
  auto& closed = prometheus::BuildCounter()
                     .Name("kzgd_http_connections_closed_total")
                     .Help("Client connections closed by the server to protect itself, by reason.")
                     .Register(*registry_);
  for (std::size_t i = 0; i < kCloseReasons.size(); ++i)
    connections_closed_[i] = &closed.Add({{"reason", std::string(to_string(kCloseReasons[i]))}});
  for (const char* outcome : {"ok", "error"}) tls_reloads_.Add({{"outcome", outcome}});
  prometheus::BuildGauge()
      .Name("kzgd_build_info")
      .Help("Build information; the value is always 1.")
      .Register(*registry_)
      .Add({{"version", KZGD_VERSION}, {"compiler", compiler()}, {"build_type", KZGD_BUILD_TYPE}})
      .Set(1);
  // Zero series for the reasons, so rates work before the first rejection.
  for (const char* reason : {"body_too_large", "batch_too_large"}) rejected_.Add({{"reason", reason}});
  for (const char* reason : {"queue_full", "queue_seconds", "deadline"}) shed_reasons_.Add({{"reason", reason}});
  for (const char* reason : {"deadline", "client_gone"}) dropped_.Add({{"reason", reason}});
}

void ServiceMetrics::record_request(std::string_view operation, unsigned status, double seconds) {
  const std::string op(operation);
  requests_.Add({{"operation", op}, {"status", std::to_string(status)}}).Increment();
  durations_.Add({{"operation", op}}, duration_buckets()).Observe(seconds);
}

void ServiceMetrics::record_grpc(std::string_view method, std::string_view code, double seconds) {
  const std::string m(method);
  grpc_requests_.Add({{"method", m}, {"code", std::string(code)}}).Increment();
  grpc_durations_.Add({{"method", m}}, duration_buckets()).Observe(seconds);
}

void ServiceMetrics::add_grpc_streams(int delta) { grpc_streams_.Increment(delta); }

void ServiceMetrics::record_batch_item(std::string_view operation, bool ok) {
  batch_items_.Add({{"operation", std::string(operation)}, {"outcome", ok ? "ok" : "error"}}).Increment();
}

void ServiceMetrics::record_shed(std::string_view reason) {
  shed_.Increment();
  shed_reasons_.Add({{"reason", std::string(reason)}}).Increment();
}

void ServiceMetrics::record_dropped(std::string_view reason) {
  dropped_.Add({{"reason", std::string(reason)}}).Increment();
}

void ServiceMetrics::record_coalesced(std::size_t group_size) {
  coalesced_groups_.Increment();
  coalesced_requests_.Increment(static_cast<double>(group_size));
}

void ServiceMetrics::record_rejected(std::string_view reason) {
  rejected_.Add({{"reason", std::string(reason)}}).Increment();
}

void ServiceMetrics::record_connection_closed(CloseReason reason) {
  connections_closed_[static_cast<std::size_t>(reason)]->Increment();
}

void ServiceMetrics::record_tls_reload(bool ok) { tls_reloads_.Add({{"outcome", ok ? "ok" : "error"}}).Increment(); }

void ServiceMetrics::set_tls_certificate_expiry(double unix_seconds) { tls_expiry_.Add({}).Set(unix_seconds); }

std::string ServiceMetrics::render(const RuntimeSnapshot& s) {
  in_flight_.Set(static_cast<double>(s.work_in_flight));
  queued_.Set(static_cast<double>(s.work_queued));
  queued_seconds_.Set(s.work_queued_seconds);
  waiting_clients_.Set(static_cast<double>(s.work_waiting_clients));
  cost_scale_.Set(s.work_cost_scale);
  threads_.Set(static_cast<double>(s.workers_threads));
  queue_limit_.Set(static_cast<double>(s.workers_queue_limit));
  connections_.Set(static_cast<double>(s.connections_open));
  ready_.Set(s.ready ? 1 : 0);
  auto families = registry_->Collect();
  for (auto& f : collect_process_metrics()) families.push_back(std::move(f));
  for (const auto& collect : collectors_)
    for (auto& f : collect()) families.push_back(std::move(f));
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace kzgd
