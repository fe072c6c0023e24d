// Tracing's options (tracing.*): spans exported with OTLP/HTTP JSON (service/tracing/span_exporter.hpp).
#pragma once

#include <cstddef>
#include <string>

#include "service/config/section.hpp"

namespace kzgd {

struct TracingOptions {
  std::string endpoint;                // http(s)://HOST:PORT/v1/traces; empty: no export
  std::string ca_file;                 // PEM CAs an https:// collector is verified against; empty: the system's
  double sample_ratio = 1;             // of new traces (a client's traceparent decides for its own)
  std::size_t queue_size = 2048;       // spans waiting for export; beyond it, dropped and counted
  std::size_t batch_size = 256;        // spans per export request
  double batch_delay_seconds = 1;      // longest wait for a batch to fill
  double timeout_seconds = 2;          // one export request, connect to answer
  unsigned max_retries = 3;            // retries of a failed export request
  double retry_backoff_seconds = 0.1;  // first retry delay, doubled each retry, with jitter
  unsigned breaker_failures = 5;       // failed exports in a row that open the circuit breaker
  double breaker_reset_seconds = 30;   // how long the breaker stays open before a trial export

  static void declare(config::Section<TracingOptions>& s);
};

}  // namespace kzgd
