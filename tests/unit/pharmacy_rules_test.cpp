// Pharmacy rules: licence numbers, opening hours in CST, distances and boxes, baskets, and
// earliest-expiry-first picking that never takes an expired batch.
#include <gtest/gtest.h>

#include "core/civil_time.hpp"
#include "domain/pharmacy/rules.hpp"

namespace ihos::domain::pharmacy {
namespace {

TEST(PharmacyRules, LicenceNumber) {
  EXPECT_TRUE(ValidLicenceNo("鄂CB0270001"));
  EXPECT_TRUE(ValidLicenceNo("京AA1100001"));
  EXPECT_FALSE(ValidLicenceNo("XCB0270001"));    // no province
  EXPECT_FALSE(ValidLicenceNo("鄂cb0270001"));   // lower case
  EXPECT_FALSE(ValidLicenceNo("鄂CB027000"));    // six digits
  EXPECT_FALSE(ValidLicenceNo("鄂CB02700011"));  // eight digits
  EXPECT_FALSE(ValidLicenceNo(""));
}

TEST(PharmacyRules, Hours) {
  EXPECT_EQ(CheckHours({{1, 480, 1260}, {1, 1300, 1440}}), "");
  EXPECT_EQ(CheckHours({{1, 480, 1260}, {1, 1200, 1300}}), "hours_overlap");
  EXPECT_EQ(CheckHours({{8, 480, 1260}}), "hours_invalid");
  EXPECT_EQ(CheckHours({{1, 600, 600}}), "hours_invalid");
  EXPECT_EQ(CheckHours({{1, 0, 1441}}), "hours_invalid");
}

TEST(PharmacyRules, OpenNowIsCstAndStatus) {
  // 2026-11-18 is a Wednesday (3). 08:00 CST = 00:00 UTC.
  const std::int64_t at_0800 = CstMs("2026-11-18", 8 * 60);
  const std::vector<Hours> hours = {{3, 8 * 60, 20 * 60}};
  EXPECT_TRUE(OpenAt("open", hours, at_0800));
  EXPECT_FALSE(OpenAt("open", hours, at_0800 - 60'000));           // 07:59
  EXPECT_FALSE(OpenAt("open", hours, CstMs("2026-11-18", 1200)));  // 20:00 is closing time
  EXPECT_FALSE(OpenAt("temporarily_closed", hours, at_0800));
  EXPECT_FALSE(OpenAt("open", hours, CstMs("2026-11-19", 600)));  // Thursday: no interval
  EXPECT_TRUE(OpenAt("open", {{4, 0, 1440}}, CstMs("2026-11-19", 1439)));
}

TEST(PharmacyRules, NextOpeningIsTheNextIntervalStart) {
  // Wednesday 08:00-12:00 and 14:00-20:00, Friday 09:00-17:00 (2026-11-18 is a Wednesday).
  const std::vector<Hours> hours = {{3, 480, 720}, {3, 840, 1200}, {5, 540, 1020}};
  const auto wed = [](int minute) { return CstMs("2026-11-18", minute); };
  EXPECT_EQ(NextOpening("open", hours, wed(600)), wed(600));                                   // open now: now
  EXPECT_EQ(NextOpening("open", hours, wed(420)), wed(480));                                   // 07:00: at 08:00
  EXPECT_EQ(NextOpening("open", hours, wed(780)), wed(840));                                   // lunch: at 14:00
  EXPECT_EQ(NextOpening("open", hours, wed(1260)), CstMs("2026-11-20", 540));                  // evening: Friday 09:00
  EXPECT_EQ(NextOpening("open", hours, CstMs("2026-11-20", 1100)), CstMs("2026-11-25", 480));  // next week
  EXPECT_EQ(NextOpening("temporarily_closed", hours, wed(420)), std::nullopt);
  EXPECT_EQ(NextOpening("closed", hours, wed(420)), std::nullopt);
  EXPECT_EQ(NextOpening("open", {}, wed(420)), std::nullopt);
}

TEST(PharmacyRules, Distance) {
  // 天安门 to 北京站 is about 2.6 km.
  const double d = HaversineM(39.9087, 116.3975, 39.9029, 116.4272);
  EXPECT_NEAR(d, 2600, 150);
  EXPECT_DOUBLE_EQ(HaversineM(30.5, 114.3, 30.5, 114.3), 0);
  const Box b = BoundingBox(30.5, 114.3, 5000);
  // Every point 5 km away in the four directions is inside.
  EXPECT_LT(b.min_lat, 30.5 - 5000 / 111'195.0);
  EXPECT_GT(b.max_lat, 30.5 + 5000 / 111'195.0);
  const double dlon = 5000 / (111'195.0 * std::cos(30.5 * 3.14159265358979 / 180));
  EXPECT_LT(b.min_lon, 114.3 - dlon);
  EXPECT_GT(b.max_lon, 114.3 + dlon);
  EXPECT_LT(b.max_lat - 30.5, 0.06);  // and not much more
}

TEST(PharmacyRules, Basket) {
  auto b = ParseBasket("12:2,15:1,12:3");
  ASSERT_TRUE(b);
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].formulary_item_id, 12);
  EXPECT_EQ((*b)[0].quantity, 5);
  EXPECT_EQ((*b)[1].formulary_item_id, 15);
  EXPECT_TRUE(ParseBasket("") && ParseBasket("")->empty());
  EXPECT_FALSE(ParseBasket("12"));
  EXPECT_FALSE(ParseBasket("12:0"));
  EXPECT_FALSE(ParseBasket("12:-1"));
  EXPECT_FALSE(ParseBasket("a:1"));
  EXPECT_FALSE(ParseBasket("12:1,"));
  EXPECT_FALSE(ParseBasket("12:1x"));
}

TEST(PharmacyRules, FefoSkipsExpiredAndTakesEarliestFirst) {
  const std::string today = "2026-11-18";
  std::vector<Batch> batches = {{"B-late", "2027-06-30", 10},
                                {"B-expired", "2026-11-17", 50},
                                {"B-today", "2026-11-18", 3},
                                {"B-mid", "2027-01-31", 4}};
  auto t = PickFefo(batches, 8, today);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].batch_no, "B-today");  // usable through its expiry date
  EXPECT_EQ(t[0].quantity, 3);
  EXPECT_EQ(t[1].batch_no, "B-mid");
  EXPECT_EQ(t[1].quantity, 4);
  EXPECT_EQ(t[2].batch_no, "B-late");
  EXPECT_EQ(t[2].quantity, 1);
  // 17 unexpired boxes: 18 cannot be taken, whatever the expired batch holds.
  EXPECT_TRUE(PickFefo(batches, 18, today).empty());
  EXPECT_EQ(PickFefo(batches, 17, today).size(), 3u);
  EXPECT_TRUE(NearExpiry("2027-01-31", today));
  EXPECT_FALSE(NearExpiry("2027-06-30", today));
  EXPECT_FALSE(NearExpiry("2026-11-17", today));
}

// The counter's batch scan: item 1 ordered 3 boxes; batches of item 1 expiring at different dates
// (one expired) and a batch of item 2 (not ordered).
TEST(PharmacyRules, BatchScanRules) {
  const std::string today = "2026-11-18";
  const std::vector<ItemBatch> batches = {{1, "OLD", "2026-11-17", 4},
                                          {1, "EARLY", "2027-01-31", 2},
                                          {1, "LATE", "2028-06-30", 9},
                                          {2, "OTHER", "2028-06-30", 9}};
  const std::vector<std::pair<std::int64_t, std::int64_t>> ordered = {{1, 3}};
  auto rule = [&](std::vector<std::string> codes) {
    auto c = CheckScans(ordered, codes, batches, today);
    auto e = ScanRefusal(c, true);
    return e ? e->code : std::string();
  };
  EXPECT_EQ(rule({"EARLY", "EARLY", "LATE"}), "");
  EXPECT_EQ(rule({"LATE", " EARLY", "EARLY\n"}), "");  // order of scanning and spaces do not matter
  EXPECT_EQ(rule({"NOPE", "EARLY", "EARLY"}), "batch_unknown");
  EXPECT_EQ(rule({"12345678901234567890", "EARLY", "EARLY"}), "trace_code_unresolved");
  EXPECT_EQ(rule({"1234567890123456789"}), "batch_unknown");  // 19 digits: not a trace code
  EXPECT_EQ(rule({"OTHER", "EARLY", "EARLY"}), "batch_wrong_drug");
  EXPECT_EQ(rule({"OLD", "EARLY", "EARLY"}), "batch_expired");
  EXPECT_EQ(rule({"EARLY", "LATE", "LATE"}), "batch_not_fefo");  // one EARLY box still on the shelf
  EXPECT_EQ(rule({"EARLY", "EARLY", "EARLY"}), "batch_scan_extra");  // the batch holds 2
  EXPECT_EQ(rule({"EARLY", "EARLY", "LATE", "LATE"}), "batch_scan_extra");  // the order is 3
  EXPECT_EQ(rule({"EARLY", "EARLY"}), "batch_scan_incomplete");
  // In progress: not refused for what is still to scan, and the progress counts accepted boxes.
  auto partial = CheckScans(ordered, {"EARLY"}, batches, today);
  EXPECT_FALSE(ScanRefusal(partial, false));
  ASSERT_EQ(partial.items.size(), 1u);
  EXPECT_EQ(partial.items[0].scanned, 1);
  EXPECT_FALSE(partial.complete());
  // Every refused scan is listed with its index; the first decides the error's code.
  auto many = CheckScans(ordered, {"OLD", "EARLY", "NOPE"}, batches, today);
  auto e = ScanRefusal(many, false);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "batch_expired");
  ASSERT_EQ(e->violations.size(), 2u);
  EXPECT_EQ(e->violations[1].code, "batch_unknown");
  EXPECT_EQ(e->violations[1].params[0].second, "2");
  // Not FEFO names the batch to take instead.
  auto fefo = CheckScans(ordered, {"LATE"}, batches, today);
  EXPECT_EQ(fefo.scans[0].refusal, "batch_not_fefo");
  EXPECT_EQ(fefo.scans[0].earlier_batch, "EARLY");
  EXPECT_EQ(fefo.items[0].scanned, 0);
}

}  // namespace
}  // namespace ihos::domain::pharmacy
