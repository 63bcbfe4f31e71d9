// Pure scheduling rules: validation and the slot plan (times and dates: civil_time_test.cpp).
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/scheduling/rules.hpp"

namespace ihos::domain::scheduling {
namespace {

TEST(SchedulingRules, TemplateValidation) {
  std::vector<TemplatePeriod> ok = {
      {1, 480, 720, "text", 10, 0, false}, {1, 540, 600, "video", 5, 0, false}, {1, 720, 780, "text", 10, 0, false}};
  EXPECT_TRUE(ValidateTemplate(ok, false).empty()) << "touching periods and other services may overlap";
  std::vector<TemplatePeriod> bad = {{1, 480, 720, "text", 10, 0, false}, {1, 700, 800, "text", 10, 0, false}};
  auto errs = ValidateTemplate(bad, false);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field, "periods[1].start_time");
  EXPECT_EQ(errs[0].code, "period_overlap");
  EXPECT_EQ(ValidateTemplate({{2, 480, 720, "offline", 10, 0, false}}, false)[0].code, "offline_price_required");
  EXPECT_TRUE(ValidateTemplate({{2, 480, 720, "offline", 10, 0, true}}, true).empty());
  EXPECT_EQ(ValidateTemplate({{2, 480, 720, "offline", 10, 0, true}}, false)[0].code, "free_clinic_not_volunteer");
}

TEST(SchedulingRules, PlanAppliesPricesLeaveAndExtraShifts) {
  PractitionerInfo p;
  p.general_price_fen = 2500;
  p.free_clinic = true;
  Schedule s;
  s.periods = {{1, 480, 720, "text", 10, 0, false},
               {1, 840, 1020, "offline", 20, 6000, false},
               {2, 1140, 1260, "video", 5, 0, true}};
  Exception leave;
  leave.date = "2026-11-30";  // the next Monday
  leave.kind = "leave";
  leave.start_minute = 800;
  leave.end_minute = 900;
  leave.service = "offline";
  Exception extra;
  extra.date = "2026-11-25";
  extra.kind = "extra";
  extra.start_minute = 600;
  extra.end_minute = 660;
  extra.service = "phone";
  extra.capacity = 4;
  s.exceptions = {leave, extra};
  auto plan = Plan(s, p, "2026-11-23", 8);
  // Mon: text + offline; Tue: video (free); Wed: phone extra; next Mon: text only (offline on leave).
  ASSERT_EQ(plan.size(), 5u);
  EXPECT_EQ(plan[0].service, "text");
  EXPECT_EQ(plan[0].price_fen, 2500);
  EXPECT_EQ(plan[1].service, "offline");
  EXPECT_EQ(plan[1].price_fen, 6000);
  EXPECT_EQ(plan[2].service, "video");
  EXPECT_EQ(plan[2].price_fen, 0);
  EXPECT_TRUE(plan[2].free_clinic);
  EXPECT_EQ(plan[3].service, "phone");
  EXPECT_EQ(plan[3].capacity, 4);
  EXPECT_EQ(plan[3].price_fen, 2500);
  EXPECT_EQ(plan[4].date, "2026-11-30");
  EXPECT_EQ(plan[4].service, "text");
  EXPECT_FALSE(FirstOverlap(plan));
  // A free-clinic period of a doctor who is no longer a volunteer is charged normally.
  p.free_clinic = false;
  EXPECT_EQ(Plan(s, p, "2026-11-24", 1)[0].price_fen, 2500);
}

TEST(SchedulingRules, CancellationCutOff) {
  const std::int64_t start = 10 * 3600 * 1000;
  EXPECT_TRUE(PatientMayCancel(start, start - 3 * 3600 * 1000, 2 * 3600 * 1000));
  EXPECT_FALSE(PatientMayCancel(start, start - 2 * 3600 * 1000, 2 * 3600 * 1000));
  EXPECT_FALSE(PatientMayCancel(start, start + 1, 0));
}

TEST(SchedulingRules, ReminderADayBeforeOrTwoHoursBeforeOrNone) {
  constexpr std::int64_t kHour = 3600LL * 1000;
  const std::int64_t start = 1'800'000'000'000;
  EXPECT_EQ(ReminderAt(start, start - 72 * kHour), start - 24 * kHour);
  EXPECT_EQ(ReminderAt(start, start - 24 * kHour), start - 2 * kHour);  // booked just a day ahead
  EXPECT_EQ(ReminderAt(start, start - 5 * kHour), start - 2 * kHour);
  EXPECT_EQ(ReminderAt(start, start - 2 * kHour), std::nullopt);
  EXPECT_EQ(ReminderAt(start, start - kHour), std::nullopt);
}

}  // namespace
}  // namespace ihos::domain::scheduling
