// core/civil_time: dates, CST milliseconds, "HH:MM" and the one window text.
#include "core/civil_time.hpp"

#include <gtest/gtest.h>

namespace ihos {
namespace {

TEST(CivilTime, TimesOfDay) {
  EXPECT_EQ(ParseHhmm("08:30", false), 510);
  EXPECT_EQ(ParseHhmm("00:00", false), 0);
  EXPECT_EQ(ParseHhmm("24:00", true), 1440);
  EXPECT_FALSE(ParseHhmm("24:00", false));
  EXPECT_FALSE(ParseHhmm("8:30", false));
  EXPECT_FALSE(ParseHhmm("12:60", false));
  EXPECT_FALSE(ParseHhmm("ab:cd", false));
  EXPECT_EQ(FormatHhmm(510), "08:30");
}

TEST(CivilTime, ChinaStandardTimeDates) {
  EXPECT_EQ(WeekdayOf("2026-11-23"), 1);  // a Monday
  EXPECT_EQ(WeekdayOf("2026-11-29"), 7);
  EXPECT_EQ(AddDays("2026-12-31", 1), "2027-01-01");
  EXPECT_FALSE(DateToDays("2026-02-30"));
  EXPECT_FALSE(DateToDays("2026-2-3"));
  // 09:00 CST is 01:00 UTC.
  EXPECT_EQ(CstMs("1970-01-02", 9 * 60), (24 + 1) * 3600LL * 1000);
  EXPECT_EQ(CstTimeOfDay(CstMs("2026-11-23", 510)), "08:30");
  EXPECT_EQ(CivilDateCst(CstMs("2026-11-23", 0)), "2026-11-23");
  EXPECT_EQ(CivilDateCst(CstMs("2026-11-23", 1439)), "2026-11-23");
}

TEST(CivilTime, MoreDates) {
  EXPECT_EQ(DateToDays("1970-01-01"), 0);
  EXPECT_FALSE(DateToDays("1969-12-31"));
  EXPECT_EQ(DaysToDate(0), "1970-01-01");
  EXPECT_EQ(AddDays("2024-03-01", -1), "2024-02-29");
  EXPECT_EQ(CivilDateCst(0), "1970-01-01");
  EXPECT_EQ(CivilDateCst(16 * 3600LL * 1000), "1970-01-02");  // 16:00 UTC is midnight CST
  EXPECT_EQ(CstMidnightMs("1970-01-02"), 16 * 3600LL * 1000);
  EXPECT_FALSE(IsValidIsoDate("2026-13-01"));
  EXPECT_EQ(FormatHhmm(1440), "24:00");
  EXPECT_EQ(CstTimeOfDay(CstMs("2026-11-23", 1440)), "00:00");  // an instant at midnight
}

TEST(CivilTime, IsoDateTimeInChinaTime) {
  EXPECT_EQ(CstIsoDateTime(CstMs("2026-11-24", 9 * 60)), "2026-11-24T09:00:00+08:00");
  EXPECT_EQ(CstIsoDateTime(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(CstIsoDateTime(CstMs("2026-12-31", 1439) + 59'999), "2026-12-31T23:59:59+08:00");
}

TEST(CivilTime, WindowText) {
  EXPECT_EQ(WindowText(CstMs("2026-11-23", 480), CstMs("2026-11-23", 540)), "08:00–09:00");
  // A window that ends at the next midnight reads 24:00, not 00:00.
  EXPECT_EQ(WindowText(CstMs("2026-11-23", 23 * 60), CstMs("2026-11-23", 1440)), "23:00–24:00");
  EXPECT_EQ(WindowText(CstMs("2026-11-23", 0), CstMs("2026-11-23", 30)), "00:00–00:30");
  // An empty window at midnight is not stretched to a day.
  EXPECT_EQ(WindowText(CstMs("2026-11-24", 0), CstMs("2026-11-24", 0)), "00:00–00:00");
}

}  // namespace
}  // namespace ihos
