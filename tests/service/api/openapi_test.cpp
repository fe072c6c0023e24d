#include "service/api/openapi.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "service/api/codecs/error_status.hpp"
#include "service/catalogue/operation_catalogue.hpp"

namespace kzgd {
namespace {

using json = nlohmann::json;

const json& doc() {
  static const json d = openapi_document("1.2.3");
  return d;
}

// Follows a local "#/a/b" reference.
const json* resolve(const std::string& ref) {
  if (!ref.starts_with("#/")) return nullptr;
  try {
    return &doc().at(json::json_pointer(ref.substr(1)));
  } catch (const json::exception&) {
    return nullptr;
  }
}

TEST(OpenApi, IsAnOpenApi31DocumentWithTheVersion) {
  EXPECT_EQ(doc()["openapi"], "3.1.0");
  EXPECT_EQ(doc()["info"]["title"], "kzgd");
  EXPECT_EQ(doc()["info"]["version"], "1.2.3");
}

TEST(OpenApi, EveryReferenceResolves) {
  std::size_t refs = 0;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      if (const auto r = j.find("$ref"); r != j.end()) {
        ++refs;
        EXPECT_NE(resolve(r->get<std::string>()), nullptr) << *r;
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc());
  EXPECT_GT(refs, 100u);
}

TEST(OpenApi, EveryCatalogueOperationHasItsPathParametersAndOutput) {
  for (const OperationEntry& op : operation_catalogue()) {
    const std::string path = "/v1/" + std::string(op.name);
    ASSERT_TRUE(doc()["paths"].contains(path)) << path;
    const json& post = doc()["paths"][path]["post"];
    EXPECT_EQ(post["operationId"], op.name);
    const json& input = post["requestBody"]["content"]["application/json"]["schema"];
    ASSERT_EQ(input["required"].size(), op.parameters.size()) << path;
    for (std::size_t i = 0; i < op.parameters.size(); ++i) {
      EXPECT_EQ(input["required"][i], op.parameters[i].name) << path;
      EXPECT_TRUE(input["properties"].contains(std::string(op.parameters[i].name))) << path;
    }
    EXPECT_FALSE(op.output.empty()) << path;
    EXPECT_EQ(post["requestBody"]["content"].contains("application/octet-stream"), !op.binary.empty()) << path;
    const json& ok = post["responses"]["200"]["content"];
    EXPECT_EQ(ok["application/json"]["schema"]["required"], json::array({"output"})) << path;
    for (const char* status : {"400", "401", "403", "413", "415", "429", "500", "503", "504"})
      EXPECT_TRUE(post["responses"].contains(status)) << path << " " << status;
  }
  for (const char* path : {"/v1/batch", "/health", "/ready", "/metrics", "/openapi.json", "/debug/health"})
    EXPECT_TRUE(doc()["paths"].contains(path)) << path;
}

TEST(OpenApi, EachErrorStatusListsExactlyItsCodes) {
  for (const kzg::ErrorCode code : kzg::kAllErrorCodes) {
    const unsigned status = error_status(code).http;
    const json& schema = doc()["components"]["schemas"]["Error" + std::to_string(status)];
    ASSERT_TRUE(schema.is_object()) << status;
    const json& codes = schema["properties"]["error"]["properties"]["code"]["enum"];
    EXPECT_NE(std::find(codes.begin(), codes.end(), std::string(kzg::to_string(code))), codes.end()) << code;
    for (const auto& other : codes)
      EXPECT_EQ(error_status(*kzg::parse_error_code(other.get<std::string>())).http, status) << other;
    const json& all = doc()["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"];
    EXPECT_NE(std::find(all.begin(), all.end(), std::string(kzg::to_string(code))), all.end()) << code;
  }
}

TEST(OpenApi, ShapesOfTheSpecTypes) {
  const json& s = doc()["components"]["schemas"];
  EXPECT_EQ(s["Blob"]["minLength"], 2 + 2 * 131072);
  EXPECT_EQ(s["Bytes48"]["maxLength"], 98);
  EXPECT_EQ(s["Bytes32"]["maxLength"], 66);
  EXPECT_EQ(s["Cell"]["maxLength"], 2 + 2 * 2048);
  const json& pair = doc()["paths"]["/v1/compute_kzg_proof"]["post"]["responses"]["200"]["content"]["application/json"]
                          ["schema"]["properties"]["output"];
  EXPECT_EQ(pair["prefixItems"].size(), 2u);
  EXPECT_EQ(pair["prefixItems"][0]["$ref"], "#/components/schemas/Bytes48");
  EXPECT_EQ(pair["prefixItems"][1]["$ref"], "#/components/schemas/Bytes32");
  const json& evals = doc()["paths"]["/v1/compute_verify_cell_kzg_proof_batch_challenge"]["post"]["requestBody"]
                           ["content"]["application/json"]["schema"]["properties"]["cosets_evals"];
  EXPECT_EQ(evals["items"]["maxItems"], 64);
  EXPECT_EQ(evals["items"]["items"]["$ref"], "#/components/schemas/Bytes32");
}

}  // namespace
}  // namespace kzgd
