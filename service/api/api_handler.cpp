#include "service/api/api_handler.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "service/api/codecs/error_status.hpp"
#include "service/api/codecs/responses.hpp"

namespace kzgd {

namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxLoggedPath = 256;

bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::uint64_t random_id_base() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32) ^ rd();
}

Span grpc_span(const AccessRecord& r, GrpcStatus code) {
  Span s;
  s.trace_id = r.trace.trace_id;
  s.span_id = r.trace.span_id;
  s.parent_span_id = r.parent_span_id;
  s.name = "kzg.v1.Kzg/" + r.grpc_method;
  s.kind = SpanKind::server;
  s.start_unix_nanos = r.start_unix_nanos;
  s.end_unix_nanos = std::max(unix_nanos_now(), r.start_unix_nanos);
  s.attributes = {{"rpc.system", std::string("grpc")}, {"rpc.service", std::string("kzg.v1.Kzg")},
                  {"rpc.method", r.grpc_method},       {"rpc.grpc.status_code", static_cast<std::int64_t>(code)},
                  {"kzgd.operation", r.operation},     {"kzgd.request_id", r.request_id},
                  {"client.address", r.client}};
  // The gRPC semantic conventions' server errors: the codes that are the server's fault.
  if (code == GrpcStatus::unknown || code == GrpcStatus::deadline_exceeded || code == GrpcStatus::unimplemented ||
      code == GrpcStatus::internal || code == GrpcStatus::unavailable || code == GrpcStatus::data_loss) {
    s.error = true;
    s.status_message = std::string(to_string(code));
  }
  return s;
}

Span request_span(const AccessRecord& r, unsigned status) {
  Span s;
  s.trace_id = r.trace.trace_id;
  s.span_id = r.trace.span_id;
  s.parent_span_id = r.parent_span_id;
  s.name = r.method + " " + r.operation;
  s.kind = SpanKind::server;
  s.start_unix_nanos = r.start_unix_nanos;
  s.end_unix_nanos = std::max(unix_nanos_now(), r.start_unix_nanos);
  s.attributes = {{"http.request.method", r.method},
                  {"url.path", r.path},
                  {"http.response.status_code", static_cast<std::int64_t>(status)},
                  {"kzgd.operation", r.operation},
                  {"kzgd.request_id", r.request_id},
                  {"client.address", r.client}};
  // Server spans are errors for 5xx only (OpenTelemetry HTTP semantic conventions).
  if (status >= 500) {
    s.error = true;
    s.status_message = "HTTP " + std::to_string(status);
  }
  return s;
}

}  // namespace

ApiHandler::ApiHandler(const Router& router, ServiceMetrics& metrics, Logger& logger, std::size_t max_body_bytes,
                       ApiFilters filters, Tracer* tracer)
    : router_(router),
      metrics_(metrics),
      logger_(logger),
      max_body_bytes_(max_body_bytes),
      filters_(std::move(filters)),
      tracer_(tracer),
      id_base_(random_id_base()) {}

std::string ApiHandler::request_id_for(const HttpRequest& request) {
  const auto given = request["X-Request-Id"];
  if (sane_request_id(std::string_view(given.data(), given.size()))) return std::string(given);
  char buf[17];
  const auto id = id_base_ + id_counter_++;
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
  return buf;
}

Responder ApiHandler::observed(std::shared_ptr<AccessRecord> record, Responder respond) {
  if (!record->grpc_method.empty()) return observed_grpc(std::move(record), std::move(respond));
  return [this, record = std::move(record), respond = std::move(respond)](HttpResponse response) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - record->received).count();
    const unsigned status = response.result_int();
    response.set("X-Request-Id", record->request_id);
    response.set(http::field::server, "kzgd");
    metrics_.record_request(record->operation, status, seconds);
    if (tracer_) {
      response.set("traceparent", format_traceparent(record->trace));
      tracer_->finish(request_span(*record, status), record->trace.sampled);
    }
    // 503s are routine (load shedding, start-up, draining) and counted in the metrics; other 5xx are not.
    const LogLevel level = status >= 500 && status != 503 ? LogLevel::warn : LogLevel::info;
    if (logger_.enabled(level)) {
      logger_.log(level, "request",
                  {{"request_id", record->request_id},
                   {"method", record->method},
                   {"path", record->path},
                   {"operation", record->operation},
                   {"status", status},
                   {"duration_ms", std::round(seconds * 1e6) / 1e3},
                   {"client", record->client},
                   {"bytes_in", record->bytes_in},
                   {"bytes_out", response.body().size()}});
    }
    respond(std::move(response));
  };
}

