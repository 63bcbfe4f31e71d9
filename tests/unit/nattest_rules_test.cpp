// Pure rules of nucleic-acid test booking: the sample number, window text, slot plans, home visits.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/nattest/rules.hpp"

namespace ihos::domain::nattest {
namespace {

constexpr std::int64_t kNow = 1'794'961'560'000;  // 2026-11-18 08:26 CST

TEST(SampleNumber, CheckDigitCatchesTypos) {
  const std::string n = domain::nattest::SampleNumber("2026-11-23", 42);
  EXPECT_EQ(n.size(), 17u);
  EXPECT_EQ(n.substr(0, 9), "N20261123");
  EXPECT_TRUE(domain::nattest::IsSampleNumber(n));
  for (std::size_t i = 1; i < n.size(); ++i) {
    std::string typo = n;
    typo[i] = typo[i] == '9' ? '0' : static_cast<char>(typo[i] + 1);
    EXPECT_FALSE(domain::nattest::IsSampleNumber(typo)) << typo;
  }
  std::string swapped = n;
  std::swap(swapped[14], swapped[15]);
  if (swapped != n) {
    EXPECT_FALSE(domain::nattest::IsSampleNumber(swapped));
  }
}

TEST(NatTestRules, SampleNumberShape) {
  EXPECT_FALSE(IsSampleNumber(""));
  EXPECT_FALSE(IsSampleNumber("n2026112300000426"));
  EXPECT_FALSE(IsSampleNumber("N20261123000004x6"));
  EXPECT_EQ(SampleNumber("2026-11-23", 12345678).size(), 18u);  // ids past 7 digits grow the number
  EXPECT_TRUE(IsSampleNumber(SampleNumber("2026-11-23", 12345678)));
}

TEST(NatTestRules, WindowTextEndsAtMidnightAs2400) {
  const std::int64_t day = CstMs("2026-11-23", 0);
  EXPECT_EQ(WindowText(day + 8 * 3'600'000, day + 9 * 3'600'000), "08:00–09:00");
  EXPECT_EQ(WindowText(day + 23 * 3'600'000, day + 24 * 3'600'000), "23:00–24:00");
}

TEST(NatTestRules, RegionPrefixCoversChildren) {
  EXPECT_EQ(RegionPrefix("110000"), "11");
  EXPECT_EQ(RegionPrefix("110100"), "1101");
  EXPECT_EQ(RegionPrefix("110101"), "110101");
  EXPECT_EQ(RegionPrefix("999999"), "999999");
}

TEST(NatTestRules, SiteChecks) {
  EXPECT_TRUE(CheckSite({"A", "hospital", "110101", "addr", ""}).empty());
  auto errs = CheckSite({"", "clinic", "999999", "", ""});
  ASSERT_EQ(errs.size(), 4u);
  EXPECT_EQ(errs[0].field, "name");
  EXPECT_EQ(errs[1].field, "kind");
  EXPECT_EQ(errs[2].code, "region_unknown");
  EXPECT_EQ(errs[3].field, "address");
}

TEST(NatTestRules, SlotPlanMakesWindowsPerDay) {
  auto p = PlanSlots({"2026-11-18", 2, "08:00", "10:30", 60, 30}, "2026-11-18");
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.slots.size(), 4u);  // 08–09, 09–10 on each day; 10:00–11:00 does not fit
  EXPECT_EQ(p.slots[0].date, "2026-11-18");
  EXPECT_EQ(p.slots[0].start_at, CstMs("2026-11-18", 8 * 60));
  EXPECT_EQ(p.slots[1].end_at, CstMs("2026-11-18", 10 * 60));
  EXPECT_EQ(p.slots[3].date, "2026-11-19");
  // Shorter hours than one window: no windows and no error (the service names it).
  auto none = PlanSlots({"2026-11-18", 1, "08:00", "08:30", 60, 30}, "2026-11-18");
  EXPECT_TRUE(none.errors.empty());
  EXPECT_TRUE(none.slots.empty());
  // A window may end at midnight.
  auto late = PlanSlots({"2026-11-18", 1, "23:00", "24:00", 60, 30}, "2026-11-18");
  ASSERT_EQ(late.slots.size(), 1u);
  EXPECT_EQ(WindowText(late.slots[0].start_at, late.slots[0].end_at), "23:00–24:00");
}

TEST(NatTestRules, SlotPlanRefusals) {
  auto bad = PlanSlots({"2026-11-17", 0, "9:00", "08:00", 5, 0}, "2026-11-18");
  std::vector<std::string> fields;
  for (const auto& e : bad.errors) fields.push_back(e.field + ":" + e.code);
  EXPECT_EQ(fields, (std::vector<std::string>{"from_date:date_past", "days:out_of_range", "start_time:time_format",
                                              "window_minutes:out_of_range", "capacity:out_of_range"}));
  EXPECT_TRUE(bad.slots.empty());
  auto order = PlanSlots({"2026-11-18", 1, "10:00", "09:00", 60, 1}, "2026-11-18");
  ASSERT_EQ(order.errors.size(), 1u);
  EXPECT_EQ(order.errors[0].code, "end_before_start");
  EXPECT_EQ(PlanSlots({"2026-02-30", 1, "08:00", "09:00", 60, 1}, "2026-11-18").errors[0].code, "invalid_date");
}

TEST(NatTestRules, HomeVisitWindow) {
  HomeVisitInput in{std::nullopt, "110101", "addr", "2026-11-18", "09:00", "10:00"};
  auto ok = CheckHomeVisit(in, kNow);
  ASSERT_TRUE(ok.errors.empty());
  EXPECT_EQ(ok.start_at, CstMs("2026-11-18", 9 * 60));
  EXPECT_EQ(ok.end_at, CstMs("2026-11-18", 10 * 60));
  in.start_time = "08:00";  // already started at 08:26
  ASSERT_EQ(CheckHomeVisit(in, kNow).errors.size(), 1u);
  EXPECT_EQ(CheckHomeVisit(in, kNow).errors[0].code, "window_past");
  in.start_time = "09:00";
  in.date = AddDays("2026-11-18", kBookAheadDays);  // past the horizon
  EXPECT_EQ(CheckHomeVisit(in, kNow).errors[0].code, "out_of_range");
  in.date = "2026-11-19";
  in.region_code = "999999";
  in.address = "";
  EXPECT_EQ(CheckHomeVisit(in, kNow).errors.size(), 2u);
}

TEST(NatTestRules, ReadyForCollection) {
  EXPECT_EQ(ReadyForCollection("site"), "booked");
  EXPECT_EQ(ReadyForCollection("home"), "accepted");
}

}  // namespace
}  // namespace ihos::domain::nattest
