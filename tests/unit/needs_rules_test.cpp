// The need registry's pure rules: urgency, the lifecycle, distances, masking, the shortage roll-up.
#include <gtest/gtest.h>

#include "domain/needs/rules.hpp"

namespace ihos::domain::needs {
namespace {

TEST(NeedRules, UrgentWithThreeDaysLeftOrWhenMarked) {
  EXPECT_EQ(UrgencyOf(0, false), "urgent");
  EXPECT_EQ(UrgencyOf(3, false), "urgent");
  EXPECT_EQ(UrgencyOf(4, false), "normal");
  EXPECT_EQ(UrgencyOf(30, true), "urgent");
}

TEST(NeedRules, LifecycleMovesOnlyForward) {
  EXPECT_TRUE(CanMove("awaiting_consent", "open"));
  EXPECT_TRUE(CanMove("awaiting_consent", "cancelled"));
  EXPECT_FALSE(CanMove("awaiting_consent", "fulfilled"));  // no fulfilment before consent
  for (auto to : {"fulfilled", "closed", "cancelled", "lapsed"}) EXPECT_TRUE(CanMove("open", to)) << to;
  EXPECT_FALSE(CanMove("open", "awaiting_consent"));
  for (auto from : {"fulfilled", "closed", "cancelled", "lapsed"}) {
    EXPECT_TRUE(IsFinal(from));
    EXPECT_FALSE(CanMove(from, "open")) << from;
    EXPECT_FALSE(CanMove(from, "cancelled")) << from;
  }
}

TEST(NeedRules, DistanceIsTheGreatCircle) {
  // 天安门 (39.9087, 116.3975) to 北京站 (39.9030, 116.4270): about 2.6 km.
  const auto d = DistanceM(39'908'700, 116'397'500, 39'903'000, 116'427'000);
  EXPECT_GT(d, 2400);
  EXPECT_LT(d, 2800);
  EXPECT_EQ(DistanceM(30'000'000, 114'000'000, 30'000'000, 114'000'000), 0);
  // One degree of latitude is about 111 km.
  EXPECT_NEAR(static_cast<double>(DistanceM(30'000'000, 114'000'000, 31'000'000, 114'000'000)), 111195, 50);
}

TEST(NeedRules, TheBoxHoldsTheCircle) {
  const std::int64_t lat = 30'593'000, lon = 114'305'000;  // 武汉
  const auto dlat = LatSpanE6(5000), dlon = LonSpanE6(5000, lat);
  EXPECT_GE(DistanceM(lat, lon, lat + dlat, lon), 5000);
  EXPECT_GE(DistanceM(lat, lon, lat, lon + dlon), 5000);
  EXPECT_LT(DistanceM(lat, lon, lat + dlat, lon), 5100);
}

TEST(NeedRules, OnlyChinaCoordinates) {
  EXPECT_TRUE(InChina(30'593'000, 114'305'000));
  EXPECT_FALSE(InChina(0, 0));
  EXPECT_FALSE(InChina(51'500'000, -120'000));
}

TEST(NeedRules, PhonesAreMaskedAndChecked) {
  EXPECT_EQ(MaskPhone("13800000002"), "138****0002");
  EXPECT_EQ(MaskPhone("123"), "***");
  EXPECT_TRUE(IsMobile("13800000002"));
  EXPECT_FALSE(IsMobile("23800000002"));
  EXPECT_FALSE(IsMobile("1380000000"));
  EXPECT_FALSE(IsMobile("1380000000a"));
}

TEST(NeedRules, RegionAtALevel) {
  EXPECT_EQ(RegionAt("420106", "province"), "420000");  // 武昌区 -> 湖北省
  EXPECT_EQ(RegionAt("420106", "city"), "420100");      // -> 武汉市
  EXPECT_EQ(RegionAt("420106", "county"), "420106");
  EXPECT_EQ(RegionAt("420000", "city"), "420000");  // already above
}

TEST(NeedRules, RollUpSumsCountiesIntoTheirProvinceAndSortsByNeeds) {
  constexpr std::int64_t day = 24LL * 3600 * 1000;
  const std::int64_t now = 100 * day;
  ShortageRow a{"420106", "", 7, "氨氯地平 5mg", 2, 1, 1, 4, 0, 0, 2 * (now - 4 * day), now - 6 * day};
  ShortageRow b{"420102", "", 7, "氨氯地平 5mg", 1, 1, 0, 1, 0, 0, now - 1 * day, now - 1 * day};
  ShortageRow c{"110105", "", 7, "氨氯地平 5mg", 1, 0, 1, 2, 0, 0, now - 2 * day, now - 2 * day};
  ShortageRow d{"420106", "", 9, "二甲双胍 0.5g", 1, 0, 0, 1, 0, 0, now, now};
  const auto rows = RollUp({a, b, c, d}, "province", now);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].region_code, "420000");
  EXPECT_EQ(rows[0].formulary_item_id, 7);
  EXPECT_EQ(rows[0].needs, 3);
  EXPECT_EQ(rows[0].urgent, 2);
  EXPECT_EQ(rows[0].unmatched, 1);
  EXPECT_EQ(rows[0].quantity, 5);
  EXPECT_EQ(rows[0].max_days_waiting, 6);
  EXPECT_EQ(rows[0].avg_days_waiting_x10, 30);  // (4 + 4 + 1) / 3 days
  EXPECT_EQ(rows[0].region_name, "湖北省");
  // Ties on needs: more urgent first, then the region code.
  EXPECT_EQ(rows[1].region_code, "110000");
  EXPECT_EQ(rows[2].formulary_item_id, 9);
  const auto counties = RollUp({a, b, c, d}, "county", now);
  EXPECT_EQ(counties.size(), 4u);
}

}  // namespace
}  // namespace ihos::domain::needs
