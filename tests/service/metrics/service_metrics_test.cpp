#include "service/metrics/service_metrics.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "tests/service/support/promtool.hpp"

namespace kzgd {
namespace {

// The value of the sample line that starts with `series` (name and labels exactly as rendered).
std::optional<double> sample(const std::string& text, const std::string& series) {
  std::size_t pos = 0;
  while ((pos = text.find(series + " ", pos)) != std::string::npos) {
    if (pos == 0 || text[pos - 1] == '\n') {
      const auto end = text.find('\n', pos);
      return std::stod(text.substr(pos + series.size() + 1, end - pos - series.size() - 1));
    }
    ++pos;
  }
  return std::nullopt;
}

std::string populated() {
  ServiceMetrics m;
  m.record_request("verify_blob_kzg_proof", 200, 0.002);
  m.record_request("verify_blob_kzg_proof", 200, 0.003);
  m.record_request("verify_blob_kzg_proof", 400, 0.0001);
  m.record_request("unknown", 404, 0.00001);
  m.record_batch_item("blob_to_kzg_commitment", true);
  m.record_batch_item("blob_to_kzg_commitment", false);
  m.record_shed("queue_full");
  m.record_rejected("body_too_large");
  RuntimeSnapshot s;
  s.work_in_flight = 2;
  s.work_queued = 5;
  s.workers_threads = 2;
  s.workers_queue_limit = 64;
  s.connections_open = 3;
  s.ready = true;
  return m.render(s);
}

TEST(ServiceMetrics, CountsRequestsByOperationAndStatus) {
  const std::string t = populated();
  EXPECT_EQ(sample(t, R"(kzgd_http_requests_total{operation="verify_blob_kzg_proof",status="200"})"), 2);
  EXPECT_EQ(sample(t, R"(kzgd_http_requests_total{operation="verify_blob_kzg_proof",status="400"})"), 1);
  EXPECT_EQ(sample(t, R"(kzgd_http_requests_total{operation="unknown",status="404"})"), 1);
}

TEST(ServiceMetrics, LatencyHistogramPerOperation) {
  const std::string t = populated();
  EXPECT_EQ(sample(t, R"(kzgd_http_request_duration_seconds_count{operation="verify_blob_kzg_proof"})"), 3);
  EXPECT_EQ(sample(t, R"(kzgd_http_request_duration_seconds_bucket{operation="verify_blob_kzg_proof",le="0.0005"})"),
            1);
  EXPECT_EQ(sample(t, R"(kzgd_http_request_duration_seconds_bucket{operation="verify_blob_kzg_proof",le="0.0025"})"),
            2);
  EXPECT_EQ(sample(t, R"(kzgd_http_request_duration_seconds_bucket{operation="verify_blob_kzg_proof",le="+Inf"})"), 3);
  EXPECT_NEAR(*sample(t, R"(kzgd_http_request_duration_seconds_sum{operation="verify_blob_kzg_proof"})"), 0.0051, 1e-9);
}

TEST(ServiceMetrics, WorkShedRejectedAndBatchItems) {
  const std::string t = populated();
  EXPECT_EQ(sample(t, "kzgd_work_in_flight"), 2);
  EXPECT_EQ(sample(t, "kzgd_work_queued"), 5);
  EXPECT_EQ(sample(t, "kzgd_workers_threads"), 2);
  EXPECT_EQ(sample(t, "kzgd_workers_queue_limit"), 64);
  EXPECT_EQ(sample(t, "kzgd_http_connections_open"), 3);
  EXPECT_EQ(sample(t, "kzgd_ready"), 1);
  EXPECT_EQ(sample(t, "kzgd_requests_shed_total"), 1);
  EXPECT_EQ(sample(t, R"(kzgd_requests_rejected_total{reason="body_too_large"})"), 1);
  EXPECT_EQ(sample(t, R"(kzgd_requests_rejected_total{reason="batch_too_large"})"), 0);
  EXPECT_EQ(sample(t, R"(kzgd_batch_items_total{operation="blob_to_kzg_commitment",outcome="ok"})"), 1);
  EXPECT_EQ(sample(t, R"(kzgd_batch_items_total{operation="blob_to_kzg_commitment",outcome="error"})"), 1);
}

TEST(ServiceMetrics, ProcessMetricsAndBuildInfo) {
  const std::string t = populated();
  EXPECT_GT(*sample(t, "process_resident_memory_bytes"), 1e5);
  EXPECT_GE(*sample(t, "process_cpu_seconds_total"), 0);
  EXPECT_GE(*sample(t, "process_open_fds"), 3);
  EXPECT_GT(*sample(t, "process_max_fds"), 0);
  EXPECT_GT(*sample(t, "process_start_time_seconds"), 1.5e9);
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(\nkzgd_build_info\{[^}]*version="[^"]+"[^}]*\} 1\n)"))) << t;
}

TEST(ServiceMetrics, PassesPromtoolCheck) {
  const auto result = testing::promtool_check_metrics(populated());
  if (!result) GTEST_SKIP() << "promtool not installed (Debian package prometheus); skipping the format check";
  EXPECT_EQ(result->exit_code, 0) << result->output;
  EXPECT_EQ(result->output, "") << result->output;
}

}  // namespace
}  // namespace kzgd
