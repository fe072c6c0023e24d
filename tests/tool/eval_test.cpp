#include "tool/eval.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/spec_vectors.hpp"

namespace kzg::tool {
namespace {

using nlohmann::json;

std::vector<json> eval_lines(const std::string& input, const EvalOptions& options = {}) {
  std::istringstream in(input);
  std::ostringstream out;
  run_eval(in, out, test::mainnet_settings(), options);
  std::vector<json> answers;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) answers.push_back(json::parse(line));
  return answers;
}

TEST(Eval, MalformedLinesGetErrorAnswersInOrder) {
  const auto a = eval_lines(
      "not json\n"
      "[1,2]\n"
      "{\"id\": 7}\n"
      "{\"id\": \"x\", \"op\": \"no_such_op\", \"input\": {}}\n"
      "\n"
      "{\"id\": {\"k\": 1}, \"op\": \"compute_challenge\", \"input\": {\"blob\": \"0x00\"}}\n");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_TRUE(a[0]["id"].is_null());
  EXPECT_TRUE(a[0]["output"].is_null());
  EXPECT_EQ(a[0]["error"], "malformed JSON request");
  EXPECT_EQ(a[1]["error"], "the request must be a JSON object");
  EXPECT_EQ(a[2]["id"], 7);
  EXPECT_EQ(a[2]["error"], "op: missing or not a string");
  EXPECT_EQ(a[3]["id"], "x");
  EXPECT_NE(a[3]["error"].get<std::string>().find("unknown operation"), std::string::npos);
  EXPECT_EQ(a[4]["id"], json({{"k", 1}}));
  EXPECT_EQ(a[4]["error"].get<std::string>().rfind("blob: ", 0), 0u) << a[4]["error"];
}

TEST(Eval, OverlongLineIsRefusedAndTheNextStillAnswered) {
  EvalOptions options;
  options.max_line_bytes = 64;
  const auto a = eval_lines(std::string(1000, 'x') + "\n{\"id\":1,\"op\":\"nope\",\"input\":{}}\n", options);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_NE(a[0]["error"].get<std::string>().find("longer than 64 bytes"), std::string::npos);
  EXPECT_EQ(a[1]["id"], 1);
}

TEST(Eval, AnswersEveryDenebVectorLikeTheSpec) {
  std::string input;
  std::vector<test::SpecCase> all;
  for (const char* f : {"blob_to_kzg_commitment", "compute_kzg_proof", "compute_blob_kzg_proof", "verify_kzg_proof",
                        "verify_blob_kzg_proof", "verify_blob_kzg_proof_batch", "compute_challenge"}) {
    for (auto& c : test::load_spec_cases(f)) {
      input += json{{"id", all.size()}, {"op", c.function}, {"input", c.input}}.dump() + "\n";
      all.push_back(std::move(c));
    }
  }
  if (all.empty()) GTEST_SKIP() << "consensus-spec vectors not found (set KZG_SPEC_TESTS_DIR)";
  const auto answers = eval_lines(input);
  ASSERT_EQ(answers.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(answers[i]["id"], i);
    EXPECT_EQ(answers[i]["output"], all[i].output) << all[i].function << "/" << all[i].name;
    EXPECT_EQ(answers[i].contains("error"), all[i].output.is_null()) << all[i].function << "/" << all[i].name;
  }
}

}  // namespace
}  // namespace kzg::tool
