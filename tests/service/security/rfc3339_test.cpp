#include "service/security/rfc3339.hpp"

#include <gtest/gtest.h>

namespace kzgd {
namespace {

using std::chrono::system_clock;

long long unix_seconds(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TEST(Rfc3339, ParsesZonesAndFractions) {
  EXPECT_EQ(unix_seconds(*parse_rfc3339("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(unix_seconds(*parse_rfc3339("2027-01-31T23:59:59Z")), 1801439999);
  EXPECT_EQ(unix_seconds(*parse_rfc3339("2027-02-01T01:59:59+02:00")), 1801439999);
  EXPECT_EQ(unix_seconds(*parse_rfc3339("2027-01-31T20:29:59-03:30")), 1801439999);
  EXPECT_EQ(unix_seconds(*parse_rfc3339("2024-02-29T00:00:00z")), 1709164800);  // leap day
  const auto fraction = *parse_rfc3339("1970-01-01T00:00:01.25Z");
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(fraction.time_since_epoch()).count(), 1250);
}

TEST(Rfc3339, RefusesWhatIsNotADateTime) {
  for (const char* bad :
       {"", "2027-01-31", "2027-01-31T23:59:59", "2027-01-31 23:59:59Z", "2027-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
        "2027-13-01T00:00:00Z", "2027-01-31T24:00:00Z", "2027-01-31T23:59:59+2:00", "2027-01-31T23:59:59Zjunk",
        "2027-01-31T23:59:59.Z", "1969-12-31T23:59:59Z", "tomorrow"})
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
}

TEST(Rfc3339, FormatsUtcWholeSeconds) {
  EXPECT_EQ(format_rfc3339(system_clock::from_time_t(1801439999)), "2027-01-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2027-02-01T01:59:59+02:00")), "2027-01-31T23:59:59Z");
}

}  // namespace
}  // namespace kzgd
