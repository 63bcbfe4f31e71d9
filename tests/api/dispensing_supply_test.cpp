// Drug orders after review, on SQLite and PostgreSQL: a prescription cancelled or expired after the
// patient ordered is never accepted nor dispensed (the order is rejected and refunded); a returned
// delivery gives the prescription back; only the patient's side gets the pickup code; a former
// guardian no longer lists an adult's orders; couriers do not work the counter; a billed order is
// never swept while its bill's hold is live.
#include "dispensing_fixture.hpp"

namespace ihos::apitest {
namespace api_dispensing_supply_test {

constexpr double kHomeLat = 30.6010, kHomeLon = 114.2700;

std::string RxPath(std::int64_t rx, const std::string& rest = "") {
  return "/api/v1/prescriptions/" + std::to_string(rx) + rest;
}

TEST_P(DispensingApiTest, ACancelledPrescriptionIsNeitherAcceptedNorDispensed) {
  auto ph = NewPharmacy("撤销处方药房", 30.6050, 114.2700, 3000, 0);
  Stock(ph, amlodipine_, 10, 2000);
  auto counter = Staff(ph, "柜台", "counter");
  // Cancelled before the pharmacy accepts: accept refused, the order rejected, stock back, refunded.
  auto p1 = Insured("撤销一");
  const auto rx1 = Approved(p1.token);
  auto o1 = Place(p1.token, rx1, ph, "pickup");
  ASSERT_EQ(o1.status, 201) << o1.body;
  const auto id1 = o1.json().at("id").as_int64();
  PayBill(id1, p1.token);
  ASSERT_EQ(s().Post(RxPath(rx1, "/cancel"), json::object{}, doctor_.token).status, 200);
  auto acc = s().Post(OPath(id1, "/accept"), json::object{}, counter.token);
  ASSERT_EQ(acc.status, 409) << acc.body;
  EXPECT_EQ(acc.json().at("code"), "rx_not_approved");
  EXPECT_EQ(s().Get(OPath(id1), p1.token).json().at("status"), "rejected");
  EXPECT_EQ(Available(ph, amlodipine_), 10);
  ASSERT_TRUE(WaitFor([&] { return Bill(id1, p1.token).at("status") == "refunded"; }));
  EXPECT_EQ(Bill(id1, p1.token).at("refunds").as_array().size(), 1u);
  // Cancelled after it was accepted: dispense refused, nothing leaves the shelf.
  auto p2 = Insured("撤销二");
  const auto rx2 = Approved(p2.token);
  auto o2 = Place(p2.token, rx2, ph, "pickup");
  ASSERT_EQ(o2.status, 201) << o2.body;
  const auto id2 = o2.json().at("id").as_int64();
  PayBill(id2, p2.token);
  ASSERT_EQ(s().Post(OPath(id2, "/accept"), json::object{}, counter.token).status, 200);
  ASSERT_EQ(s().Post(RxPath(rx2, "/cancel"), json::object{}, doctor_.token).status, 200);
  auto disp = s().Post(OPath(id2, "/dispense"), json::object{}, counter.token);
  ASSERT_EQ(disp.status, 409) << disp.body;
  EXPECT_EQ(disp.json().at("code"), "rx_not_approved");
  EXPECT_EQ(s().Get(OPath(id2), p2.token).json().at("status"), "rejected");
  EXPECT_EQ(OnHand(ph, amlodipine_), 10);
  EXPECT_EQ(Available(ph, amlodipine_), 10);
  EXPECT_EQ(s().Get(RxPath(rx2), p2.token).json().at("status"), "cancelled");
  ASSERT_TRUE(WaitFor([&] { return Bill(id2, p2.token).at("status") == "refunded"; }));
}

TEST_P(DispensingApiTest, APrescriptionExpiredAfterOrderingIsNotDispensed) {
  auto ph = NewPharmacy("过期处方药房", 30.6050, 114.2700, 3000, 0);
  Stock(ph, amlodipine_, 10, 2000);
  auto counter = Staff(ph, "柜台", "counter");
  auto patient = Insured("过期患者");
  const auto rx = Approved(patient.token);
  auto o = Place(patient.token, rx, ph, "pickup");
  ASSERT_EQ(o.status, 201) << o.body;
  const auto id = o.json().at("id").as_int64();
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  s().clock().Advance(48LL * 3600 * 1000);  // past the prescription's validity
  auto disp = s().Post(OPath(id, "/dispense"), json::object{}, counter.token);
  ASSERT_EQ(disp.status, 409) << disp.body;
  EXPECT_EQ(disp.json().at("code"), "rx_expired");
  EXPECT_EQ(s().Get(OPath(id), patient.token).json().at("status"), "rejected");
  EXPECT_EQ(OnHand(ph, amlodipine_), 10);
  EXPECT_NE(s().Get(RxPath(rx), patient.token).json().at("status"), "dispensed");
  ASSERT_TRUE(WaitFor([&] { return Bill(id, patient.token).at("status") == "refunded"; }));
}

TEST_P(DispensingApiTest, AReturnedDeliveryGivesThePrescriptionBack) {
  auto patient = Insured("退回患者");
  const auto rx = Approved(patient.token);
  auto ph = NewPharmacy("退回药房", 30.6100, 114.2700, 3000, 500);
  Stock(ph, amlodipine_, 5, 2000);
  auto counter = Staff(ph, "柜台", "counter");
  auto courier = Staff(ph, "骑手", "courier");
  auto placed = Place(patient.token, rx, ph, "delivery", {}, kHomeLat, kHomeLon);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  ASSERT_EQ(s().Post(OPath(id, "/dispense"), json::object{}, counter.token).status, 200);
  EXPECT_EQ(s().Get(RxPath(rx), patient.token).json().at("status"), "dispensed");
  ASSERT_EQ(s().Post(OPath(id, "/courier"), {{"status", "assigned"}}, courier.token).status, 200);
  ASSERT_EQ(s().Post(OPath(id, "/courier"), {{"status", "failed"}, {"reason", "无人应答"}}, courier.token).status, 200);
  ASSERT_EQ(s().Post(OPath(id, "/take-back"), json::object{}, counter.token).status, 200);
  // Nothing reached the patient: the prescription may be ordered again.
  EXPECT_EQ(s().Get(RxPath(rx), patient.token).json().at("status"), "approved");
  auto again = Place(patient.token, rx, ph, "pickup");
  ASSERT_EQ(again.status, 201) << again.body;
}

TEST_P(DispensingApiTest, OnlyThePatientsSideGetsThePickupCode) {
  auto patient = Insured("取药码患者");
  auto ph = NewPharmacy("取药码药房", 30.6050, 114.2700, 0, 0);
  Stock(ph, amlodipine_, 3, 2000);
  auto counter = Staff(ph, "柜台", "counter");
  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  // Staff see the order but never its code (they could mark it handed over without the patient).
  EXPECT_EQ(s().Get(OPath(id), counter.token).status, 200);
  EXPECT_EQ(s().Get(OPath(id, "/pickup-code"), counter.token).status, 404);
  auto login = s().NewPatient("另一位店长");
  ASSERT_TRUE(s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    return s().app().pharmacy().AddStaffIn(tx, ph, login.id, "manager", std::nullopt, s().clock().NowMs());
  }));
  EXPECT_EQ(s().Get(OPath(id, "/pickup-code"), login.token).status, 404);
  EXPECT_EQ(s().Get(OPath(id, "/pickup-code"), patient.token).status, 200);
}

