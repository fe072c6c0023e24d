#include "setup/trusted_setup.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "setup/embedded_setup.hpp"

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

}  // namespace
}  // namespace kzg
