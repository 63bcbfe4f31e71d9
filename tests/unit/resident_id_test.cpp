#include "core/resident_id.hpp"

#include <gtest/gtest.h>

namespace ihos {
namespace {

TEST(ResidentId, AcceptsTheStandardExampleAndDerivesBirthAndSex) {
  // GB 11643-1999's worked example: 11010519491231002X.
  auto id = ParseResidentId("11010519491231002x", "2026-11-23");
  ASSERT_TRUE(id) << id.error().code;
  EXPECT_EQ(id->number, "11010519491231002X");
  EXPECT_EQ(id->birth_date, "1949-12-31");
  EXPECT_EQ(id->sex, "female");  // sequence 002: even
  EXPECT_EQ(id->region, "110105");
}

TEST(ResidentId, ComputesCheckCharacters) {
  EXPECT_EQ(ResidentIdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(ResidentIdCheckChar("44052418800101001"), '4');
}

TEST(ResidentId, RefusesEachKindOfError) {
  const char* today = "2026-11-23";
  EXPECT_EQ(ParseResidentId("1101051949123100", today).error().code, "id_number_format");
  EXPECT_EQ(ParseResidentId("1101051949123100AX", today).error().code, "id_number_format");
  EXPECT_EQ(ParseResidentId("11010519491231002Y", today).error().code, "id_number_format");
  EXPECT_EQ(ParseResidentId("99010519491231002X", today).error().code, "id_number_region");
  EXPECT_EQ(ParseResidentId("110105194902300021", today).error().code, "id_number_birth_date");  // Feb 30
  EXPECT_EQ(ParseResidentId("110105203001010011", today).error().code, "id_number_birth_date");  // future
  EXPECT_EQ(ParseResidentId("110105194912310021", today).error().code, "id_number_check_digit");
  auto e = ParseResidentId("110105194912310021", today).error();
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].field, "id_number");
}

TEST(ResidentId, AgeCountsWholeYears) {
  EXPECT_EQ(AgeOn("2008-11-24", "2026-11-23"), 17);
  EXPECT_EQ(AgeOn("2008-11-23", "2026-11-23"), 18);
  EXPECT_EQ(AgeOn("2000-02-29", "2026-02-28"), 25);
}

}  // namespace
}  // namespace ihos
