// core/regions: the divisions table and the one "does region A cover region B".
#include "core/regions.hpp"

#include <gtest/gtest.h>

namespace ihos {
namespace {

TEST(Regions, CoveredPrefixByLevel) {
  EXPECT_EQ(CoveredPrefix("110000"), "11");      // province
  EXPECT_EQ(CoveredPrefix("410100"), "4101");    // city
  EXPECT_EQ(CoveredPrefix("110101"), "110101");  // county
  EXPECT_EQ(CoveredPrefix("999999"), "999999");  // unknown: only itself
}

TEST(Regions, ProvinceCoversItsCitiesAndCounties) {
  EXPECT_TRUE(Covers("110000", "110000"));
  EXPECT_TRUE(Covers("110000", "110100"));
  EXPECT_TRUE(Covers("110000", "110105"));
  EXPECT_FALSE(Covers("110000", "120101"));
}

TEST(Regions, CityCoversItsCountiesOnly) {
  EXPECT_TRUE(Covers("410100", "410100"));
  EXPECT_TRUE(Covers("410100", "410102"));
  EXPECT_FALSE(Covers("410100", "410000"));  // not its province
  EXPECT_FALSE(Covers("410100", "410202"));  // not a sibling city's county
}

TEST(Regions, CountyCoversOnlyItself) {
  EXPECT_TRUE(Covers("110105", "110105"));
  EXPECT_FALSE(Covers("110105", "110106"));
  EXPECT_FALSE(Covers("110105", "110100"));
}

TEST(Regions, UnknownOrMalformedCodes) {
  EXPECT_TRUE(Covers("999999", "999999"));
  EXPECT_FALSE(Covers("999999", "999998"));
  EXPECT_FALSE(Covers("110000", ""));
  EXPECT_FALSE(Covers("", "110105"));
  EXPECT_FALSE(Covers("110000", "11"));  // a prefix is not a region
}

}  // namespace
}  // namespace ihos
