// GrpcServer: the gRPC API (proto/kzg/v1/kzg.proto) on its own listener (grpc.listen), beside HTTP.
//
// A call does not get a second implementation of the API: it becomes the request the HTTP API's chain takes
// (service/api/api_handler.hpp), POST /v1/<operation> with the call's metadata as headers, its deadline as
// X-Request-Timeout and a binary body where the operation has one (grpc_codec.hpp). So the access lists, API
// keys ("authorization: Bearer KEY" or "x-api-key"), permissions, rate limits and their costs, the overload
// manager's fair shares and load shedding, request coalescing, the worker pool, the access log and the tracing
// are the very ones HTTP requests go through, and the chain's answer is turned into the response message or a
// status. The chain's metrics and log lines say gRPC (kzgd_grpc_* families, "protocol": "grpc").
//
// Beside kzg.v1.Kzg it serves grpc.health.v1.Health (SERVING once the setup is loaded, NOT_SERVING while it
// loads and from the start of a drain) and server reflection. Messages are limited to limits.max_body_bytes.
// With tls.enabled the listener uses the same certificate, key and client CA files (mutual TLS included).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/common/result.hpp"
#include "service/grpc/grpc_options.hpp"
#include "service/http/http_server.hpp"
#include "service/http/tls_options.hpp"

namespace grpc {
class Server;
}

namespace kzgd {

class ServiceMetrics;

class GrpcServer {
 public:
  struct Options {
    GrpcOptions grpc;
    std::size_t max_message_bytes = 16u << 20;
    std::optional<TlsOptions> tls;  // set when tls.enabled
    // Whether the service takes work (health SERVING); polled.
    std::function<bool()> serving;
  };

  // handler: the HTTP API's chain (ApiHandler::handle); metrics: kzgd_grpc_streams_open.
  GrpcServer(Options options, RequestHandler handler, ServiceMetrics& metrics);
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Listens and serves; the address bound (the port resolved for port 0). An error names grpc.listen.
  kzg::Result<ListenAddress> start();

  // Health turns NOT_SERVING, the listener closes and new calls are refused (UNAVAILABLE); calls in progress
  // get until `deadline` to finish, then are cancelled. Idempotent.
  void shutdown(std::chrono::system_clock::time_point deadline);

  class KzgService;

 private:
  void watch_health();

  Options options_;
  RequestHandler handler_;
  ServiceMetrics& metrics_;
  std::unique_ptr<KzgService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread health_;
};

}  // namespace kzgd
