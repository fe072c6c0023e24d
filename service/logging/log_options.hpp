// The logger's options (log.*).
#pragma once

#include <string>

#include "service/config/section.hpp"

namespace kzgd {

enum class LogLevel { debug, info, warn, error, off };
enum class LogFormat { json, text };

struct LogOptions {
  LogLevel level = LogLevel::info;
  LogFormat format = LogFormat::json;

  static void declare(config::Section<LogOptions>& s) {
    s.choice<LogLevel>("level", &LogOptions::level,
                       {{"debug", LogLevel::debug},
                        {"info", LogLevel::info},
                        {"warn", LogLevel::warn},
                        {"error", LogLevel::error},
                        {"off", LogLevel::off}});
    s.choice<LogFormat>("format", &LogOptions::format, {{"json", LogFormat::json}, {"text", LogFormat::text}});
  }
};

std::string to_string(LogLevel level);
std::string to_string(LogFormat format);

}  // namespace kzgd
