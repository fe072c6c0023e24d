#include "service/logging/logger.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace kzgd {
namespace {

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buf;
}

// Text values are written bare when they are simple words, else as JSON strings.
std::string text_value(const LogFields& v) {
  if (!v.is_string()) return v.dump();
  const auto& s = v.get_ref<const std::string&>();
  const bool bare = !s.empty() && s.find_first_of(" \"=\\\n\t") == std::string::npos;
  return bare ? s : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Logger::Logger(LogLevel level, LogFormat format, spdlog::sink_ptr sink) : level_(level), format_(format) {
  if (!sink) sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  sink_logger_ = std::make_shared<spdlog::logger>("kzgd", std::move(sink));
  sink_logger_->set_pattern("%v");
  sink_logger_->set_level(spdlog::level::trace);
  // Lines are flushed one by one so that a crash or a container's log collector loses none.
  sink_logger_->flush_on(spdlog::level::trace);
}

std::string Logger::format_line(LogLevel level, std::string_view message, const LogFields& fields) const {
  if (format_ == LogFormat::json) {
    LogFields line;
    line["time"] = utc_timestamp();
    line["level"] = to_string(level);
    line["message"] = message;
    if (fields.is_object())
      for (const auto& [k, v] : fields.items()) line[k] = v;
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string line = utc_timestamp() + " " + to_string(level) + " " + std::string(message);
  if (fields.is_object())
    for (const auto& [k, v] : fields.items()) line += " " + k + "=" + text_value(v);
  return line;
}

void Logger::log(LogLevel level, std::string_view message, const LogFields& fields) {
  if (!enabled(level)) return;
  sink_logger_->log(spdlog::level::info, "{}", format_line(level, message, fields));
}

std::string to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::off:
      return "off";
  }
  return "info";
}

std::string to_string(LogFormat format) { return format == LogFormat::json ? "json" : "text"; }

}  // namespace kzgd
