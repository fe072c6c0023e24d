#include "service/api/endpoints/debug_access.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

TEST(DebugAccess, OnlyLoopbackClientsWithoutApiKeys) {
  for (const char* ok : {"127.0.0.1:5000", "127.1.2.3:1", "[::1]:80", "[::ffff:127.0.0.1]:9"})
    EXPECT_TRUE(is_loopback_client(ok)) << ok;
  for (const char* no : {"10.0.0.1:5000", "192.168.1.1:1", "[::2]:80", "[fe80::1]:1", "[::ffff:10.0.0.1]:9", "unknown",
                         "", "[::1", "128.0.0.1:1"})
    EXPECT_FALSE(is_loopback_client(no)) << no;
}

TEST(DebugAccess, DeniedRequestsGetAForbiddenErrorNamingTheClient) {
  HttpRequest request{boost::beast::http::verb::get, "/debug/health", 11};
  RequestInfo info;
  info.client = "127.0.0.1:4000";
  EXPECT_FALSE(debug_access_denied(request, info));
  info.client = "203.0.113.9:4000";
  const auto denied = debug_access_denied(request, info);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code, kzg::ErrorCode::forbidden);
  EXPECT_EQ(denied->field, "client");
  EXPECT_NE(denied->message.find("admin"), std::string::npos);
  // With an API key (its admin permission checked by the auth filter) any address is admitted.
  EXPECT_FALSE(debug_access_denied(request, info, /*authenticated=*/true));
}

}  // namespace
}  // namespace kzgd
