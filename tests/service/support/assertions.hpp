// Helpers for asserting on kzgd's answers.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "service/http/http_server.hpp"

namespace kzgd::testing {

inline nlohmann::json body_json(const HttpResponse& r) { return nlohmann::json::parse(r.body()); }

// The response is `status` with {"error": {"code": code, ...}}, field as given ("" expects null).
inline ::testing::AssertionResult is_error(const HttpResponse& r, unsigned status, const std::string& code,
                                           const std::string& field) {
  if (r.result_int() != status)
    return ::testing::AssertionFailure() << "status " << r.result_int() << ", expected " << status << ": " << r.body();
  nlohmann::json j;
  try {
    j = body_json(r);
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "body is not JSON: " << r.body();
  }
  const auto& e = j["error"];
  if (!e.is_object() || e["code"] != code || !e["message"].is_string() || e["message"].get<std::string>().empty())
    return ::testing::AssertionFailure() << "expected error code " << code << ": " << r.body();
  const bool field_ok = field.empty() ? e["field"].is_null() : e["field"] == field;
  if (!field_ok) return ::testing::AssertionFailure() << "expected field " << field << ": " << r.body();
  if (r[boost::beast::http::field::content_type] != "application/json")
    return ::testing::AssertionFailure() << "content type " << r[boost::beast::http::field::content_type];
  return ::testing::AssertionSuccess();
}

// Polls until condition() holds (up to ~10 s).
template <class F>
bool eventually(F condition) {
  for (int i = 0; i < 1000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace kzgd::testing
