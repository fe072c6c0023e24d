#include "service/api/codecs/binary_layout.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

TEST(BinaryLayout, TheSingleClaimOperations) {
  ASSERT_NE(find_binary_layout("blob_to_kzg_commitment"), nullptr);
  EXPECT_EQ(find_binary_layout("blob_to_kzg_commitment")->total_size(), 131072u);
  EXPECT_EQ(find_binary_layout("compute_blob_kzg_proof")->total_size(), 131120u);
  EXPECT_EQ(find_binary_layout("verify_blob_kzg_proof")->total_size(), 131168u);
  ASSERT_NE(find_binary_layout("verify_kzg_proof"), nullptr);
  EXPECT_EQ(find_binary_layout("verify_kzg_proof")->total_size(), 160u);
  EXPECT_EQ(find_binary_layout("compute_kzg_proof"), nullptr);
  ASSERT_NE(find_binary_layout("compute_cells"), nullptr);
  EXPECT_EQ(find_binary_layout("compute_cells")->total_size(), 131072u);
  ASSERT_NE(find_binary_layout("compute_cells_and_kzg_proofs"), nullptr);
  EXPECT_EQ(find_binary_layout("compute_cells_and_kzg_proofs")->total_size(), 131072u);
  EXPECT_EQ(find_binary_layout("batch"), nullptr);
}

TEST(BinaryLayout, SplitsInSpecOrderWithoutCopying) {
  std::vector<std::uint8_t> body(131168);
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<std::uint8_t>(i * 7);
  const auto input = split_binary_body(*find_binary_layout("verify_blob_kzg_proof"), body);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->fields.size(), 3u);
  EXPECT_EQ(input->field("blob").data(), body.data());
  EXPECT_EQ(input->field("blob").size(), 131072u);
  EXPECT_EQ(input->field("commitment").data(), body.data() + 131072);
  EXPECT_EQ(input->field("commitment").size(), 48u);
  EXPECT_EQ(input->field("proof").data(), body.data() + 131120);
  EXPECT_EQ(input->field("proof").size(), 48u);
  EXPECT_TRUE(input->field("z").empty());
}

TEST(BinaryLayout, WrongSizeNamesTheLayout) {
  std::vector<std::uint8_t> body(131072 + 47);
  const auto input = split_binary_body(*find_binary_layout("compute_blob_kzg_proof"), body);
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.error().code, kzg::ErrorCode::invalid_length);
  EXPECT_EQ(input.error().field, "body");
  EXPECT_NE(input.error().message.find("blob (131072) || commitment (48) = 131120 bytes, got 131119"),
            std::string::npos)
      << input.error().message;
}

}  // namespace
}  // namespace kzgd
