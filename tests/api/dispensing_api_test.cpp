// Drug orders through the real HTTP server, on SQLite and PostgreSQL: ordering an approved
// prescription (never before approval, never after expiry, never more than prescribed), partial
// supply across pharmacies, payment with insurance through billing, the pharmacy's accept /
// dispense, the courier timeline, the signed pickup code scanned once at its own pharmacy (its QR
// read back by a real decoder), and cancellation / rejection / unpaid expiry releasing the stock and
// refunding exactly once.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "dispensing_fixture.hpp"

namespace ihos::apitest {
namespace api_dispensing_api_test {

// 武汉 江汉区: the pharmacies and the patient's home (about 1.1 km apart).
constexpr double kHomeLat = 30.6010, kHomeLon = 114.2700;

TEST_P(DispensingApiTest, DeliveryOrderPaidWithInsuranceDispensedAndDelivered) {
  auto patient = Insured("张患者");
  const auto rx = Approved(patient.token, /*two_lines=*/true);
  auto ph = NewPharmacy("江汉大药房", 30.6100, 114.2700, /*radius_m=*/3000, /*fee_fen=*/500);
  Stock(ph, amlodipine_, 10, 2000);
  Stock(ph, atorvastatin_, 10, 3000);
  auto counter = Staff(ph, "柜台药师", "counter");
  auto courier = Staff(ph, "配送员小王", "courier");

  // Out of the delivery radius: refused, nothing reserved, no bill.
  auto far = Place(patient.token, rx, ph, "delivery", {}, 30.70, 114.40);
  ASSERT_EQ(far.status, 409) << far.body;
  EXPECT_EQ(far.json().at("code"), "delivery_out_of_range");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM drug_orders"), 0);

  auto placed = Place(patient.token, rx, ph, "delivery", {}, kHomeLat, kHomeLon);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  EXPECT_EQ(placed.json().at("status"), "placed");
  EXPECT_EQ(placed.json().at("items_fen").as_int64(), 2000 + 3000);
  EXPECT_EQ(placed.json().at("delivery_fee_fen").as_int64(), 500);
  EXPECT_EQ(Available(ph, amlodipine_), 9);  // reserved at once

  // The bill: 甲 and 乙 drug lines and the never-insurable delivery fee.
  auto bill = Bill(id, patient.token);
  EXPECT_EQ(bill.at("total_fen").as_int64(), 5500);
  std::set<std::string> classes;
  for (const auto& l : bill.at("lines").as_array()) classes.insert(std::string(l.at("item_class").as_string()));
  EXPECT_EQ(classes, (std::set<std::string>{"A", "B", "never"}));

  // Not paid: the pharmacy cannot accept it.
  auto early = s().Post(OPath(id, "/accept"), json::object{}, counter.token);
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json().at("code"), "drug_order_unpaid");
  // Someone else's pharmacy staff does not see it.
  auto other_ph = NewPharmacy("别家药房", 30.6200, 114.2800, 3000, 500);
  auto stranger = Staff(other_ph, "别家店员", "counter");
  EXPECT_EQ(s().Post(OPath(id, "/accept"), json::object{}, stranger.token).status, 404);

  PayBill(id, patient.token);
  auto settled = Bill(id, patient.token);
  // The fund paid 70% of the 甲 line and 60% of the 乙 line after its 10% self-pay share; never the fee.
  EXPECT_EQ(settled.at("settlement").at("fund_fen").as_int64(), 2000 * 70 / 100 + 3000 * 90 / 100 * 60 / 100);

  auto acc = s().Post(OPath(id, "/accept"), json::object{}, counter.token);
  ASSERT_EQ(acc.status, 200) << acc.body;
  auto disp = s().Post(OPath(id, "/dispense"), json::object{}, counter.token);
  ASSERT_EQ(disp.status, 200) << disp.body;
  EXPECT_EQ(disp.json().at("status"), "dispensed");
  EXPECT_FALSE(disp.json().at("batches").as_array().empty());
  EXPECT_EQ(OnHand(ph, amlodipine_), 9);
  // Every line dispensed: the prescription is dispensed.
  EXPECT_EQ(s().Get("/api/v1/prescriptions/" + std::to_string(rx), patient.token).json().at("status"), "dispensed");

