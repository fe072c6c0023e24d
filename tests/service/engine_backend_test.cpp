// kzgd on the real engine: every consensus-spec vector through the HTTP API (JSON, binary bodies, batches).
#include "service/engine_backend.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "service/catalogue/operation_catalogue.hpp"
#include "service/security/operation_costs.hpp"
#include "service/security/permissions.hpp"
#include "tests/service/support/assertions.hpp"
#include "tests/service/support/test_service.hpp"
#include "tests/support/spec_vectors.hpp"

namespace kzgd {
namespace {

using namespace kzgd::testing;
using nlohmann::json;

// One server on the mainnet settings for the whole program (the settings load once).
class EngineService : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    backend_ = new EngineBackend();
    backend_->set_settings(
        std::shared_ptr<const kzg::KzgSettings>(&kzg::test::mainnet_settings(), [](const kzg::KzgSettings*) {}));
    ServiceConfig c = test_config();
    c.limits.max_body_bytes = 64u << 20;
    c.limits.max_batch_items = 256;
    c.log.level = LogLevel::warn;
    service_ = new TestService(c, backend_);
  }
  static void TearDownTestSuite() {
    delete service_;
    delete backend_;
  }

  static std::vector<kzg::test::SpecCase> cases(const std::string& function) {
    auto c = kzg::test::load_spec_cases(function);
    if (c.empty()) ADD_FAILURE() << "no vectors";
    return c;
  }

  static inline EngineBackend* backend_ = nullptr;
  static inline TestService* service_ = nullptr;
};

std::string unhex(const std::string& s) {
  std::string out;
  for (std::size_t i = 2; i + 1 < s.size(); i += 2) out += static_cast<char>(std::stoi(s.substr(i, 2), nullptr, 16));
  return out;
}

std::string hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string s = "0x";
  for (unsigned char b : bytes) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s;
}

bool is_hex(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() < 2 || s.compare(0, 2, "0x") != 0 || s.size() % 2) return false;
  return s.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos;
}

TEST_F(EngineService, ListsEveryEngineOperation) {
  ASSERT_FALSE(backend_->operations().empty());
  for (const auto& op : kzg::api::operations())
    EXPECT_NE(service_->post("/v1/" + op.name, "{}").result_int(), 404u) << op.name;
  EXPECT_EQ(service_->get("/ready").result_int(), 200u);
}

TEST_F(EngineService, EverySpecVectorOverJson) {
  if (kzg::test::spec_tests_dir().empty()) GTEST_SKIP() << "consensus-spec vectors not found";
  std::size_t n = 0;
  for (const auto& op : kzg::api::operations()) {
    for (const auto& c : kzg::test::load_spec_cases(op.name)) {
      const auto r = service_->post("/v1/" + op.name, c.input.dump());
      ++n;
      if (c.output.is_null()) {
        EXPECT_EQ(r.result_int(), 400u) << op.name << "/" << c.name << ": " << r.body();
        EXPECT_TRUE(body_json(r)["error"]["code"].is_string()) << c.name;
      } else {
        ASSERT_EQ(r.result_int(), 200u) << op.name << "/" << c.name << ": " << r.body();
        EXPECT_EQ(body_json(r)["output"], c.output) << op.name << "/" << c.name;
      }
    }
  }
  EXPECT_GT(n, 300u);
}

