#include "service/api/filters/rate_limit_filter.hpp"

#include <gtest/gtest.h>

#include "service/security/api_key_store.hpp"
#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_exchange.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;
namespace http = boost::beast::http;

class RateLimitFilterTest : public ::testing::Test {
 protected:
  RateLimitFilterTest() {
    RateLimitPolicy policy;
    policy.default_tier = RateTier{1, 10};
    policy.tiers.emplace("bulk", RateTier{1, 1000});
    filter_ = std::make_unique<RateLimitFilter>(limiter_, std::move(policy), metrics_, [this] { return now_; });
  }

  // A request from an address (or with a key); true when it passed.
  bool send(const std::string& operation, const std::string& client = "192.0.2.1",
            std::shared_ptr<const ApiKey> key = nullptr, std::string body = "{}") {
    last_ = std::make_unique<TestExchange>(verb::post, "/v1/" + operation, std::map<std::string, std::string>{},
                                           std::move(body), client + ":1", operation);
    last_->exchange.client_address = client;
    last_->exchange.api_key = std::move(key);
    const bool passed = filter_->pass(last_->exchange);
    EXPECT_EQ(passed, !last_->answered());
    return passed;
  }

  RateLimiter limiter_{1000};
  ServiceMetrics metrics_;
  RateLimiter::Clock::time_point now_ = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  std::unique_ptr<RateLimitFilter> filter_;
  std::unique_ptr<TestExchange> last_;
};

TEST_F(RateLimitFilterTest, OverTheLimitIs429WithRetryAfterAndRateLimitHeaders) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(send("verify_blob_kzg_proof")) << i;  // 5 x 2 tokens = the burst
  last_->exchange.respond(HttpResponse{http::status::ok, 11});
  EXPECT_EQ(last_->response()["RateLimit-Limit"], "10");
  EXPECT_EQ(last_->response()["RateLimit-Remaining"], "0");
  EXPECT_EQ(last_->response()["RateLimit-Reset"], "10");
  EXPECT_EQ(last_->response()["RateLimit-Policy"], "10;w=10");

  ASSERT_FALSE(send("verify_blob_kzg_proof"));
  const auto& r = last_->response();
  EXPECT_TRUE(is_error(r, 429, "rate_limited", ""));
  EXPECT_EQ(r[http::field::retry_after], "2");  // 2 tokens at 1 per second
  EXPECT_EQ(r["RateLimit-Remaining"], "0");
  EXPECT_EQ(r["RateLimit-Reset"], "10");
  EXPECT_NE(metrics_.render({}).find("kzgd_requests_rejected_total{reason=\"rate_limited\"} 1"), std::string::npos);
  // Another address is another client.
  EXPECT_TRUE(send("verify_blob_kzg_proof", "192.0.2.2"));
  // Time refills the bucket.
  now_ += std::chrono::seconds(2);
  EXPECT_TRUE(send("verify_blob_kzg_proof"));
}

TEST_F(RateLimitFilterTest, OneHeavyRequestExhaustsWhatManyLightOnesDoNot) {
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(send("verify_kzg_proof", "198.51.100.1")) << i;  // 9 x 1 token
  EXPECT_TRUE(send("verify_kzg_proof", "198.51.100.1"));
  EXPECT_TRUE(send("blob_to_kzg_commitment", "198.51.100.2"));  // 11 tokens on a full bucket of 10: in debt
  EXPECT_FALSE(send("verify_kzg_proof", "198.51.100.2"));
  EXPECT_EQ(last_->response()[http::field::retry_after], "2");  // from -1 to +1
}

TEST_F(RateLimitFilterTest, KeysAreClientsByNameWithTheirTier) {
  auto key = std::make_shared<ApiKey>();
  key->name = "indexer";
  key->tier = "bulk";
  // The bulk tier's burst of 1000 allows 90 commitments (990 tokens), from any address.
  for (int i = 0; i < 90; ++i) ASSERT_TRUE(send("blob_to_kzg_commitment", "192.0.2." + std::to_string(i % 200), key));
  EXPECT_FALSE(send("blob_to_kzg_commitment", "192.0.2.250", key));
  EXPECT_NE(body_json(last_->response())["error"]["message"].get<std::string>().find("key indexer"), std::string::npos);
}

TEST_F(RateLimitFilterTest, OnlyOperationsAreLimited) {
  for (int i = 0; i < 20; ++i) {
    TestExchange t(verb::get, "/health", {}, {}, "192.0.2.1:1", "health");
    EXPECT_TRUE(filter_->pass(t.exchange));
  }
  EXPECT_EQ(limiter_.bucket_count(), 0u);
}

TEST_F(RateLimitFilterTest, BatchItemsAreChargedWhenParsed) {
  ASSERT_TRUE(send("batch"));  // one token up front
  ASSERT_TRUE(last_->exchange.check_batch_items);
  const auto three = nlohmann::json::parse(R"([{"op": "verify_kzg_proof"}, {"op": "verify_kzg_proof"},
                                              {"op": "verify_blob_kzg_proof"}])");
  EXPECT_FALSE(last_->exchange.check_batch_items(three).has_value());  // 4 more: 5 left
  const auto heavy = nlohmann::json::parse(R"([{"op": "compute_cells_and_kzg_proofs"}])");
  const auto refusal = last_->exchange.check_batch_items(heavy);  // 105 > burst: needs a full bucket
  ASSERT_TRUE(refusal);
  EXPECT_TRUE(is_error(*refusal, 429, "rate_limited", "requests"));
  // The responder keeps the refusal's own (newer) numbers.
  last_->exchange.respond(*refusal);
  EXPECT_EQ(last_->response()["RateLimit-Remaining"], "5");
}

}  // namespace
}  // namespace kzgd
