#include "tests/support/spec_vectors.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace kzg::test {
namespace {

// YAML scalars of the vectors: booleans, null, decimal integers (cell indices) and 0x-hex strings.
nlohmann::json to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& e : n) a.push_back(to_json(e));
      return a;
    }
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      if (s == "true") return true;
      if (s == "false") return false;
      if (s == "null" || s == "~") return nullptr;
      if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::stoull(s);
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace

std::filesystem::path spec_tests_dir() {
  if (const char* env = std::getenv("KZG_SPEC_TESTS_DIR"); env != nullptr && *env != '\0') return env;
  const std::filesystem::path def = KZG_DEFAULT_VECTORS_DIR;
  return std::filesystem::is_directory(def) ? def : std::filesystem::path{};
}

std::vector<SpecCase> load_spec_cases(const std::string& function) {
  std::vector<SpecCase> cases;
  const auto root = spec_tests_dir();
  if (root.empty()) return cases;
  const auto dir = root / function / "kzg-mainnet";
  if (!std::filesystem::is_directory(dir)) return cases;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const YAML::Node doc = YAML::LoadFile((entry.path() / "data.yaml").string());
    cases.push_back({function, entry.path().filename().string(), to_json(doc["input"]), to_json(doc["output"])});
  }
  std::sort(cases.begin(), cases.end(), [](const SpecCase& a, const SpecCase& b) { return a.name < b.name; });
  return cases;
}

const KzgSettings& mainnet_settings() {
  static const std::shared_ptr<const KzgSettings> settings = [] {
    auto s = load_default_kzg_settings();
    if (!s) throw std::runtime_error("cannot load the embedded setup: " + s.error().message);
    return *s;
  }();
  return *settings;
}

}  // namespace kzg::test
