#include "log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

namespace kzgd::log {
namespace {

bool g_json = true;

std::shared_ptr<spdlog::logger>& logger() {
  static std::shared_ptr<spdlog::logger> l = [] {
    auto lg = spdlog::stderr_logger_mt("kzgd");
    lg->set_pattern("%v");
    lg->flush_on(spdlog::level::trace);
    return lg;
  }();
  return l;
}

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

void init(const std::string& level, const std::string& format) {
  g_json = format != "text";
  logger()->set_level(spdlog::level::from_str(level));
}

void write(const std::string& level, const std::string& msg, const nlohmann::json& fields) {
  const auto lvl = spdlog::level::from_str(level);
  if (!logger()->should_log(lvl)) return;
  if (g_json) {
    nlohmann::ordered_json line;
    line["ts"] = timestamp();
    line["level"] = level;
    line["msg"] = msg;
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
    logger()->log(lvl, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    std::string s = timestamp() + " " + level + " " + msg;
    for (auto it = fields.begin(); it != fields.end(); ++it) s += " " + it.key() + "=" + it.value().dump();
    logger()->log(lvl, "{}", s);
  }
}

}  // namespace kzgd::log