TEST_P(DispensingApiTest, AFormerGuardianNoLongerListsAnAdultsOrders) {
  auto patient = Insured("成年患者");
  auto former = s().NewPatient("前监护人");
  auto ph = NewPharmacy("监护药房", 30.6050, 114.2700, 0, 0);
  Stock(ph, amlodipine_, 3, 2000);
  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  // A guardianship on record over someone now an adult (guardianship ends at 18).
  ASSERT_TRUE(s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO guardianships (guardian_id, ward_id, relationship, created_at) VALUES ($1, $2, 'parent', 0)",
        {former.id, patient.id});
    if (!n) return n.error();
    return {};
  }));
  auto mine = s().Get("/api/v1/me/drug-orders", former.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_TRUE(mine.json().at("items").as_array().empty()) << mine.body;
  EXPECT_EQ(s().Get(OPath(id, "/pickup-code"), former.token).status, 404);
  auto own = s().Get("/api/v1/me/drug-orders", patient.token);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json().at("items").as_array().size(), 1u);
}

TEST_P(DispensingApiTest, CouriersDoNotWorkTheCounter) {
  auto patient = Insured("柜台患者");
  auto ph = NewPharmacy("骑手药房", 30.6050, 114.2700, 3000, 0);
  Stock(ph, amlodipine_, 3, 2000);
  auto counter = Staff(ph, "柜台", "counter");
  auto courier = Staff(ph, "骑手", "courier");
  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  PayBill(id, patient.token);
  EXPECT_EQ(s().Post(OPath(id, "/accept"), json::object{}, courier.token).status, 403);
  EXPECT_EQ(s().Post(OPath(id, "/reject"), {{"reason", "不要"}}, courier.token).status, 403);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  EXPECT_EQ(s().Post(OPath(id, "/dispense"), json::object{}, courier.token).status, 403);
  ASSERT_EQ(s().Post(OPath(id, "/dispense"), json::object{}, counter.token).status, 200);
  auto code = s().Get(OPath(id, "/pickup-code"), patient.token);
  ASSERT_EQ(code.status, 200) << code.body;
  auto scan = s().Post("/api/v1/pharmacy-orders/" + std::to_string(ph) + "/pickup-scans",
                       {{"code", code.json().at("code")}}, courier.token);
  EXPECT_EQ(scan.status, 403) << scan.body;
  EXPECT_EQ(s().Get(OPath(id), patient.token).json().at("status"), "dispensed");
}

// A bill's hold longer than the never-billed backstop.
class DispensingLongHoldTest : public DispensingApiTest {
 protected:
  app::Config Overrides() override {
    app::Config c;
    c.payment_hold_minutes = 60;
    return c;
  }
};

TEST_P(DispensingLongHoldTest, ABilledOrderIsNotSweptWhileItsHoldIsLive) {
  auto patient = Insured("长时支付");
  auto ph = NewPharmacy("长时药房", 30.6050, 114.2700, 0, 0);
  Stock(ph, amlodipine_, 3, 2000);
  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  s().clock().Advance(30LL * 60 * 1000);  // past the old fixed 20 minutes, within the 60-minute hold
  auto swept = s().app().dispensing().Sweep();
  ASSERT_TRUE(swept);
  EXPECT_EQ(*swept, 0);
  EXPECT_EQ(s().Get(OPath(id), patient.token).json().at("status"), "placed");
  EXPECT_EQ(Available(ph, amlodipine_), 2);
  PayBill(id, patient.token);
  EXPECT_EQ(s().Get(OPath(id), patient.token).json().at("status"), "placed");
}

INSTANTIATE_TEST_SUITE_P(Backends, DispensingLongHoldTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_dispensing_supply_test
}  // namespace ihos::apitest
