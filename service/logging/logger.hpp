// Structured logs: one JSON object per line (log.format: json) or "time level message key=value ..." lines
// (log.format: text), written through spdlog. Every line has "time" (UTC, RFC 3339, milliseconds), "level" and
// "message"; callers add fields such as request_id, operation, status, duration_ms and client.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "service/logging/log_options.hpp"

namespace kzgd {

// Fields of a log line, in the order they are written.
using LogFields = nlohmann::ordered_json;

class Logger {
 public:
  // sink: where lines go; null means standard output.
  Logger(LogLevel level, LogFormat format, spdlog::sink_ptr sink = nullptr);

  bool enabled(LogLevel level) const { return level >= level_ && level_ != LogLevel::off; }
  void log(LogLevel level, std::string_view message, const LogFields& fields = LogFields::object());
  void debug(std::string_view m, const LogFields& f = LogFields::object()) { log(LogLevel::debug, m, f); }
  void info(std::string_view m, const LogFields& f = LogFields::object()) { log(LogLevel::info, m, f); }
  void warn(std::string_view m, const LogFields& f = LogFields::object()) { log(LogLevel::warn, m, f); }
  void error(std::string_view m, const LogFields& f = LogFields::object()) { log(LogLevel::error, m, f); }

  // A line as it would be written (for tests and for messages printed before logging is configured).
  std::string format_line(LogLevel level, std::string_view message, const LogFields& fields) const;

 private:
  LogLevel level_;
  LogFormat format_;
  std::shared_ptr<spdlog::logger> sink_logger_;
};

}  // namespace kzgd
