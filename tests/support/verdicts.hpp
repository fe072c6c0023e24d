// A verification's answer as an assertion: EXPECT_TRUE(accepted(verify_...(...))) fails the test with the error's
// message when the function returned an error instead of an answer (dereferencing the Result would throw).
#pragma once

#include <gtest/gtest.h>

#include "engine/common/result.hpp"

namespace kzg::test {

inline ::testing::AssertionResult accepted(const Result<bool>& r) {
  if (!r) return ::testing::AssertionFailure() << "error: " << r.error().message;
  if (!*r) return ::testing::AssertionFailure() << "rejected";
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult rejected(const Result<bool>& r) {
  if (!r) return ::testing::AssertionFailure() << "error: " << r.error().message;
  if (*r) return ::testing::AssertionFailure() << "accepted";
  return ::testing::AssertionSuccess();
}

}  // namespace kzg::test
