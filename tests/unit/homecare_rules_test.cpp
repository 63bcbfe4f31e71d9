// Pure rules of home services: window text, area cover, order checks, cancellation, notices.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/homecare/rules.hpp"

namespace ihos::domain::homecare {
namespace {

constexpr std::int64_t kNow = 1'794'961'560'000;  // 2026-11-18 08:26 CST
constexpr std::int64_t kHour = 3'600'000;

TEST(HomeCareRules, WindowTextEndsAtMidnightAs2400) {
  const std::int64_t day = CstMs("2026-11-23", 0);
  EXPECT_EQ(WindowText(day + 9 * kHour, day + 10 * kHour), "09:00–10:00");
  // A window that ends at the next midnight reads 24:00, as nattest's does (not 00:00).
  EXPECT_EQ(WindowText(day + 23 * kHour, day + 24 * kHour), "23:00–24:00");
  EXPECT_EQ(WindowText(day, day + kHour), "00:00–01:00");
}

TEST(HomeCareRules, NoticeOfALateWindowSays2400) {
  Order o;
  o.patient_id = 7;
  o.booked_by = 7;
  o.service_name_zh = "上门注射";
  o.service_name_en = "Home injection";
  o.window_start = CstMs("2026-11-23", 23 * 60);
  o.window_end = CstMs("2026-11-23", 24 * 60);
  Notice n = NoticeOf(o, "accepted", "");
  EXPECT_EQ(n.kind, "homecare_accepted");
  EXPECT_EQ(n.title_en, "A nurse accepted your order");
  EXPECT_EQ(n.body_en, "Your Home injection (2026-11-23 23:00–24:00 CST) was accepted.");
  EXPECT_EQ(n.body_zh, "您的上门注射（2026-11-23 23:00–24:00）已接单，将按预约时间上门。");
  Notice c = NoticeOf(o, "cancelled", "有事");
  EXPECT_EQ(c.body_en, "Your Home injection (2026-11-23 23:00–24:00 CST) was cancelled. Note: 有事");
  EXPECT_EQ(c.body_zh.substr(c.body_zh.size() - std::string("说明：有事").size()), "说明：有事");
}

TEST(HomeCareRules, AreaCoversEverythingUnderIt) {
  EXPECT_TRUE(Covers({"110000"}, "110105"));   // a province
  EXPECT_TRUE(Covers({"110100"}, "110101"));   // a city
  EXPECT_TRUE(Covers({"110101"}, "110101"));   // a county itself
  EXPECT_FALSE(Covers({"110101"}, "110105"));  // a neighbouring county
  EXPECT_FALSE(Covers({"310000"}, "110101"));
  EXPECT_TRUE(Covers({"310000", "110105"}, "110105"));
  EXPECT_FALSE(Covers({}, "110101"));
}

TEST(HomeCareRules, Phone) {
  EXPECT_TRUE(IsPhone("13800000022"));
  EXPECT_FALSE(IsPhone("23800000022"));
  EXPECT_FALSE(IsPhone("1380000002"));
  EXPECT_FALSE(IsPhone("1380000002x"));
}

TEST(HomeCareRules, OrderChecks) {
  OrderInput in;
  in.service_code = "injection";
  in.region_code = "110101";
  in.address = "addr";
  in.date = "2026-11-18";
  in.start_time = "23:00";
  in.end_time = "24:00";
  auto ok = CheckOrder(in, kNow);
  ASSERT_TRUE(ok.errors.empty());
  EXPECT_EQ(ok.end_at - ok.start_at, kHour);
  in.start_time = "08:00";
  in.end_time = "09:00";
  ASSERT_EQ(CheckOrder(in, kNow).errors.size(), 1u);
  EXPECT_EQ(CheckOrder(in, kNow).errors[0].code, "window_past");
  in.date = AddDays("2026-11-18", kOrderAheadDays);
  EXPECT_EQ(CheckOrder(in, kNow).errors[0].code, "out_of_range");
  in.date = "2026-11-19";
  in.contact_phone = "123";
  in.end_time = "07:00";
  std::vector<std::string> got;
  for (const auto& e : CheckOrder(in, kNow).errors) got.push_back(e.field + ":" + e.code);
  EXPECT_EQ(got, (std::vector<std::string>{"contact_phone:phone_format", "end_time:end_before_start"}));
}

TEST(HomeCareRules, Areas) {
  EXPECT_TRUE(CheckAreas({"110000", "310104"}).empty());
  EXPECT_EQ(CheckAreas({}).at(0).code, "required");
  EXPECT_EQ(CheckAreas(std::vector<std::string>(kMaxAreas + 1, "110000")).at(0).code, "too_many_items");
  auto bad = CheckAreas({"110000", "999999"});
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].field, "region_codes[1]");
}

TEST(HomeCareRules, CancellationAndRoles) {
  EXPECT_TRUE(CanCancel("requested"));
  EXPECT_TRUE(CanCancel("accepted"));
  EXPECT_FALSE(CanCancel("arrived"));
  EXPECT_FALSE(CanCancel("completed"));
  EXPECT_FALSE(CancelNeedsReason("requested"));
  EXPECT_TRUE(CancelNeedsReason("accepted"));
  Order o;
  o.patient_id = 1;
  o.booked_by = 2;
  EXPECT_EQ(ActorRole(o, 1), "patient");
  EXPECT_EQ(ActorRole(o, 2), "guardian");
  EXPECT_EQ(ActorRole(o, 3), "nurse");
}

}  // namespace
}  // namespace ihos::domain::homecare
