#include "service/security/operation_deadlines.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace kzgd {
namespace {

TEST(OperationDeadlines, DefaultsComeFromTheCatalogue) {
  const OperationDeadlines d;
  EXPECT_EQ(d.seconds("verify_kzg_proof"), 10);
  EXPECT_EQ(d.seconds("verify_cell_kzg_proof_batch"), 30);
  EXPECT_EQ(d.seconds("batch"), 30);
  EXPECT_EQ(d.seconds("not_an_operation"), 10);
}

TEST(OperationDeadlines, ADefaultAppliesToEveryOperationTheListDoesNotName) {
  const auto d = OperationDeadlines::with_overrides("verify_kzg_proof=2, default=5, batch=60, verify_kzg_proof=3");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->seconds("verify_kzg_proof"), 3);  // the last value named wins, whatever the order of default
  EXPECT_EQ(d->seconds("batch"), 60);
  EXPECT_EQ(d->seconds("verify_cell_kzg_proof_batch"), 5);
  EXPECT_EQ(d->seconds("compute_cells"), 5);
  EXPECT_EQ(d->default_seconds(), 5);
}

TEST(OperationDeadlines, BadListsNameTheKey) {
  for (const char* bad : {"verify_kzg_proof", "verify_kzg_proof=", "verify_kzg_proof=0", "verify_kzg_proof=-1",
                          "verify_kzg_proof=3601", "verify_kzg_proof=inf", "verify_kzg_proof=2s", "nope=1"}) {
    const auto d = OperationDeadlines::with_overrides(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, kzg::ErrorCode::invalid_config) << bad;
    EXPECT_EQ(d.error().field, "limits.deadlines") << bad;
  }
  EXPECT_NE(OperationDeadlines::with_overrides("nope=1").error().message.find("the operations are default, batch"),
            std::string::npos);
}

TEST(RequestTimeout, SecondsOrMilliseconds) {
  for (const auto& [text, seconds] : {std::pair{"2.5", 2.5}, std::pair{" 2s ", 2.0}, std::pair{"500ms", 0.5}}) {
    const auto t = parse_request_timeout(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(*t, seconds) << text;
  }
  for (const char* bad : {"", "0", "-1", "3601", "soon", "1 s", "nan", "1e400"}) {
    const auto t = parse_request_timeout(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().field, "X-Request-Timeout") << bad;
  }
}

}  // namespace
}  // namespace kzgd
