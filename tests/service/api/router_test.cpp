#include "service/api/router.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/test_backend.hpp"

namespace kzgd {
namespace {

class NamedEndpoint : public Endpoint {
 public:
  void handle(Exchange&&) override {}
};

class RouterTest : public ::testing::Test {
 protected:
  testing::TestBackend backend;
  NamedEndpoint health, ready, metrics, openapi, batch, operation, debug;
  Router router{RouteEndpoints{health, ready, metrics, openapi, batch, operation, debug}, backend};
};

TEST_F(RouterTest, TheOpenApiDocumentIsAGet) {
  const auto m = router.resolve("GET", "/openapi.json");
  EXPECT_EQ(m.endpoint, &openapi);
  EXPECT_EQ(m.operation, "openapi");
  EXPECT_EQ(router.resolve("POST", "/openapi.json").status(), 405u);
}

TEST_F(RouterTest, DebugPathsGoToTheDebugEndpoint) {
  const auto m = router.resolve("GET", "/debug/profile");
  EXPECT_EQ(m.endpoint, &debug);
  EXPECT_EQ(m.operation, "debug");
  const auto post = router.resolve("POST", "/debug/health");
  EXPECT_EQ(post.endpoint, nullptr);
  EXPECT_EQ(post.status(), 405u);
  EXPECT_EQ(post.allow, "GET");
}

TEST_F(RouterTest, OperationsEndpoints) {
  EXPECT_EQ(router.resolve("GET", "/health").endpoint, &health);
  EXPECT_EQ(router.resolve("GET", "/ready").endpoint, &ready);
  EXPECT_EQ(router.resolve("GET", "/metrics").endpoint, &metrics);
  EXPECT_EQ(router.resolve("GET", "/metrics").operation, "metrics");
  EXPECT_EQ(router.resolve("GET", "/health?verbose=1").endpoint, &health);
}

TEST_F(RouterTest, ApiEndpoints) {
  const auto echo = router.resolve("POST", "/v1/echo");
  EXPECT_EQ(echo.endpoint, &operation);
  EXPECT_EQ(echo.operation, "echo");
  const auto b = router.resolve("POST", "/v1/batch");
  EXPECT_EQ(b.endpoint, &batch);
  EXPECT_EQ(b.operation, "batch");
}

TEST_F(RouterTest, UnknownOperationIs404WithTheKnownOnesListed) {
  const auto m = router.resolve("POST", "/v1/verify_everything");
  EXPECT_EQ(m.endpoint, nullptr);
  EXPECT_EQ(m.status(), 404u);
  EXPECT_EQ(m.operation, "unknown");
  EXPECT_EQ(m.error.code, kzg::ErrorCode::unknown_operation);
  EXPECT_NE(m.error.message.find("echo"), std::string::npos);
  EXPECT_EQ(router.resolve("POST", "/v1/").status(), 404u);
  EXPECT_EQ(router.resolve("POST", "/v1/echo/extra").status(), 404u);
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const char* path : {"/", "/v2/echo", "/healthz", "/echo", "/metrics/x"}) {
    const auto m = router.resolve("GET", path);
    EXPECT_EQ(m.status(), 404u) << path;
    EXPECT_EQ(m.error.code, kzg::ErrorCode::not_found) << path;
    EXPECT_EQ(m.operation, "unknown") << path;
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  const auto m = router.resolve("GET", "/v1/echo");
  EXPECT_EQ(m.endpoint, nullptr);
  EXPECT_EQ(m.status(), 405u);
  EXPECT_EQ(m.allow, "POST");
  EXPECT_EQ(m.operation, "echo");
  EXPECT_EQ(router.resolve("POST", "/health").allow, "GET");
  EXPECT_EQ(router.resolve("DELETE", "/v1/batch").status(), 405u);
}

}  // namespace
}  // namespace kzgd