TEST_F(EngineService, SpecVectorsOverBinaryBodies) {
  if (kzg::test::spec_tests_dir().empty()) GTEST_SKIP() << "consensus-spec vectors not found";
  const std::map<std::string, std::vector<std::string>> layouts{
      {"blob_to_kzg_commitment", {"blob"}},
      {"compute_blob_kzg_proof", {"blob", "commitment"}},
      {"verify_kzg_proof", {"commitment", "z", "y", "proof"}},
      {"verify_blob_kzg_proof", {"blob", "commitment", "proof"}},
      {"compute_cells", {"blob"}},
      {"compute_cells_and_kzg_proofs", {"blob"}}};
  // The binary answer: a boolean as one byte, byte strings (and lists of them, and pairs of lists) as their bytes.
  const std::function<std::string(const json&)> bytes_of = [&](const json& v) -> std::string {
    if (v.is_boolean()) return std::string(1, v.get<bool>() ? '\1' : '\0');
    if (v.is_string()) return unhex(v.get<std::string>());
    std::string all;
    for (const auto& item : v) all += bytes_of(item);
    return all;
  };
  std::size_t cell_cases = 0;
  for (const auto& [op, fields] : layouts) {
    for (const auto& c : cases(op)) {
      std::string body;
      bool encodable = true;
      for (const auto& f : fields) {
        encodable = encodable && is_hex(c.input[f]);
        if (encodable) body += unhex(c.input[f].get<std::string>());
      }
      if (!encodable) continue;
      const auto r = service_->post(
          "/v1/" + op, body, {{"Content-Type", "application/octet-stream"}, {"Accept", "application/octet-stream"}});
      if (c.output.is_null()) {
        EXPECT_EQ(r.result_int(), 400u) << op << "/" << c.name << ": " << r.body();
      } else {
        ASSERT_EQ(r.result_int(), 200u) << op << "/" << c.name << ": " << r.body();
        EXPECT_EQ(r.body(), bytes_of(c.output)) << op << "/" << c.name;
        if (op.rfind("compute_cells", 0) == 0) {
          ++cell_cases;
          EXPECT_EQ(r.body().size(), op == "compute_cells" ? 128u * 2048 : 128u * (2048 + 48)) << c.name;
        }
      }
    }
  }
  EXPECT_GT(cell_cases, 0u);
}

TEST_F(EngineService, SpecVectorsInOneBatch) {
  if (kzg::test::spec_tests_dir().empty()) GTEST_SKIP() << "consensus-spec vectors not found";
  json requests = json::array();
  std::vector<json> expected;
  for (const char* op : {"verify_blob_kzg_proof", "verify_kzg_proof", "blob_to_kzg_commitment"}) {
    for (const auto& c : cases(op)) {
      if (requests.size() == 256) break;
      requests.push_back({{"op", op}, {"input", c.input}});
      expected.push_back(c.output);
    }
  }
  const auto r = service_->post("/v1/batch", json{{"requests", requests}}.dump());
  ASSERT_EQ(r.result_int(), 200u) << r.body().substr(0, 500);
  const auto responses = body_json(r)["responses"];
  ASSERT_EQ(responses.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (expected[i].is_null())
      EXPECT_TRUE(responses[i]["error"].is_object()) << i << ": " << responses[i].dump();
    else
      EXPECT_EQ(responses[i]["output"], expected[i]) << i;
  }
}

// Coalesced verification: every vector of a coalesced operation run together gives each case its own answer
// (valid, invalid and undecodable inputs mixed, so the group's combined check fails and bisection finds the
// false claims); the valid ones together pass as one group and are all true.
class CoalescedVectors : public EngineService, public ::testing::WithParamInterface<const char*> {};

TEST_P(CoalescedVectors, RunTogetherAnswerAsAlone) {
  if (kzg::test::spec_tests_dir().empty()) GTEST_SKIP() << "consensus-spec vectors not found";
  const std::string op = GetParam();
  ASSERT_TRUE(backend_->runs_together(op));
  const auto all = cases(op);
  std::vector<OperationInput> inputs;
  inputs.reserve(all.size());
  for (const auto& c : all) inputs.push_back({&c.input, nullptr});
  const auto outcomes = backend_->run_together(op, inputs);
  ASSERT_EQ(outcomes.size(), all.size());
  std::vector<OperationInput> valid;
  std::size_t falses = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Outcome alone = backend_->run(op, all[i].input);
    EXPECT_EQ(outcomes[i].output, alone.output) << all[i].name;
    EXPECT_EQ(outcomes[i].error.has_value(), alone.error.has_value()) << all[i].name;
    if (alone.error && outcomes[i].error) {
      EXPECT_EQ(outcomes[i].error->code, alone.error->code) << all[i].name;
      EXPECT_EQ(outcomes[i].error->field, alone.error->field) << all[i].name;
    }
    EXPECT_EQ(outcomes[i].output, all[i].output) << all[i].name;
    if (all[i].output == json(true)) valid.push_back(inputs[i]);
    falses += all[i].output == json(false);
  }
  ASSERT_GE(valid.size(), 2u);
  ASSERT_GE(falses, 1u);
  for (const Outcome& o : backend_->run_together(op, valid)) EXPECT_EQ(o.output, json(true));
}

