#include "service/tracing/span_context.hpp"

#include <gtest/gtest.h>

#include "service/tracing/collector_url.hpp"

namespace kzgd {
namespace {

TEST(SpanContext, ParsesAndFormatsTraceparent) {
  const std::string h = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const auto c = parse_traceparent(h);
  ASSERT_TRUE(c);
  EXPECT_EQ(kzg::to_hex(c->trace_id), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(kzg::to_hex(c->span_id), "b7ad6b7169203331");
  EXPECT_TRUE(c->sampled);
  EXPECT_EQ(format_traceparent(*c), h);
  const auto unsampled = parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  ASSERT_TRUE(unsampled);
  EXPECT_FALSE(unsampled->sampled);
  // A later version may append fields.
  EXPECT_TRUE(parse_traceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"));
}

TEST(SpanContext, RefusesMalformedHeaders) {
  for (const char* bad : {"", "00", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
                          "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",    // uppercase
                          "00-00000000000000000000000000000000-b7ad6b7169203331-01",    // zero trace id
                          "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",    // zero span id
                          "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",    // version ff
                          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",  // v00 is exact
                          "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                          "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01"})
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
}

TEST(SpanContext, RandomIdsAreNonZeroAndDistinct) {
  const auto a = random_trace_id(), b = random_trace_id();
  EXPECT_NE(a, b);
  EXPECT_NE(kzg::to_hex(a), std::string(32, '0'));
  EXPECT_NE(random_span_id(), random_span_id());
}

TEST(CollectorUrl, ParsesHostPortAndPath) {
  auto u = parse_collector_url("http://127.0.0.1:4318/v1/traces");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 4318);
  EXPECT_EQ(u->target, "/v1/traces");
  u = parse_collector_url("http://collector");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/v1/traces");
  u = parse_collector_url("http://[::1]:9000/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9000);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->text(), "http://[::1]:9000/x");
  u = parse_collector_url("https://otel.example.com");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->text(), "https://otel.example.com:443/v1/traces");
  u = parse_collector_url("https://10.0.0.5:4318/v1/traces");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 4318);
  std::string why;
  for (const char* bad : {"ftp://x:1", "https://", "HTTP://x", "http://", "http://h:0", "http://h:70000",
                          "http://h:", "http://h:1/a b", "http://a_b:1", "not-a-url"}) {
    EXPECT_FALSE(parse_collector_url(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

}  // namespace
}  // namespace kzgd
