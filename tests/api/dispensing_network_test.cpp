// Drug orders meeting the rest of the drug distribution network, both backends: a pharmacy's
// reservation for a patient's medicine need is converted into the patient's order at that pharmacy
// (it no longer blocks it, and the need is fulfilled by the order); a paid order the pharmacy never
// accepts is cancelled by the sweeper after --drug-order-accept-minutes, its stock released and
// refunded exactly once; nearby search with pharmacies closed now says when they open.
#include "core/civil_time.hpp"
#include "dispensing_fixture.hpp"

namespace ihos::apitest {
namespace api_dispensing_network_test {

// 30.6050, 114.2700 (武汉市江汉区): the pharmacies' street; the need's place is beside them.
constexpr double kLat = 30.6050, kLon = 114.2700;

json::object NeedBody(std::int64_t item, std::int64_t boxes) {
  return {{"formulary_item_id", item},
          {"quantity", boxes},
          {"region_code", kRegion},
          {"lat_e6", static_cast<std::int64_t>(kLat * 1e6)},
          {"lon_e6", static_cast<std::int64_t>(kLon * 1e6)},
          {"days_left", 2},
          {"condition", "高血压"},
          {"needs_prescription", true}};
}

TEST_P(DispensingApiTest, ANeedsReservationGoesToThePatientsOrderAndTheNeedIsFulfilled) {
  auto patient = Insured("需求转订单");
  auto ph = NewPharmacy("预留药房", kLat, kLon, 0, 0);
  auto other = NewPharmacy("另一预留药房", kLat + 0.002, kLon, 0, 0);
  Stock(ph, amlodipine_, 1, 2000);  // the last box
  Stock(other, amlodipine_, 1, 2100);
  auto staff = Staff(ph, "预留店员", "counter");
  auto staff2 = Staff(other, "另一店员", "counter");
  auto need = s().Post("/api/v1/needs", NeedBody(amlodipine_, 1), patient.token);
  ASSERT_EQ(need.status, 201) << need.body;
  const std::string npath = "/api/v1/needs/" + std::to_string(need.json().at("id").as_int64());
  for (auto [p, who] : {std::pair{ph, &staff}, std::pair{other, &staff2}}) {
    auto a = s().Post(npath + "/answers", {{"pharmacy_id", p}, {"kind", "reserved"}, {"quantity", 1}}, who->token);
    ASSERT_EQ(a.status, 201) << a.body;
  }
  EXPECT_EQ(Available(ph, amlodipine_), 0);
  EXPECT_EQ(Available(other, amlodipine_), 0);

  // Someone else still cannot take the box held for the need.
  auto stranger = Insured("路人");
  auto refused = Place(stranger.token, Approved(stranger.token), ph, "pickup");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.json().at("code"), "stock_insufficient");

  // The patient's own order at that pharmacy takes it (before: stock_insufficient until the need
  // was closed by hand).
  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  EXPECT_EQ(Available(ph, amlodipine_), 0);     // now the order's
  EXPECT_EQ(Available(other, amlodipine_), 1);  // the other pharmacy's hold released
  auto n = s().Get(npath, patient.token);
  ASSERT_EQ(n.status, 200) << n.body;
  EXPECT_EQ(n.json().at("status"), "fulfilled");
  EXPECT_EQ(n.json().at("close_note").as_string(), "drug_order:" + std::to_string(id));
  for (const auto& a : n.json().at("answers").as_array()) EXPECT_FALSE(a.at("released_at").is_null()) << a;
  // The order goes on as any other: paid, accepted, dispensed from the box.
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, staff.token).status, 200);
  auto d = s().Post(OPath(id, "/dispense"), json::object{}, staff.token);
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(OnHand(ph, amlodipine_), 0);
  // The need's end released nothing twice: the ledger levels match the moves.
  auto check = s().Get("/api/v1/admin/pharmacy-stock/check", admin_.token);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_TRUE(check.json().at("differences").as_array().empty()) << check.body;
}

