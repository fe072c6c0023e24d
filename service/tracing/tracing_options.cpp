#include "service/tracing/tracing_options.hpp"

#include "service/tracing/collector_url.hpp"

namespace kzgd {

void TracingOptions::declare(config::Section<TracingOptions>& s) {
  using T = TracingOptions;
  s.checked_text("endpoint", &T::endpoint, [](const std::string& url) -> std::optional<std::string> {
    std::string why;
    if (!url.empty() && !parse_collector_url(url, &why)) return why + ", got " + config::quoted(url);
    return std::nullopt;
  });
  s.file("ca_file", &T::ca_file);
  s.number("sample_ratio", &T::sample_ratio, 0, 1, "a ratio");
  s.integer("queue_size", &T::queue_size, 1, 1000000);
  s.integer("batch_size", &T::batch_size, 1, 100000);
  s.seconds("batch_delay_seconds", &T::batch_delay_seconds, 0.001, 60);
  s.seconds("timeout_seconds", &T::timeout_seconds, 0.01, 60);
  s.integer("max_retries", &T::max_retries, 0, 10);
  s.seconds("retry_backoff_seconds", &T::retry_backoff_seconds, 0.001, 60);
  s.integer("breaker_failures", &T::breaker_failures, 1, 1000);
  s.seconds("breaker_reset_seconds", &T::breaker_reset_seconds, 0.01, 3600);
}

}  // namespace kzgd
