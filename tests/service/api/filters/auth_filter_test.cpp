#include "service/api/filters/auth_filter.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_exchange.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;
namespace http = boost::beast::http;

const SystemTime kNow = std::chrono::system_clock::from_time_t(1800000000);  // 2027-01-15

class AuthFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto d = [](const char* key) { return digest_hex(api_key_digest(key)); };
    std::ofstream(path_) << "keys:\n"
                         << "  - {name: verifier, sha256: " << d("k-verify") << ", permissions: [verify]}\n"
                         << "  - {name: batcher, sha256: " << d("k-batch") << ", permissions: [batch, verify]}\n"
                         << "  - {name: off, sha256: " << d("k-off") << ", permissions: [verify], enabled: false}\n"
                         << "  - {name: old, sha256: " << d("k-old")
                         << ", permissions: [verify], expires: 2026-01-01T00:00:00Z}\n"
                         << "  - {name: root, sha256: " << d("k-admin") << ", permissions: [admin]}\n";
    ASSERT_TRUE(store_.reload().ok());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // Runs the filter on a request; the answer when it refused.
  std::optional<HttpResponse> run(const std::string& target, const std::string& operation,
                                  const std::map<std::string, std::string>& headers, TestExchange** kept = nullptr) {
    auto t = std::make_unique<TestExchange>(verb::post, target, headers, "{}", "192.0.2.1:1", operation);
    const bool passed = filter_.pass(t->exchange);
    EXPECT_EQ(passed, !t->answered());
    std::optional<HttpResponse> answer = *t->answer;
    if (kept) {
      kept_ = std::move(t);
      *kept = kept_.get();
    }
    return answer;
  }

  static std::string keys_path() {
    return (std::filesystem::temp_directory_path() /
            ("kzgd_auth_filter_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
             ".yaml"))
        .string();
  }

  const std::string path_ = keys_path();
  ApiKeyStore store_{path_, {}};
  ServiceMetrics metrics_;
  AuthFilter filter_{store_, true, metrics_, [] { return kNow; }};
  std::unique_ptr<TestExchange> kept_;
};

TEST_F(AuthFilterTest, OpenPathsNeedNoKey) {
  EXPECT_FALSE(run("/health", "health", {}).has_value());
  EXPECT_FALSE(run("/ready", "ready", {}).has_value());
  EXPECT_FALSE(run("/metrics", "metrics", {}).has_value());
}

TEST_F(AuthFilterTest, MissingUnknownDisabledAndExpiredKeysAre401) {
  const std::string op = "/v1/verify_kzg_proof";
  auto r = run(op, "verify_kzg_proof", {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(is_error(*r, 401, "missing_api_key", "Authorization"));
  EXPECT_EQ((*r)[http::field::www_authenticate], "Bearer realm=\"kzgd\"");
  r = run(op, "verify_kzg_proof", {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_TRUE(is_error(*r, 401, "missing_api_key", "Authorization"));
  r = run(op, "verify_kzg_proof", {{"Authorization", "Bearer k-nobody"}});
  EXPECT_TRUE(is_error(*r, 401, "unknown_api_key", "Authorization"));
  r = run(op, "verify_kzg_proof", {{"X-API-Key", "k-nobody"}});
  EXPECT_TRUE(is_error(*r, 401, "unknown_api_key", "X-API-Key"));
  r = run(op, "verify_kzg_proof", {{"X-API-Key", "k-off"}});
  EXPECT_TRUE(is_error(*r, 401, "api_key_disabled", "X-API-Key"));
  r = run(op, "verify_kzg_proof", {{"Authorization", "Bearer k-old"}});
  EXPECT_TRUE(is_error(*r, 401, "api_key_expired", "Authorization"));
  EXPECT_NE(body_json(*r)["error"]["message"].get<std::string>().find("2026-01-01T00:00:00Z"), std::string::npos);
  EXPECT_NE(metrics_.render({}).find("kzgd_requests_rejected_total{reason=\"unauthorized\"} 6"), std::string::npos);
}

TEST_F(AuthFilterTest, AcceptedKeysNeedTheOperationsClass) {
  TestExchange* t = nullptr;
  EXPECT_FALSE(run("/v1/verify_kzg_proof", "verify_kzg_proof", {{"Authorization", "bearer  k-verify "}}, &t));
  ASSERT_TRUE(t->exchange.api_key);
  EXPECT_EQ(t->exchange.api_key->name, "verifier");
  const auto r = run("/v1/blob_to_kzg_commitment", "blob_to_kzg_commitment", {{"X-API-Key", "k-verify"}});
  ASSERT_TRUE(r);
  EXPECT_TRUE(is_error(*r, 403, "permission_denied", "operation"));
  EXPECT_NE(body_json(*r)["error"]["message"].get<std::string>().find("\"commit\""), std::string::npos);
  // /debug/* needs admin.
  EXPECT_TRUE(
      is_error(*run("/debug/anything", "unknown", {{"X-API-Key", "k-verify"}}), 403, "permission_denied", "operation"));
  EXPECT_FALSE(run("/debug/anything", "unknown", {{"X-API-Key", "k-admin"}}).has_value());
  EXPECT_NE(metrics_.render({}).find("kzgd_requests_rejected_total{reason=\"forbidden\"} 2"), std::string::npos);
}

TEST_F(AuthFilterTest, BatchNeedsBatchAndEachItemsClass) {
  EXPECT_TRUE(is_error(*run("/v1/batch", "batch", {{"X-API-Key", "k-verify"}}), 403, "permission_denied", "requests"));
  TestExchange* t = nullptr;
  EXPECT_FALSE(run("/v1/batch", "batch", {{"X-API-Key", "k-batch"}}, &t));
  ASSERT_TRUE(t->exchange.check_batch_items);
  const auto items = nlohmann::json::parse(R"([{"op": "verify_kzg_proof", "input": {}}, 5, {"op": 7},
                                               {"op": "verify_blob_kzg_proof", "input": {}}])");
  EXPECT_FALSE(t->exchange.check_batch_items(items).has_value());
  const auto with_commit = nlohmann::json::parse(R"([{"op": "verify_kzg_proof"}, {"op": "blob_to_kzg_commitment"}])");
  const auto refusal = t->exchange.check_batch_items(with_commit);
  ASSERT_TRUE(refusal);
  EXPECT_TRUE(is_error(*refusal, 403, "permission_denied", "requests[1].op"));
}

}  // namespace
}  // namespace kzgd
