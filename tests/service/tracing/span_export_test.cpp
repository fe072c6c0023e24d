// Tracing end to end: kzgd on loopback exporting to a loopback OTLP/HTTP receiver.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/otlp_receiver.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using nlohmann::json;

const std::string kClientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kClientSpan = "00f067aa0ba902b7";

ServiceConfig traced_config(const std::string& endpoint) {
  ServiceConfig c = test_config();
  c.log.level = LogLevel::warn;
  c.tracing.endpoint = endpoint;
  c.tracing.batch_delay_seconds = 0.02;
  c.tracing.timeout_seconds = 1;
  return c;
}

bool is_lower_hex(const json& v, std::size_t digits) {
  return v.is_string() &&
         std::regex_match(v.get<std::string>(), std::regex("[0-9a-f]{" + std::to_string(digits) + "}"));
}

bool is_decimal_string(const json& v) {
  return v.is_string() && std::regex_match(v.get<std::string>(), std::regex("[1-9][0-9]*"));
}

// The value of an OTLP attribute list entry, as {"stringValue": ...} etc.
json attribute(const json& attributes, const std::string& key) {
  for (const auto& a : attributes)
    if (a.at("key") == key) return a.at("value");
  return nullptr;
}

std::vector<json> all_spans(const std::vector<std::string>& bodies) {
  std::vector<json> spans;
  for (const auto& b : bodies) {
    const json j = json::parse(b);
    for (const auto& rs : j.at("resourceSpans")) {
      EXPECT_EQ(attribute(rs.at("resource").at("attributes"), "service.name"), (json{{"stringValue", "kzgd"}}));
      for (const auto& ss : rs.at("scopeSpans")) {
        EXPECT_EQ(ss.at("scope").at("name"), "kzgd");
        for (const auto& s : ss.at("spans")) spans.push_back(s);
      }
    }
  }
  return spans;
}

std::uint64_t metric_value(const std::string& exposition, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(exposition, m, std::regex("\n" + name + " ([0-9.e+]+)"))) return 0;
  return static_cast<std::uint64_t>(std::stod(m[1]));
}

TEST(SpanExport, RequestAndEngineSpansArriveInTheOtlpJsonMapping) {
  OtlpReceiver receiver;
  TestService s(traced_config(receiver.url()));
  const auto r = s.post("/v1/echo", R"({"a": 1})", {{"traceparent", "00-" + kClientTrace + "-" + kClientSpan + "-01"}});
  ASSERT_EQ(r.result_int(), 200u);
  // The answer carries the request span's own context: same trace, a new span id, sampled.
  const std::string answer(r["traceparent"]);
  ASSERT_TRUE(std::regex_match(answer, std::regex("00-" + kClientTrace + "-[0-9a-f]{16}-01"))) << answer;
  const std::string server_span_id = answer.substr(36, 16);
  EXPECT_NE(server_span_id, kClientSpan);

  ASSERT_TRUE(receiver.wait_for_spans(2))
      << receiver.requests() << " requests; exported " << s.service().diagnostics().tracer().exporter()->exported()
      << " dropped " << s.service().diagnostics().tracer().exporter()->dropped() << " failed "
      << s.service().diagnostics().tracer().exporter()->failed_exports();
  const auto spans = all_spans(receiver.bodies());
  ASSERT_EQ(spans.size(), 2u);
  const auto server = std::find_if(spans.begin(), spans.end(), [](const json& x) { return x.at("kind") == 2; });
  const auto engine = std::find_if(spans.begin(), spans.end(), [](const json& x) { return x.at("kind") == 1; });
  ASSERT_NE(server, spans.end());
  ASSERT_NE(engine, spans.end());
  for (const auto& span : spans) {
    EXPECT_TRUE(is_lower_hex(span.at("traceId"), 32)) << span;
    EXPECT_EQ(span.at("traceId"), kClientTrace);
    EXPECT_TRUE(is_lower_hex(span.at("spanId"), 16)) << span;
    EXPECT_TRUE(is_decimal_string(span.at("startTimeUnixNano"))) << span;
    EXPECT_TRUE(is_decimal_string(span.at("endTimeUnixNano"))) << span;
    EXPECT_LE(std::stoull(span.at("startTimeUnixNano").get<std::string>()),
              std::stoull(span.at("endTimeUnixNano").get<std::string>()));
    EXPECT_TRUE(span.at("attributes").is_array());
    EXPECT_TRUE(span.at("kind").is_number_integer());
  }
  EXPECT_EQ(server->at("spanId"), server_span_id);
  EXPECT_EQ(server->at("parentSpanId"), kClientSpan);
  EXPECT_EQ(server->at("name"), "POST echo");
  EXPECT_EQ(attribute(server->at("attributes"), "http.response.status_code"), (json{{"intValue", "200"}}));
  EXPECT_EQ(attribute(server->at("attributes"), "url.path"), (json{{"stringValue", "/v1/echo"}}));
  EXPECT_EQ(server->at("status").at("code"), 0);
  EXPECT_EQ(engine->at("parentSpanId"), server_span_id);
  EXPECT_EQ(engine->at("name"), "engine echo");
  EXPECT_EQ(attribute(engine->at("attributes"), "kzg.outcome"), (json{{"stringValue", "ok"}}));
  // The engine call lies within the request.
  EXPECT_GE(std::stoull(engine->at("startTimeUnixNano").get<std::string>()),
            std::stoull(server->at("startTimeUnixNano").get<std::string>()));
}