TEST_P(DispensingApiTest, APaidOrderNeverAcceptedIsCancelledAndRefundedOnce) {
  auto patient = Insured("无人接单");
  auto ph = NewPharmacy("不接单药房", kLat, kLon, 0, 0);
  Stock(ph, amlodipine_, 3, 2000);
  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  PayBill(id, patient.token);
  EXPECT_EQ(Available(ph, amlodipine_), 2);
  // Within the default 120 minutes: left alone.
  s().clock().Advance(119LL * 60 * 1000);
  ASSERT_TRUE(s().app().dispensing().Sweep());
  EXPECT_EQ(s().Get(OPath(id), patient.token).json().at("status"), "placed");
  // Past it: cancelled by the system, the stock back, refunded once.
  s().clock().Advance(2LL * 60 * 1000);
  auto swept = s().app().dispensing().Sweep();
  ASSERT_TRUE(swept);
  EXPECT_EQ(*swept, 1);
  auto o = s().Get(OPath(id), patient.token);
  EXPECT_EQ(o.json().at("status"), "cancelled") << o.body;
  EXPECT_EQ(o.json().at("reason"), "accept_timeout") << o.body;
  EXPECT_EQ(Available(ph, amlodipine_), 3);
  ASSERT_TRUE(WaitFor([&] { return Bill(id, patient.token).at("status") == "refunded"; }));
  ASSERT_TRUE(s().app().dispensing().Sweep());  // again: nothing more
  const auto refunds = Bill(id, patient.token).at("refunds").as_array();
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds.front().at("reason"), "not_accepted");
  EXPECT_EQ(Available(ph, amlodipine_), 3);
  // The pharmacy can no longer accept it.
  auto staff = Staff(ph, "迟到店员", "counter");
  EXPECT_EQ(s().Post(OPath(id, "/accept"), json::object{}, staff.token).json().at("code"), "drug_order_wrong_status");
  auto check = s().Get("/api/v1/billing/ledger/check", admin_.token);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(check.json().at("unbalanced").as_int64(), 0);
}

TEST_P(DispensingApiTest, NearbySearchMayIncludePharmaciesClosedNow) {
  // The test clock is moved on to the next 23:00 CST.
  std::int64_t at = CstMs(CivilDateCst(s().clock().NowMs()), 23 * 60);
  if (at <= s().clock().NowMs()) at += 24LL * 3600 * 1000;
  s().clock().Set(at);
  auto day = NewPharmacy("日间药房", kLat, kLon, 0, 0);
  auto night = NewPharmacy("夜间药房", kLat + 0.001, kLon, 0, 0);  // every day 00:00-24:00
  Principal manager{managers_[day], "店长", {"patient", "pharmacy_staff"}};
  domain::pharmacy::Settings st;
  for (int d = 1; d <= 7; ++d) st.hours.push_back({d, 8 * 60, 21 * 60});
  st.status = "open";
  st.pickup_counter = "1 号窗口";
  st.phone = "027-88888888";
  ASSERT_TRUE(s().app().pharmacy().UpdateSettings(manager, day, st, RequestMeta{}));
  const std::string q = "/api/v1/pharmacies/nearby?lat=" + std::to_string(kLat) + "&lon=" + std::to_string(kLon);
  auto open = s().Get(q);
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(open.json().at("items").as_array().size(), 1u) << open.body;
  EXPECT_EQ(open.json().at("items").at(0).at("pharmacy").at("id").as_int64(), night);
  auto all = s().Get(q + "&closed=1");
  ASSERT_EQ(all.status, 200) << all.body;
  const auto& items = all.json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << all.body;
  EXPECT_EQ(items.at(0).at("pharmacy").at("id").as_int64(), day);  // nearest first
  EXPECT_FALSE(items.at(0).at("open_now").as_bool());
  EXPECT_EQ(items.at(0).at("next_open_at").as_int64(), at + 9LL * 3600 * 1000);  // tomorrow 08:00
  EXPECT_TRUE(items.at(1).at("open_now").as_bool());
  EXPECT_EQ(items.at(1).at("next_open_at").as_int64(), s().clock().NowMs());
}

}  // namespace api_dispensing_network_test
}  // namespace ihos::apitest
