// The KZG trusted setup: loading (c-kzg text format, ceremony JSON format, the embedded mainnet
// setup) with every point validated.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/bytes.hpp"
#include "engine/common/result.hpp"
#include "engine/curve/g1.hpp"
#include "engine/curve/g2.hpp"

namespace kzg {

struct TrustedSetup {
  std::vector<G1Affine> g1_lagrange;  // KZG_SETUP_G1_LAGRANGE: 4096 points, natural order (as in the files)
  std::vector<G1Affine> g1_monomial;  // KZG_SETUP_G1_MONOMIAL: 4096 points
  std::vector<G2Affine> g2_monomial;  // KZG_SETUP_G2_MONOMIAL: 65 points
};

// How many points a setup holds. Every loader defaults to the Ethereum mainnet shape; a smaller shape is for the
// tests and fuzz targets, which parse small synthetic setups through the same code and the same per-point
// validation (make_kzg_settings still requires the mainnet sizes).
struct TrustedSetupShape {
  std::size_t g1_points = kFieldElementsPerBlob;  // in each G1 form
  std::size_t g2_points = 65;
};

// c-kzg text format: "4096", "65", 4096 Lagrange G1, 65 monomial G2, 4096 monomial G1 (hex).
// Errors name the line number.
Result<TrustedSetup> load_trusted_setup_text(std::string_view text, const TrustedSetupShape& shape = {});
// Ceremony JSON: {"g1_lagrange": [...], "g2_monomial": [...], "g1_monomial": [...]} (0x-hex).
Result<TrustedSetup> load_trusted_setup_json(std::string_view text, const TrustedSetupShape& shape = {});
// Either format, picked from the first non-blank character ('{': ceremony JSON).
Result<TrustedSetup> load_trusted_setup_any(std::string_view text);
// A setup file's bytes, unparsed (at most 16 MiB).
Result<std::string> read_trusted_setup_file(const std::string& path);
// Reads a file and picks the format from its first non-blank character.
Result<TrustedSetup> load_trusted_setup_file(const std::string& path);
// The Ethereum mainnet setup embedded in the binary at build time.
Result<TrustedSetup> load_embedded_trusted_setup();

}  // namespace kzg
