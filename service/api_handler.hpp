// The HTTP API of kzgd, independent of the network layer: routes a parsed request to the engine through
// the bounded worker pool and produces the response (status, headers, body).
//
//   GET  /health            liveness
//   GET  /ready             200 when the setup is loaded and the server is not draining, else 503
//   GET  /metrics           Prometheus text format
//   POST /v1/<operation>    JSON {input...} -> {"output": ...}; binary bodies for the single-blob operations
//   POST /v1/batch          {"requests": [{"op", "input"}, ...]} -> {"responses": [...]} in order, in parallel
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/dispatch.hpp"
#include "metrics.hpp"
#include "worker_pool.hpp"

namespace kzgd {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // path (query ignored)
  std::string content_type;
  std::string accept;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string operation;  // for logs and metrics: the spec function, "batch", or empty
};

class ApiHandler {
 public:
  // Runs one engine operation (kzg::api::dispatch over the loaded settings in production).
  using Engine = std::function<kzg::api::Outcome(std::string_view op, const nlohmann::json& input)>;
  struct Options {
    std::size_t max_batch_items = 256;
  };

  ApiHandler(Engine engine, std::vector<std::string> operations, WorkerPool& pool, Metrics& metrics, Options options,
             std::function<bool()> ready);

  // Calls `done` exactly once, on this thread or on a worker thread.
  void handle(HttpRequest req, std::function<void(HttpResponse)> done);
  Metrics::Gauges gauges(std::size_t in_flight) const;

 private:
  bool known(std::string_view op) const;
  void handle_operation(const std::string& op, HttpRequest req, std::function<void(HttpResponse)> done);
  void handle_batch(HttpRequest req, std::function<void(HttpResponse)> done);

  Engine engine_;
  std::vector<std::string> operations_;
  WorkerPool& pool_;
  Metrics& metrics_;
  Options options_;
  std::function<bool()> ready_;
};

// {"error": {"code", "message", "field"}} with the given status.
HttpResponse error_response(int status, const std::string& code, const std::string& message,
                            const std::string& field = {});

}  // namespace kzgd