  // The courier's timeline, seen by the patient.
  auto board = s().Get("/api/v1/me/courier/drug-orders", courier.token);
  ASSERT_EQ(board.status, 200) << board.body;
  EXPECT_EQ(board.json().at("items").as_array().size(), 1u);
  // Counter staff are not couriers.
  EXPECT_EQ(s().Post(OPath(id, "/courier"), {{"status", "assigned"}}, counter.token).status, 404);
  for (const char* st : {"assigned", "picked_up", "delivered"}) {
    auto m = s().Post(OPath(id, "/courier"), {{"status", st}}, courier.token);
    ASSERT_EQ(m.status, 200) << st << " " << m.body;
  }
  auto seen = s().Get(OPath(id), patient.token);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.json().at("status"), "delivered");
  std::vector<std::string> timeline;
  for (const auto& e : seen.json().at("events").as_array()) timeline.push_back(std::string(e.at("status").as_string()));
  EXPECT_EQ(timeline,
            (std::vector<std::string>{"placed", "accepted", "dispensed", "assigned", "picked_up", "delivered"}));
  // Nothing more can be ordered on this prescription.
  auto again = Place(patient.token, rx, ph, "pickup");
  EXPECT_EQ(again.status, 409) << again.body;
}

TEST_P(DispensingApiTest, NeverBeforeApprovalNorAfterExpiry) {
  auto patient = Insured("李患者");
  auto ph = NewPharmacy("汉口药房", 30.6050, 114.2700, 3000, 0);
  Stock(ph, amlodipine_, 10, 2000);
  const auto pending = Signed(patient.token);
  auto p = Place(patient.token, pending, ph, "pickup");
  ASSERT_EQ(p.status, 409) << p.body;
  EXPECT_EQ(p.json().at("code"), "rx_not_approved");
  ASSERT_EQ(Review(pending, "rejected").status, 200);
  EXPECT_EQ(Place(patient.token, pending, ph, "pickup").json().at("code"), "rx_not_approved");
  // Another patient may not order it at all.
  auto other = Insured("王患者");
  const auto approved = Approved(patient.token);
  EXPECT_EQ(Place(other.token, approved, ph, "pickup").status, 404);
  // Past its validity (the day of issue): expired.
  s().clock().Advance(48LL * 3600 * 1000);
  auto late = Place(patient.token, approved, ph, "pickup");
  ASSERT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.json().at("code"), "rx_expired");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM drug_orders"), 0);
  EXPECT_EQ(Available(ph, amlodipine_), 10);
}

