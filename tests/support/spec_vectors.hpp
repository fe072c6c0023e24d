// Access to the official consensus-spec KZG vectors: found in $KZG_SPEC_TESTS_DIR or beside the
// repository (../shared/kzg-spec-tests); tests skip, saying why, when they are absent.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/kzg/settings.hpp"

namespace kzg::test {

struct SpecCase {
  std::string function;  // e.g. "verify_kzg_proof"
  std::string name;      // the case directory name
  nlohmann::json input;
  nlohmann::json output;  // null where the spec function must raise
};

// The vectors directory, or empty when absent.
std::filesystem::path spec_tests_dir();
// Every case of `function` (sorted by name); empty when the vectors are absent.
std::vector<SpecCase> load_spec_cases(const std::string& function);
// The mainnet settings (embedded setup), loaded once per test process.
const KzgSettings& mainnet_settings();

}  // namespace kzg::test
