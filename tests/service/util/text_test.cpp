#include "service/util/text.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace kzgd {
namespace {

using List = std::vector<std::string_view>;

TEST(Text, TrimRemovesSurroundingWhitespaceOnly) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
}

TEST(Text, SplitListTrimsItemsAndKeepsEmptyOnesForTheCaller) {
  EXPECT_EQ(split_list(""), List{});
  EXPECT_EQ(split_list("   "), List{});
  EXPECT_EQ(split_list("a"), List{"a"});
  EXPECT_EQ(split_list(" a , b\t,c "), (List{"a", "b", "c"}));
  EXPECT_EQ(split_list("a,,b"), (List{"a", "", "b"}));  // the caller refuses the empty item
  EXPECT_EQ(split_list("a, b,"), (List{"a", "b"}));     // a trailing comma adds nothing
  EXPECT_EQ(split_list("10.0.0.0/8, ::1"), (List{"10.0.0.0/8", "::1"}));
}

}  // namespace
}  // namespace kzgd