TEST_P(DispensingApiTest, PartialSupplyLeavesTheRestOrderableElsewhere) {
  auto patient = Insured("赵患者");
  const auto rx = Approved(patient.token, /*two_lines=*/true);
  auto a = NewPharmacy("只有氨氯地平的药房", 30.6050, 114.2700, 3000, 0);
  Stock(a, amlodipine_, 5, 2000);
  auto b = NewPharmacy("两种都有的药房", 30.6060, 114.2710, 3000, 0);
  Stock(b, amlodipine_, 5, 2100);
  Stock(b, atorvastatin_, 5, 3000);
  // The whole prescription at A: it has no atorvastatin.
  auto whole = Place(patient.token, rx, a, "pickup");
  EXPECT_EQ(whole.status, 409) << whole.body;
  // Partial supply: the amlodipine line at A.
  // Prescription lines are numbered from 0: 0 amlodipine, 1 atorvastatin.
  auto first = Place(patient.token, rx, a, "pickup", json::array{{{"line_no", 0}}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto orderable = s().Get("/api/v1/drug-orderable/" + std::to_string(rx), patient.token);
  ASSERT_EQ(orderable.status, 200) << orderable.body;
  EXPECT_EQ(orderable.json().at("lines").at(0).at("remaining").as_int64(), 0);
  EXPECT_EQ(orderable.json().at("lines").at(1).at("remaining").as_int64(), 1);
  // Line 0 again at B: more than prescribed.
  auto twice = Place(patient.token, rx, b, "pickup", json::array{{{"line_no", 0}}});
  ASSERT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.json().at("code"), "rx_nothing_left");
  auto too_many = Place(patient.token, rx, b, "pickup", json::array{{{"line_no", 1}, {"quantity", 2}}});
  ASSERT_EQ(too_many.status, 409) << too_many.body;
  EXPECT_EQ(too_many.json().at("code"), "rx_quantity_exceeded");
  // The rest at B: every remaining line.
  auto rest = Place(patient.token, rx, b, "pickup");
  ASSERT_EQ(rest.status, 201) << rest.body;
  ASSERT_EQ(rest.json().at("lines").as_array().size(), 1u);
  EXPECT_EQ(rest.json().at("lines").at(0).at("line_no").as_int64(), 1);
  EXPECT_EQ(Place(patient.token, rx, b, "pickup").json().at("code"), "rx_nothing_left");
  // Cancelling the first order makes its line orderable again (and gives the stock back).
  ASSERT_EQ(s().Post(OPath(first.json().at("id").as_int64(), "/cancel"), json::object{}, patient.token).status, 200);
  EXPECT_EQ(Available(a, amlodipine_), 5);
  auto again = Place(patient.token, rx, b, "pickup");
  ASSERT_EQ(again.status, 201) << again.body;
  // Both orders dispensed: only then is the prescription dispensed.
  auto staff = Staff(b, "乙店员", "counter");
  for (auto o : {rest.json().at("id").as_int64(), again.json().at("id").as_int64()}) {
    PayBill(o, patient.token);
    ASSERT_EQ(s().Post(OPath(o, "/accept"), json::object{}, staff.token).status, 200);
    EXPECT_EQ(s().Get("/api/v1/prescriptions/" + std::to_string(rx), patient.token).json().at("status"), "approved");
    ASSERT_EQ(s().Post(OPath(o, "/dispense"), json::object{}, staff.token).status, 200);
  }
  EXPECT_EQ(s().Get("/api/v1/prescriptions/" + std::to_string(rx), patient.token).json().at("status"), "dispensed");
}

// The QR image read back by a real decoder (librsvg's rsvg-convert, zbar's zbarimg), as the health
// code's browser tests do.
std::string DecodeQr(const std::string& svg) {
  const auto dir = std::filesystem::temp_directory_path() / ("ihos-pickup-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto in = dir / "code.svg", png = dir / "code.png";
  std::ofstream(in) << svg;
  const std::string cmd = "rsvg-convert -w 600 -b white -o '" + png.string() + "' '" + in.string() +
                          "' && zbarimg --raw -q '" + png.string() + "'";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  std::filesystem::remove_all(dir);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST_P(DispensingApiTest, PickupCodeIsScannedOnceAtItsOwnPharmacy) {
  auto patient = Insured("钱患者");
  const auto rx = Approved(patient.token);
  auto ph = NewPharmacy("自取药房", 30.6050, 114.2700, 0, 0);
  Stock(ph, amlodipine_, 3, 2000);
  auto other = NewPharmacy("另一家药房", 30.6060, 114.2700, 0, 0);
  auto staff = Staff(ph, "柜台", "counter");
  auto other_staff = Staff(other, "别家柜台", "counter");
  auto placed = Place(patient.token, rx, ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  auto code = s().Get(OPath(id, "/pickup-code"), patient.token);
  ASSERT_EQ(code.status, 200) << code.body;
  const std::string text(code.json().at("code").as_string());
  EXPECT_EQ(text.rfind("IHOSPU1.", 0), 0u);
  EXPECT_EQ(DecodeQr(std::string(code.json().at("qr_svg").as_string())), text);
  // The key that signed it is published.
  auto keys = s().Get("/api/v1/pickup-keys");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.json().at("items").as_array().size(), 1u);

  auto scan = [&](const TestServer::Account& who, std::int64_t pharmacy, const std::string& c) {
    return s().Post("/api/v1/pharmacy-orders/" + std::to_string(pharmacy) + "/pickup-scans", {{"code", c}}, who.token);
  };
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, staff.token).status, 200);
  // Not dispensed yet.
  EXPECT_EQ(scan(staff, ph, text).json().at("code"), "drug_order_wrong_status");
  ASSERT_EQ(s().Post(OPath(id, "/dispense"), json::object{}, staff.token).status, 200);
  // Another pharmacy's counter, a forged code (one character of the signature changed), garbage.
  EXPECT_EQ(scan(other_staff, other, text).json().at("code"), "pickup_wrong_pharmacy");
  std::string forged = text;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(scan(staff, ph, forged).json().at("code"), "pickup_code_invalid");
  EXPECT_EQ(scan(staff, ph, "IHOSPU1.bm90LWEtY29kZQ.c2ln").json().at("code"), "pickup_code_invalid");
  // A patient is not the counter.
  EXPECT_EQ(scan(patient, ph, text).status, 404);
  auto ok = scan(staff, ph, text + "\n");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("status"), "handed_over");
  auto twice = scan(staff, ph, text);
  ASSERT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json().at("code"), "pickup_code_used");
}