INSTANTIATE_TEST_SUITE_P(EngineService, CoalescedVectors,
                         ::testing::Values("verify_kzg_proof", "verify_blob_kzg_proof", "verify_cell_kzg_proof_batch"));

// The same over HTTP: concurrent clients, coalescing on (the default), each answer as in the vectors.
TEST_F(EngineService, ConcurrentVerifyBlobRequestsOverHttp) {
  if (kzg::test::spec_tests_dir().empty()) GTEST_SKIP() << "consensus-spec vectors not found";
  const auto all = cases("verify_blob_kzg_proof");
  std::vector<std::thread> clients;
  clients.reserve(6);
  std::atomic<int> wrong{0};
  for (int t = 0; t < 6; ++t)
    clients.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < all.size() * 2; i += 6) {
        const auto& c = all[i % all.size()];
        const auto r = service_->post("/v1/verify_blob_kzg_proof", c.input.dump());
        const json body = json::parse(r.body(), nullptr, false);
        const bool ok =
            c.output.is_null() ? r.result_int() == 400 : (r.result_int() == 200 && body["output"] == c.output);
        if (!ok) ++wrong;
      }
    });
  for (auto& c : clients) c.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(EngineService, ZeroBlobRoundTrip) {
  const std::string blob(131072, '\0');
  const std::string infinity = std::string(1, '\xc0') + std::string(47, '\0');
  const std::map<std::string, std::string> binary{{"Content-Type", "application/octet-stream"},
                                                  {"Accept", "application/octet-stream"}};
  auto r = service_->post("/v1/blob_to_kzg_commitment", blob, binary);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(r.body(), infinity);
  r = service_->post("/v1/compute_blob_kzg_proof", blob + infinity, binary);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  const std::string proof = r.body();
  r = service_->post("/v1/verify_blob_kzg_proof", blob + infinity + proof, binary);
  EXPECT_EQ(r.body(), std::string(1, '\1'));
  r = service_->post("/v1/verify_blob_kzg_proof",
                     json{{"blob", hex(blob)}, {"commitment", hex(infinity)}, {"proof", hex(proof)}}.dump());
  EXPECT_EQ(body_json(r), (json{{"output", true}}));
}

TEST_F(EngineService, EngineErrorsNameTheField) {
  auto r = service_->post("/v1/verify_kzg_proof", R"({"commitment": "0x00"})");
  EXPECT_EQ(r.result_int(), 400u);
  EXPECT_TRUE(body_json(r)["error"]["field"].is_string()) << r.body();
  std::string blob(131072, '\xff');  // not canonical field elements
  r = service_->post("/v1/blob_to_kzg_commitment", blob, {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(r.result_int(), 400u) << r.body();
  EXPECT_EQ(body_json(r)["error"]["field"].get<std::string>().rfind("blob", 0), 0u) << r.body();
}

// The service's operation catalogue and the engine's dispatch list the same operations, in the same order: the
// catalogue gives each its permission, cost and deadline, the engine its function.
TEST(EngineOperations, TheCatalogueListsExactlyTheEngineOperations) {
  const auto& engine = kzg::api::operations();
  const auto catalogue = operation_catalogue();
  ASSERT_EQ(catalogue.size(), engine.size());
  for (std::size_t i = 0; i < engine.size(); ++i) {
    EXPECT_EQ(catalogue[i].name, engine[i].name) << i;
    EXPECT_NE(operation_permission(engine[i].name), Permission::admin) << engine[i].name;
  }
}

}  // namespace
}  // namespace kzgd
