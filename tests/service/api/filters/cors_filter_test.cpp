#include "service/api/filters/cors_filter.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_exchange.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;
namespace http = boost::beast::http;

// The caller asserts that it parsed.
kzg::Result<CorsPolicy> app_policy() {
  return CorsPolicy::make("https://app.example.org", "GET, POST", "Content-Type, Authorization", 600);
}

TEST(CorsFilter, PreflightFromAnAllowedOriginIsAnswered) {
  const auto policy = app_policy();
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  CorsFilter filter(*policy);
  TestExchange t(verb::options, "/v1/verify_kzg_proof",
                 {{"Origin", "https://app.example.org"},
                  {"Access-Control-Request-Method", "POST"},
                  {"Access-Control-Request-Headers", "content-type, authorization"}});
  EXPECT_FALSE(filter.pass(t.exchange));
  ASSERT_TRUE(t.answered());
  const auto& r = t.response();
  EXPECT_EQ(r.result_int(), 204u);
  EXPECT_EQ(r[http::field::access_control_allow_origin], "https://app.example.org");
  EXPECT_EQ(r[http::field::access_control_allow_methods], "GET, POST");
  EXPECT_EQ(r[http::field::access_control_allow_headers], "Content-Type, Authorization");
  EXPECT_EQ(r[http::field::access_control_max_age], "600");
  EXPECT_EQ(r[http::field::vary], "Origin");
}

TEST(CorsFilter, PreflightsOutsideThePolicyGetNoCorsHeaders) {
  const auto policy = app_policy();
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  CorsFilter filter(*policy);
  const std::vector<std::map<std::string, std::string>> refused{
      {{"Origin", "https://evil.example.org"}, {"Access-Control-Request-Method", "POST"}},
      {{"Origin", "https://app.example.org"}, {"Access-Control-Request-Method", "DELETE"}},
      {{"Origin", "https://app.example.org"},
       {"Access-Control-Request-Method", "POST"},
       {"Access-Control-Request-Headers", "x-secret"}}};
  for (const auto& headers : refused) {
    TestExchange t(verb::options, "/v1/verify_kzg_proof", headers);
    EXPECT_FALSE(filter.pass(t.exchange));
    EXPECT_TRUE(is_error(t.response(), 403, "cors_not_allowed", "Origin"));
    EXPECT_EQ(t.response().find(http::field::access_control_allow_origin), t.response().end());
  }
}

TEST(CorsFilter, ActualRequestsGetHeadersOnlyForAllowedOrigins) {
  const auto policy = app_policy();
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  CorsFilter filter(*policy);
  {
    TestExchange t(verb::post, "/v1/verify_kzg_proof", {{"Origin", "https://app.example.org"}}, "{}");
    EXPECT_TRUE(filter.pass(t.exchange));
    t.exchange.respond(HttpResponse{http::status::unauthorized, 11});  // whatever answers later
    EXPECT_EQ(t.response()[http::field::access_control_allow_origin], "https://app.example.org");
    EXPECT_NE(t.response()[http::field::access_control_expose_headers].find("RateLimit-Remaining"), std::string::npos);
  }
  {
    TestExchange t(verb::post, "/v1/verify_kzg_proof", {{"Origin", "https://evil.example.org"}}, "{}");
    EXPECT_TRUE(filter.pass(t.exchange));
    t.exchange.respond(HttpResponse{http::status::ok, 11});
    EXPECT_EQ(t.response().find(http::field::access_control_allow_origin), t.response().end());
  }
  {  // No Origin (not a browser): untouched.
    TestExchange t(verb::post, "/v1/verify_kzg_proof", {}, "{}");
    EXPECT_TRUE(filter.pass(t.exchange));
    t.exchange.respond(HttpResponse{http::status::ok, 11});
    EXPECT_EQ(t.response().find(http::field::vary), t.response().end());
  }
}

}  // namespace
}  // namespace kzgd
