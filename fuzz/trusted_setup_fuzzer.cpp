// Trusted-setup parsing: the c-kzg text format and the ceremony JSON format (engine/setup), on small synthetic
// setups. The loaders take the expected shape (TrustedSetupShape); the mainnet shape of 4096/65 points would
// make every valid input megabytes long and every accepted one seconds of subgroup checks. The per-point
// decoding and validation is the production code's, unchanged.
//
// Input: the first byte chooses the format (bit 0: 0 text, 1 JSON) and the shape (bits 1-2: 1 to 4 G1 points in
// each form, bits 3-4: 1 to 4 G2 points); the rest is the file's content.
//
// Properties: loading never throws; an error is "invalid_trusted_setup" with a message; an accepted setup has
// the shape asked for, only valid subgroup points, and written back in either format it loads to the same points.
#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/common/hex.hpp"
#include "engine/setup/trusted_setup.hpp"
#include "fuzz/check.hpp"

namespace {

std::string hex_of(const kzg::G1Affine& p) {
  std::array<std::uint8_t, 48> b{};
  kzg::g1_compress(b, p);
  return kzg::hex_encode(b);
}

std::string hex_of(const kzg::G2Affine& p) {
  std::array<std::uint8_t, 96> b{};
  kzg::g2_compress(b, p);
  return kzg::hex_encode(b);
}

std::string to_text(const kzg::TrustedSetup& s) {
  std::string out = std::to_string(s.g1_lagrange.size()) + "\n" + std::to_string(s.g2_monomial.size()) + "\n";
  // The c-kzg files write the points without the 0x prefix.
  for (const auto& p : s.g1_lagrange) out += hex_of(p).substr(2) + "\n";
  for (const auto& p : s.g2_monomial) out += hex_of(p).substr(2) + "\n";
  for (const auto& p : s.g1_monomial) out += hex_of(p).substr(2) + "\n";
  return out;
}

std::string to_json(const kzg::TrustedSetup& s) {
  nlohmann::json j = {{"g1_lagrange", nlohmann::json::array()},
                      {"g2_monomial", nlohmann::json::array()},
                      {"g1_monomial", nlohmann::json::array()}};
  for (const auto& p : s.g1_lagrange) j["g1_lagrange"].push_back(hex_of(p));
  for (const auto& p : s.g2_monomial) j["g2_monomial"].push_back(hex_of(p));
  for (const auto& p : s.g1_monomial) j["g1_monomial"].push_back(hex_of(p));
  return j.dump();
}

bool same_points(const kzg::TrustedSetup& a, const kzg::TrustedSetup& b) {
  return a.g1_lagrange == b.g1_lagrange && a.g2_monomial == b.g2_monomial && a.g1_monomial == b.g1_monomial;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool json = (data[0] & 1) != 0;
  const kzg::TrustedSetupShape shape{std::size_t{1} + ((data[0] >> 1) & 3), std::size_t{1} + ((data[0] >> 3) & 3)};
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  const auto loaded = json ? kzg::load_trusted_setup_json(text, shape) : kzg::load_trusted_setup_text(text, shape);
  if (!loaded) {
    FUZZ_CHECK(loaded.error().code == kzg::ErrorCode::invalid_trusted_setup);
    FUZZ_CHECK(!loaded.error().message.empty());
    return 0;
  }
  const kzg::TrustedSetup& s = *loaded;
  FUZZ_CHECK(s.g1_lagrange.size() == shape.g1_points);
  FUZZ_CHECK(s.g1_monomial.size() == shape.g1_points);
  FUZZ_CHECK(s.g2_monomial.size() == shape.g2_points);
  for (const auto& p : s.g1_lagrange) FUZZ_CHECK(p.is_on_curve() && p.is_in_subgroup());
  for (const auto& p : s.g1_monomial) FUZZ_CHECK(p.is_on_curve() && p.is_in_subgroup());
  for (const auto& p : s.g2_monomial) FUZZ_CHECK(p.is_on_curve() && p.is_in_subgroup());

  const auto from_text = kzg::load_trusted_setup_text(to_text(s), shape);
  FUZZ_CHECK(from_text.ok() && same_points(*from_text, s));
  const auto from_json = kzg::load_trusted_setup_json(to_json(s), shape);
  FUZZ_CHECK(from_json.ok() && same_points(*from_json, s));
  return 0;
}