TEST(SpanExport, WithoutATraceparentANewSampledTraceStarts) {
  OtlpReceiver receiver;
  TestService s(traced_config(receiver.url()));
  const auto r = s.get("/health");
  const std::string answer(r["traceparent"]);
  ASSERT_TRUE(std::regex_match(answer, std::regex("00-[0-9a-f]{32}-[0-9a-f]{16}-01"))) << answer;
  ASSERT_TRUE(receiver.wait_for_spans(1));
  const auto spans = all_spans(receiver.bodies());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].at("traceId"), answer.substr(3, 32));
  EXPECT_FALSE(spans[0].contains("parentSpanId"));
}

TEST(SpanExport, AnUnsampledParentIsFollowedAndNothingIsSent) {
  OtlpReceiver receiver;
  TestService s(traced_config(receiver.url()));
  const auto r = s.post("/v1/echo", "{}", {{"traceparent", "00-" + kClientTrace + "-" + kClientSpan + "-00"}});
  EXPECT_TRUE(std::string(r["traceparent"]).ends_with("-00"));
  s.get("/health");  // sampled: proves the exporter works, and it comes after the unsampled one
  ASSERT_TRUE(receiver.wait_for_spans(1));
  const auto spans = all_spans(receiver.bodies());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_NE(spans[0].at("traceId"), kClientTrace);
}

TEST(SpanExport, FailingCollectorIsRetriedThenTheBreakerOpensAndRecovers) {
  OtlpReceiver receiver(OtlpReceiver::Mode::answer, 503);
  ServiceConfig c = traced_config(receiver.url());
  c.tracing.batch_size = 1;
  c.tracing.batch_delay_seconds = 0.001;
  c.tracing.max_retries = 2;
  c.tracing.retry_backoff_seconds = 0.005;
  c.tracing.breaker_failures = 2;
  c.tracing.breaker_reset_seconds = 0.6;
  TestService s(c);
  const SpanExporter& exporter = *s.service().diagnostics().tracer().exporter();
  s.get("/health");
  s.get("/health");
  // Each failed batch: 1 try + 2 retries; two in a row open the breaker.
  for (int i = 0; i < 200 && exporter.breaker().state() != CircuitBreaker::State::open; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(exporter.breaker().state(), CircuitBreaker::State::open);
  EXPECT_EQ(receiver.requests(), 6u);
  EXPECT_EQ(exporter.retries(), 4u);
  EXPECT_EQ(exporter.failed_exports(), 2u);
  EXPECT_EQ(exporter.dropped(), 2u);
  // While open, batches are dropped without a call.
  s.get("/health");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(receiver.requests(), 6u);
  EXPECT_EQ(exporter.dropped(), 3u);
  EXPECT_EQ(metric_value(s.get("/metrics").body(), "kzgd_tracing_breaker_open"), 1u);

  receiver.set_status(200);
  std::this_thread::sleep_for(std::chrono::milliseconds(650));
  s.get("/health");  // the trial batch
  ASSERT_TRUE(receiver.wait_for_spans(1));
  for (int i = 0; i < 200 && exporter.breaker().state() != CircuitBreaker::State::closed; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(exporter.breaker().state(), CircuitBreaker::State::closed);
  EXPECT_GE(exporter.exported(), 1u);
}

// Median of n sequential request latencies, in seconds.
double median_latency(TestService& s, int n) {
  HttpClient client(s.port());
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = client.post("/v1/echo", "{}");
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    EXPECT_EQ(r.result_int(), 200u);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

TEST(SpanExport, AHungCollectorNeitherSlowsRequestsNorGrowsTheQueue) {
  OtlpReceiver hung(OtlpReceiver::Mode::hang);
  ServiceConfig c = traced_config(hung.url());
  c.tracing.queue_size = 4;
  c.tracing.batch_size = 2;
  c.tracing.batch_delay_seconds = 0.001;
  c.tracing.timeout_seconds = 1;
  c.tracing.max_retries = 0;
  c.tracing.breaker_failures = 1000;
  const int n = 60;

  double untraced = 0;
  {
    ServiceConfig plain = c;
    plain.tracing.endpoint.clear();
    TestService s(plain);
    median_latency(s, 10);  // warm-up
    untraced = median_latency(s, n);
  }
  TestService s(c);
  median_latency(s, 10);
  const double traced = median_latency(s, n);
  // A request that waited for the exporter would take the 1 s export timeout; the medians differ by noise only.
  EXPECT_LT(traced, untraced * 3 + 0.005) << "untraced " << untraced << " s, traced " << traced << " s";
  const SpanExporter& exporter = *s.service().diagnostics().tracer().exporter();
  // 70 requests, two spans each; the queue holds 4 and the exporter is stuck on its first batch.
  EXPECT_GE(exporter.dropped(), 2u * (10 + n) - 4 - 2);
  EXPECT_LE(exporter.queued(), 4u);
  EXPECT_EQ(exporter.exported(), 0u);
  EXPECT_GE(metric_value(s.get("/metrics").body(), "kzgd_tracing_spans_dropped_total"), exporter.dropped() - 1);
}

}  // namespace
}  // namespace kzgd
