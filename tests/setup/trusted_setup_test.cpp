#include "engine/setup/trusted_setup.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/common/hex.hpp"
#include "engine/setup/embedded_setup.hpp"

namespace kzg {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

TEST(TrustedSetup, EmbeddedSetupLoadsAndValidates) {
  const auto s = load_embedded_trusted_setup();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->g1_lagrange.size(), 4096u);
  EXPECT_EQ(s->g1_monomial.size(), 4096u);
  EXPECT_EQ(s->g2_monomial.size(), 65u);
  // The monomial setup starts with the generators ([s^0] = 1).
  EXPECT_EQ(s->g1_monomial[0], G1Affine::generator());
  EXPECT_EQ(s->g2_monomial[0], G2Affine::generator());
}

TEST(TrustedSetup, JsonFormatGivesTheSamePoints) {
  const auto lines = lines_of(embedded_trusted_setup_text());
  nlohmann::json j;
  for (std::size_t i = 0; i < 4096; ++i) j["g1_lagrange"].push_back("0x" + lines[2 + i]);
  for (std::size_t i = 0; i < 65; ++i) j["g2_monomial"].push_back("0x" + lines[2 + 4096 + i]);
  for (std::size_t i = 0; i < 4096; ++i) j["g1_monomial"].push_back("0x" + lines[2 + 4096 + 65 + i]);
  const auto from_json = load_trusted_setup_json(j.dump());
  const auto from_text = load_embedded_trusted_setup();
  ASSERT_TRUE(from_json.ok()) << from_json.error().message;
  ASSERT_TRUE(from_text.ok()) << from_text.error().message;
  EXPECT_TRUE(from_json->g1_lagrange == from_text->g1_lagrange);
  EXPECT_TRUE(from_json->g1_monomial == from_text->g1_monomial);
  EXPECT_TRUE(from_json->g2_monomial == from_text->g2_monomial);
  j["g2_monomial"][3] = "0x1234";
  const auto bad = load_trusted_setup_json(j.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("g2_monomial[3]"), std::string::npos) << bad.error().message;
}

TEST(TrustedSetup, ErrorsNameTheLine) {
  auto lines = lines_of(embedded_trusted_setup_text());
  {
    auto l = lines;
    l[0] = "4095";
    const auto r = load_trusted_setup_text(join(l));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("line 1"), std::string::npos) << r.error().message;
  }
  {
    auto l = lines;
    l[9] = "zz" + l[9].substr(2);  // not hex
    const auto r = load_trusted_setup_text(join(l));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("line 10"), std::string::npos) << r.error().message;
  }
  {
    auto l = lines;
    l[5000][0] = '0';  // compression flag cleared on a G1 monomial point
    const auto r = load_trusted_setup_text(join(l));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("line 5001"), std::string::npos) << r.error().message;
  }
  {
    auto l = lines;
    l.pop_back();
    EXPECT_FALSE(load_trusted_setup_text(join(l)).ok());
  }
  EXPECT_FALSE(load_trusted_setup_text("").ok());
  EXPECT_FALSE(load_trusted_setup_file("/nonexistent/setup.txt").ok());
}

// Small synthetic setups (the fuzz target's inputs): the shape sets the counts, the point validation is the same.
std::string g1_hex(std::uint64_t k) {
  std::array<std::uint8_t, 48> b{};
  g1_compress(b, g1_mul(G1Projective::from_affine(G1Affine::generator()), Scalar{k, 0, 0, 0}).to_affine());
  return hex_encode(b);
}
std::string g2_hex(std::uint64_t k) {
  std::array<std::uint8_t, 96> b{};
  g2_compress(b, g2_mul(G2Projective::from_affine(G2Affine::generator()), Scalar{k, 0, 0, 0}).to_affine());
  return hex_encode(b);
}

TEST(TrustedSetup, SmallShapeLoadsInBothFormats) {
  const TrustedSetupShape shape{2, 3};
  const std::vector<std::string> g1l = {g1_hex(11), g1_hex(12)}, g2 = {g2_hex(1), g2_hex(5), g2_hex(25)},
                                 g1m = {g1_hex(1), g1_hex(5)};
  std::string text = "2\n3\n";
  for (const auto* list : {&g1l, &g2, &g1m})
    for (const auto& h : *list) text += h.substr(2) + "\n";
  const auto from_text = load_trusted_setup_text(text, shape);
  ASSERT_TRUE(from_text.ok()) << from_text.error().message;
  ASSERT_EQ(from_text->g1_lagrange.size(), 2u);
  ASSERT_EQ(from_text->g2_monomial.size(), 3u);
  ASSERT_EQ(from_text->g1_monomial.size(), 2u);
  EXPECT_EQ(from_text->g1_monomial[0], G1Affine::generator());
  EXPECT_EQ(from_text->g2_monomial[0], G2Affine::generator());
  EXPECT_EQ(from_text->g1_lagrange[1],
            g1_mul(G1Projective::from_affine(G1Affine::generator()), Scalar{12, 0, 0, 0}).to_affine());

  const nlohmann::json j = {{"g1_lagrange", g1l}, {"g2_monomial", g2}, {"g1_monomial", g1m}};
  const auto from_json = load_trusted_setup_json(j.dump(), shape);
  ASSERT_TRUE(from_json.ok()) << from_json.error().message;
  EXPECT_TRUE(from_json->g1_lagrange == from_text->g1_lagrange);
  EXPECT_TRUE(from_json->g2_monomial == from_text->g2_monomial);
  EXPECT_TRUE(from_json->g1_monomial == from_text->g1_monomial);

  // The default is the mainnet shape: the same files are refused, naming where.
  const auto mainnet_text = load_trusted_setup_text(text);
  ASSERT_FALSE(mainnet_text.ok());
  EXPECT_NE(mainnet_text.error().message.find("line 1"), std::string::npos) << mainnet_text.error().message;
  const auto mainnet_json = load_trusted_setup_json(j.dump());
  ASSERT_FALSE(mainnet_json.ok());
  EXPECT_NE(mainnet_json.error().message.find("expected 4096 points, found 2"), std::string::npos)
      << mainnet_json.error().message;
  EXPECT_FALSE(load_trusted_setup_text(text, TrustedSetupShape{2, 2}).ok());
}

TEST(TrustedSetup, SmallShapeStillChecksTheSubgroup) {
  // An x on E(Fp) outside G1: found by search, as the fuzz seeds do.
  std::array<std::uint8_t, 48> off{};
  for (std::uint8_t x = 1;; ++x) {
    off = {};
    off[0] = 0x80;
    off[47] = x;
    G1Affine p;
    if (g1_decompress_unchecked(p, off) == PointError::kOk && !p.is_in_subgroup()) break;
  }
  const std::string text = "1\n1\n" + g1_hex(3).substr(2) + "\n" + g2_hex(1).substr(2) + "\n" + hex_encode(off) + "\n";
  const auto r = load_trusted_setup_text(text, TrustedSetupShape{1, 1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kzg::ErrorCode::invalid_trusted_setup);
  EXPECT_NE(r.error().message.find("line 5: invalid point: not in the prime-order subgroup"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace kzg
