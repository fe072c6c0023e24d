#include "service/api/filters/access_filter.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_exchange.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using boost::beast::http::verb;

// The caller asserts that the three lists parsed.
kzg::Result<AccessLists> lists(const std::string& allow, const std::string& deny, const std::string& proxies) {
  auto a = IpRangeList::parse(allow, "access.allow");
  auto d = IpRangeList::parse(deny, "access.deny");
  auto p = IpRangeList::parse(proxies, "access.trusted_proxies");
  if (!a) return a.error();
  if (!d) return d.error();
  if (!p) return p.error();
  return AccessLists{std::move(a).value(), std::move(d).value(), std::move(p).value()};
}

TEST(AccessFilter, NoListsPassesAndRecordsThePeerAddress) {
  ServiceMetrics metrics;
  const auto parsed = lists("", "", "");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  AccessFilter filter(*parsed, metrics);
  TestExchange t(verb::get, "/health", {{"X-Forwarded-For", "198.51.100.1"}}, {}, "[2001:db8::5]:4000");
  EXPECT_TRUE(filter.pass(t.exchange));
  EXPECT_FALSE(t.answered());
  EXPECT_EQ(t.exchange.client_address, "2001:db8::5");  // no trusted proxies: the header is ignored
}

TEST(AccessFilter, DenyComesFirstThenAllow) {
  ServiceMetrics metrics;
  const auto parsed = lists("10.0.0.0/8, 2001:db8::/32", "10.6.6.0/24", "");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  AccessFilter filter(*parsed, metrics);
  const auto passes = [&](const std::string& client) {
    TestExchange t(verb::post, "/v1/verify_kzg_proof", {}, "{}", client);
    const bool passed = filter.pass(t.exchange);
    EXPECT_EQ(passed, !t.answered());
    if (!passed) {
      EXPECT_TRUE(is_error(t.response(), 403, "address_denied", ""));
    }
    return passed;
  };
  EXPECT_TRUE(passes("10.1.2.3:1"));
  EXPECT_FALSE(passes("10.6.6.6:1"));   // allowed range, but denied
  EXPECT_FALSE(passes("192.0.2.1:1"));  // not in the allow list
  EXPECT_TRUE(passes("[2001:db8::1]:1"));
  EXPECT_TRUE(passes("[::ffff:10.1.2.3]:1"));   // IPv4-mapped
  EXPECT_FALSE(passes("[::ffff:10.6.6.1]:1"));  // IPv4-mapped, denied
  EXPECT_NE(metrics.render({}).find("kzgd_requests_rejected_total{reason=\"forbidden\"} 3"), std::string::npos);
}

TEST(AccessFilter, ForwardedForOnlyThroughTrustedProxies) {
  ServiceMetrics metrics;
  const auto parsed = lists("", "198.51.100.0/24", "10.0.0.0/8");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  AccessFilter filter(*parsed, metrics);
  {  // Through the proxy, the denied client is seen and refused.
    TestExchange t(verb::get, "/health", {{"X-Forwarded-For", "198.51.100.9"}}, {}, "10.0.0.2:1");
    EXPECT_FALSE(filter.pass(t.exchange));
    EXPECT_TRUE(is_error(t.response(), 403, "address_denied", ""));
  }
  {  // The same header from an untrusted peer is not believed: the peer's own address decides.
    TestExchange t(verb::get, "/health", {{"X-Forwarded-For", "203.0.113.5"}}, {}, "192.0.2.7:1");
    EXPECT_TRUE(filter.pass(t.exchange));
    EXPECT_EQ(t.exchange.client_address, "192.0.2.7");
  }
  {  // A client cannot hide behind an address it puts on the left; the proxy appended the real one.
    TestExchange t(verb::get, "/health", {{"X-Forwarded-For", "10.0.0.77, 198.51.100.9"}}, {}, "10.0.0.2:1");
    EXPECT_FALSE(filter.pass(t.exchange));
  }
  {  // Several header lines are one list; the access log names the client.
    TestExchange t(verb::get, "/health", {}, {}, "10.0.0.2:1");
    t.exchange.request.insert("X-Forwarded-For", "203.0.113.1");
    t.exchange.request.insert("X-Forwarded-For", "203.0.113.2");
    EXPECT_TRUE(filter.pass(t.exchange));
    EXPECT_EQ(t.exchange.client_address, "203.0.113.2");
    EXPECT_EQ(t.exchange.record->client, "203.0.113.2");
  }
}

}  // namespace
}  // namespace kzgd
