// Structured logs: one JSON object per line on stderr (or readable text), through spdlog's thread-safe sink.
// Every line has ts, level and msg; callers add fields (request_id, operation, status, duration_ms, client).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kzgd::log {

// level: trace|debug|info|warn|error; format: json|text.
void init(const std::string& level, const std::string& format);

void write(const std::string& level, const std::string& msg, const nlohmann::json& fields = nlohmann::json::object());
inline void info(const std::string& msg, const nlohmann::json& f = nlohmann::json::object()) { write("info", msg, f); }
inline void warn(const std::string& msg, const nlohmann::json& f = nlohmann::json::object()) { write("warn", msg, f); }
inline void error(const std::string& msg, const nlohmann::json& f = nlohmann::json::object()) { write("error", msg, f); }
inline void debug(const std::string& msg, const nlohmann::json& f = nlohmann::json::object()) { write("debug", msg, f); }

}  // namespace kzgd::log