Responder ApiHandler::observed_grpc(std::shared_ptr<AccessRecord> record, Responder respond) {
  return [this, record = std::move(record), respond = std::move(respond)](HttpResponse response) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - record->received).count();
    const GrpcStatus code = grpc_code_of(response);
    response.set("X-Request-Id", record->request_id);
    metrics_.record_grpc(record->grpc_method, to_string(code), seconds);
    if (tracer_) {
      response.set("traceparent", format_traceparent(record->trace));
      tracer_->finish(grpc_span(*record, code), record->trace.sampled);
    }
    const bool server_fault = code == GrpcStatus::internal || code == GrpcStatus::unknown;
    const LogLevel level = server_fault ? LogLevel::warn : LogLevel::info;
    if (logger_.enabled(level)) {
      logger_.log(level, "request",
                  {{"request_id", record->request_id},
                   {"protocol", "grpc"},
                   {"method", record->grpc_method},
                   {"operation", record->operation},
                   {"grpc_code", to_string(code)},
                   {"duration_ms", std::round(seconds * 1e6) / 1e3},
                   {"client", record->client},
                   {"bytes_in", record->bytes_in},
                   {"bytes_out", response.body().size()}});
    }
    respond(std::move(response));
  };
}

void ApiHandler::handle(HttpRequest&& request, RequestInfo info, Responder respond) {
  auto record = std::make_shared<AccessRecord>();
  record->request_id = request_id_for(request);
  record->method = std::string(request.method_string());
  const std::string_view target(request.target().data(), request.target().size());
  record->path = std::string(target.substr(0, std::min(target.find('?'), kMaxLoggedPath)));
  record->client = info.client;
  record->grpc_method = info.grpc_method;
  record->received = info.received;
  record->bytes_in = request.body().size();
  if (tracer_) {
    const auto header = request["traceparent"];
    const auto parent = parse_traceparent(std::string_view(header.data(), header.size()));
    record->trace = tracer_->start_context(parent);
    if (parent) record->parent_span_id = parent->span_id;
    record->start_unix_nanos = unix_nanos_now();
  }
  const unsigned version = request.version();
  const bool body_too_large = info.body_too_large;
  Responder answer = observed(record, std::move(respond));
  Exchange exchange{std::move(request), std::move(info), std::move(record), std::move(answer)};
  exchange.client_address = exchange.info.client;
  for (RequestFilter* filter : filters_.before_routing)
    if (!filter->pass(exchange)) return;

  const std::string_view routed(exchange.request.target().data(), exchange.request.target().size());
  RouteMatch route = router_.resolve(exchange.record->method, routed);
  exchange.record->operation = route.operation;
  if (route.endpoint == nullptr) {
    HttpResponse r = error_response(route.error, version);
    if (!route.allow.empty()) r.set(http::field::allow, route.allow);
    return exchange.respond(std::move(r));
  }
  if (body_too_large) {
    metrics_.record_rejected("body_too_large");
    return exchange.respond(error_response(
        kzg::make_error(
            kzg::ErrorCode::body_too_large,
            "the request body exceeds " + std::to_string(max_body_bytes_) + " bytes (limits.max_body_bytes)", "body"),
        version));
  }
  for (RequestFilter* filter : filters_.after_routing)
    if (!filter->pass(exchange)) return;
  route.endpoint->handle(std::move(exchange));
}

}  // namespace kzgd
