// The engine's known-answer self-test: it passes on the mainnet setup and fails on corrupted setups, and a
// corrupted setup makes GET /debug/health fail.
#include "service/engine_self_test.hpp"

#include <gtest/gtest.h>

#include "service/engine_backend.hpp"
#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_service.hpp"
#include "tests/support/spec_vectors.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;

// The mainnet setup with one change, without the optional tables (faster to build; the self-test does not
// need them). The caller asserts that it loaded.
kzg::Result<std::shared_ptr<const kzg::KzgSettings>> corrupted(void (*corrupt)(kzg::TrustedSetup&)) {
  auto setup = kzg::load_embedded_trusted_setup();
  if (!setup) return setup.error();
  corrupt(setup.value());
  kzg::KzgSettingsOptions options;
  options.cell_proofs = false;
  options.fixed_base_msm = false;
  return kzg::make_kzg_settings(std::move(setup).value(), options);
}

TEST(EngineSelfTest, PassesOnTheMainnetSetup) {
  const auto failure = run_engine_self_test(kzg::test::mainnet_settings());
  EXPECT_FALSE(failure) << failure->message;
}

TEST(EngineSelfTest, FailsWhenALagrangePointIsWrong) {
  // A valid curve point in the wrong place: loading accepts it, the known answer does not.
  const auto s = corrupted([](kzg::TrustedSetup& t) { t.g1_lagrange[5] = kzg::G1Affine::generator(); });
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto failure = run_engine_self_test(**s);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->code, kzg::ErrorCode::self_test_failed);
  EXPECT_NE(failure->message.find("not the G1 generator"), std::string::npos) << failure->message;
}

TEST(EngineSelfTest, FailsWhenTheG2SetupDisagrees) {
  const auto s = corrupted([](kzg::TrustedSetup& t) { t.g2_monomial[1] = kzg::G2Affine::generator(); });
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto failure = run_engine_self_test(**s);
  ASSERT_TRUE(failure);
  EXPECT_NE(failure->message.find("does not verify"), std::string::npos) << failure->message;
}

TEST(EngineSelfTest, ACorruptedSetupFailsTheHealthReport) {
  EngineBackend backend;
  EXPECT_EQ(backend.self_test()->code, kzg::ErrorCode::not_ready);
  const auto settings = corrupted([](kzg::TrustedSetup& t) { std::swap(t.g1_lagrange[0], t.g1_lagrange[1]); });
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  backend.set_settings(*settings);
  ServiceConfig c = test_config();
  c.log.level = LogLevel::warn;
  c.diagnostics.cpu_max_percent = 100;
  c.diagnostics.disk_min_free_bytes = 0;
  TestService service(c, &backend);
  const auto r = service.get("/debug/health");
  EXPECT_EQ(r.result_int(), 503u);
  const auto report = body_json(r);
  bool seen = false;
  for (const auto& check : report.at("checks")) {
    if (check.at("name") != "self_test") continue;
    seen = true;
    EXPECT_FALSE(check.at("ok").get<bool>());
    EXPECT_NE(check.at("message").get<std::string>().find("self-test"), std::string::npos);
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace kzgd