TEST_P(DispensingApiTest, CancelRejectAndUnpaidExpiryReleaseTheStockAndRefundOnce) {
  auto ph = NewPharmacy("退款药房", 30.6050, 114.2700, 3000, 0);
  Stock(ph, amlodipine_, 10, 2000);
  auto staff = Staff(ph, "店员", "counter");
  auto refunds = [&](std::int64_t order, const std::string& token) {
    return Bill(order, token).at("refunds").as_array().size();
  };
  // 1. The patient cancels a paid order before dispensing.
  auto p1 = Insured("退款一");
  auto o1 = Place(p1.token, Approved(p1.token), ph, "pickup");
  ASSERT_EQ(o1.status, 201) << o1.body;
  const auto id1 = o1.json().at("id").as_int64();
  PayBill(id1, p1.token);
  ASSERT_EQ(s().Post(OPath(id1, "/accept"), json::object{}, staff.token).status, 200);
  auto c1 = s().Post(OPath(id1, "/cancel"), {{"reason", "买到了"}}, p1.token);
  ASSERT_EQ(c1.status, 200) << c1.body;
  EXPECT_EQ(c1.json().at("status"), "cancelled");
  EXPECT_EQ(s().Post(OPath(id1, "/cancel"), json::object{}, p1.token).json().at("code"), "drug_order_wrong_status");
  ASSERT_TRUE(WaitFor([&] { return Bill(id1, p1.token).at("status") == "refunded"; }));
  EXPECT_EQ(refunds(id1, p1.token), 1u);
  // 2. The pharmacy rejects a paid order with a reason.
  auto p2 = Insured("退款二");
  auto o2 = Place(p2.token, Approved(p2.token), ph, "pickup");
  ASSERT_EQ(o2.status, 201) << o2.body;
  const auto id2 = o2.json().at("id").as_int64();
  PayBill(id2, p2.token);
  EXPECT_EQ(s().Post(OPath(id2, "/reject"), json::object{}, staff.token).status, 400);  // a reason is required
  auto r2 = s().Post(OPath(id2, "/reject"), {{"reason", "该药品批次待检"}}, staff.token);
  ASSERT_EQ(r2.status, 200) << r2.body;
  ASSERT_TRUE(WaitFor([&] { return Bill(id2, p2.token).at("status") == "refunded"; }));
  EXPECT_EQ(refunds(id2, p2.token), 1u);
  // 3. Unpaid past the hold: expired, the stock released, never charged.
  auto p3 = Insured("未支付");
  auto o3 = Place(p3.token, Approved(p3.token), ph, "pickup");
  ASSERT_EQ(o3.status, 201) << o3.body;
  const auto id3 = o3.json().at("id").as_int64();
  EXPECT_EQ(Available(ph, amlodipine_), 9);
  s().clock().Advance(16LL * 60 * 1000);
  ASSERT_TRUE(WaitFor([&] { return s().Get(OPath(id3), p3.token).json().at("status") == "expired"; }));
  EXPECT_EQ(Bill(id3, p3.token).at("status"), "expired");
  EXPECT_EQ(Available(ph, amlodipine_), 10);
  // Nothing stays reserved, stock never went below zero, the ledger balances.
  EXPECT_EQ(OnHand(ph, amlodipine_), 10);
  auto check = s().Get("/api/v1/billing/ledger/check", admin_.token);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(check.json().at("unbalanced").as_int64(), 0);
}

TEST_P(DispensingApiTest, AFailedDeliveryGoesOutAgainOrBackToStockAndIsRefundedOnce) {
  auto patient = Insured("孙患者");
  auto ph = NewPharmacy("配送失败药房", 30.6100, 114.2700, 3000, 500);
  Stock(ph, amlodipine_, 5, 2000);
  auto counter = Staff(ph, "柜台", "counter");
  auto courier = Staff(ph, "骑手", "courier");
  auto placed = Place(patient.token, Approved(patient.token), ph, "delivery", {}, kHomeLat, kHomeLon);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  ASSERT_EQ(s().Post(OPath(id, "/dispense"), json::object{}, counter.token).status, 200);
  EXPECT_EQ(OnHand(ph, amlodipine_), 4);
  auto move = [&](const char* st, const std::string& reason = "") {
    json::object b{{"status", st}};
    if (!reason.empty()) b["reason"] = reason;
    return s().Post(OPath(id, "/courier"), b, courier.token);
  };
  ASSERT_EQ(move("assigned").status, 200);
  EXPECT_EQ(move("failed").status, 400);  // a reason is required
  ASSERT_EQ(move("failed", "无人应答").status, 200);
  // Out again: back to dispensed, a courier takes it again, fails again, and it goes back to stock.
  ASSERT_EQ(s().Post(OPath(id, "/redeliver"), json::object{}, counter.token).status, 200);
  ASSERT_EQ(move("assigned").status, 200);
  ASSERT_EQ(move("picked_up").status, 200);
  ASSERT_EQ(move("failed", "地址不存在").status, 200);
  auto back = s().Post(OPath(id, "/take-back"), json::object{}, counter.token);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json().at("status"), "returned");
  EXPECT_EQ(OnHand(ph, amlodipine_), 5);
  EXPECT_EQ(s().Post(OPath(id, "/take-back"), json::object{}, counter.token).status, 409);
  ASSERT_TRUE(WaitFor([&] { return Bill(id, patient.token).at("status") == "refunded"; }));
  EXPECT_EQ(Bill(id, patient.token).at("refunds").as_array().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DispensingApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_dispensing_api_test
}  // namespace ihos::apitest
