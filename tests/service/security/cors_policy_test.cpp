#include "service/security/cors_policy.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

TEST(CorsPolicy, OriginsMethodsHeaders) {
  const auto p = CorsPolicy::make("https://app.example.org, http://localhost:3000", "GET, POST",
                                  "Content-Type, Authorization", 300);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p->enabled());
  EXPECT_TRUE(p->allows_origin("https://app.example.org"));
  EXPECT_TRUE(p->allows_origin("https://APP.example.org"));
  EXPECT_TRUE(p->allows_origin("http://localhost:3000"));
  EXPECT_FALSE(p->allows_origin("https://evil.example.org"));
  EXPECT_FALSE(p->allows_origin("http://app.example.org"));
  EXPECT_FALSE(p->allows_origin("null"));
  EXPECT_TRUE(p->allows_method("POST"));
  EXPECT_FALSE(p->allows_method("DELETE"));
  EXPECT_TRUE(p->allows_headers("content-type, AUTHORIZATION"));
  EXPECT_TRUE(p->allows_headers(""));
  EXPECT_FALSE(p->allows_headers("content-type, x-secret"));
  EXPECT_EQ(p->allow_origin_value("https://app.example.org"), "https://app.example.org");
  EXPECT_EQ(p->methods(), "GET, POST");
  EXPECT_EQ(p->max_age_seconds(), 300u);
}

TEST(CorsPolicy, WildcardAndOff) {
  const auto any = CorsPolicy::make("*", "GET", "", 0);
  ASSERT_TRUE(any.ok()) << any.error().message;
  EXPECT_TRUE(any->allows_origin("https://anything.example"));
  EXPECT_EQ(any->allow_origin_value("https://anything.example"), "*");
  const auto off = CorsPolicy::make("", "GET", "", 0);
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->enabled());
  EXPECT_FALSE(off->allows_origin("https://app.example.org"));
}

TEST(CorsPolicy, BadValuesNameTheKey) {
  EXPECT_EQ(CorsPolicy::make("app.example.org", "GET", "", 0).error().field, "cors.allowed_origins");
  EXPECT_EQ(CorsPolicy::make("https://a.example/path", "GET", "", 0).error().field, "cors.allowed_origins");
  EXPECT_EQ(CorsPolicy::make("", "get", "", 0).error().field, "cors.allowed_methods");
  EXPECT_EQ(CorsPolicy::make("", "GET", "Bad Header", 0).error().field, "cors.allowed_headers");
}

}  // namespace
}  // namespace kzgd
