// POST /v1/batch through the running server.
#include "service/api/endpoints/batch_endpoint.hpp"

#include <gtest/gtest.h>

#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_service.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using nlohmann::json;

TEST(BatchEndpoint, AnswersInRequestOrderWhileRunningInParallel) {
  ServiceConfig c = test_config();
  c.workers.threads = 4;
  TestService s(c);
  json requests = json::array();
  // Earlier items sleep longer, so finishing order is the reverse of request order.
  for (int i = 0; i < 8; ++i) requests.push_back({{"op", "sleep"}, {"input", {{"id", i}, {"ms", 80 - 10 * i}}}});
  const auto start = std::chrono::steady_clock::now();
  const auto r = s.post("/v1/batch", json{{"requests", requests}}.dump());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  const auto responses = body_json(r)["responses"];
  ASSERT_EQ(responses.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(responses[i], (json{{"output", i}})) << i;
  EXPECT_GE(s.backend().max_concurrency(), 2);
  // Sequentially the sleeps add up to 360 ms; on 4 workers they overlap.
  EXPECT_LT(elapsed, std::chrono::milliseconds(340));
}

TEST(BatchEndpoint, ItemErrorsStayInTheirItems) {
  TestService s;
  const json body = {{"requests",
                      {{{"op", "echo"}, {"input", {{"k", 1}}}},
                       {{"op", "fail"}, {"input", json::object()}},
                       5,
                       {{"input", json::object()}},
                       {{"op", "no_such_op"}, {"input", json::object()}},
                       {{"op", "echo"}, {"input", "not an object"}},
                       {{"op", "batch"}, {"input", json::object()}},
                       {{"op", "echo"}, {"input", {{"k", 2}}}}}}};
  const auto r = s.post("/v1/batch", body.dump());
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  const auto out = body_json(r)["responses"];
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[0], (json{{"output", {{"k", 1}}}}));
  EXPECT_EQ(out[1]["error"]["code"], "invalid_input");
  EXPECT_TRUE(out[1]["output"].is_null());
  EXPECT_EQ(out[2]["error"]["field"], "requests[2]");
  EXPECT_EQ(out[3]["error"]["field"], "requests[3].op");
  EXPECT_EQ(out[4]["error"]["code"], "unknown_operation");
  EXPECT_EQ(out[5]["error"]["field"], "requests[5].input");
  EXPECT_EQ(out[6]["error"]["code"], "unknown_operation");  // batches do not nest
  EXPECT_EQ(out[7], (json{{"output", {{"k", 2}}}}));
  const auto metrics = s.get("/metrics").body();
  EXPECT_NE(metrics.find("kzgd_batch_items_total{operation=\"echo\",outcome=\"ok\"} 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("kzgd_batch_items_total{operation=\"fail\",outcome=\"error\"} 1\n"), std::string::npos);
}

TEST(BatchEndpoint, EmptyBatch) {
  TestService s;
  const auto r = s.post("/v1/batch", R"({"requests": []})");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(body_json(r), (json{{"responses", json::array()}}));
}

TEST(BatchEndpoint, TooManyItemsIs413) {
  ServiceConfig c = test_config();
  c.limits.max_batch_items = 3;
  TestService s(c);
  json requests = json::array();
  for (int i = 0; i < 4; ++i) requests.push_back({{"op", "echo"}, {"input", json::object()}});
  EXPECT_TRUE(is_error(s.post("/v1/batch", json{{"requests", requests}}.dump()), 413, "batch_too_large", "requests"));
  requests.erase(requests.begin());
  EXPECT_EQ(s.post("/v1/batch", json{{"requests", requests}}.dump()).result_int(), 200u);
  EXPECT_NE(s.get("/metrics").body().find("kzgd_requests_rejected_total{reason=\"batch_too_large\"} 1\n"),
            std::string::npos);
}

TEST(BatchEndpoint, BadEnvelopeIs400) {
  TestService s;
  EXPECT_TRUE(is_error(s.post("/v1/batch", "{"), 400, "invalid_json", "body"));
  for (const std::string body : {"[]", "{}", R"({"requests": {}})", R"({"requests": null})"})
    EXPECT_TRUE(is_error(s.post("/v1/batch", body), 400, "invalid_input", "requests")) << body;
}

TEST(BatchEndpoint, LargeBatchOnOneWorker) {
  ServiceConfig c = test_config();
  c.workers.threads = 1;
  c.limits.max_batch_items = 1000;
  TestService s(c);
  json requests = json::array();
  for (int i = 0; i < 1000; ++i) requests.push_back({{"op", "echo"}, {"input", {{"i", i}}}});
  const auto r = s.post("/v1/batch", json{{"requests", requests}}.dump());
  ASSERT_EQ(r.result_int(), 200u);
  const auto out = body_json(r)["responses"];
  ASSERT_EQ(out.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(out[i]["output"]["i"], i);
}

}  // namespace
}  // namespace kzgd
