// The proof of issue 15 on both backends: 300 concurrent drug orders (real HTTP, 300 patients) for
// the last 50 boxes of a drug at two pharmacies (30 + 20). Exactly 50 are placed and reserved, the
// rest are refused with stock_insufficient and never billed; the 50 are paid, accepted and
// dispensed; stock ends at zero, never below; the ledger balances.
#include <atomic>
#include <thread>

#include "dispensing_fixture.hpp"

namespace ihos::apitest {
namespace api_dispensing_load_test {

constexpr int kOrders = 300;

class DispensingLoadTest : public DispensingApiTest {
 protected:
  // Copies an approved prescription (its signed document and items) to each patient, in one
  // transaction: the prescription flow is exercised by the other tests; this one needs 300.
  std::vector<std::int64_t> CloneFor(std::int64_t rx, const std::vector<testing::SeededPatient>& patients) {
    std::vector<std::int64_t> ids;
    auto st = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      for (std::size_t i = 0; i < patients.size(); ++i) {
        auto rows = tx.Query(
            "INSERT INTO prescriptions (rx_no, consultation_id, patient_id, practitioner_id, doctor_user_id, "
            "doctor_name, hospital_id, kind, category, status, institution, department, patient_name, patient_sex, "
            "patient_age, patient_weight_g, diagnosis_code, diagnosis_name, issued_on, valid_days, expires_at, "
            "long_term_assessment, patient_confirmed_long, guardian_present, amount_fen, content_hash, doctor_key_id, "
            "doctor_signature, signed_at, pharmacist_user_id, pharmacist_name, pharmacist_key_id, "
            "pharmacist_signature, reviewed_at, reject_reason, warnings, created_at) "
            "SELECT rx_no || '-' || $3, consultation_id, $2, practitioner_id, doctor_user_id, doctor_name, "
            "hospital_id, kind, category, status, institution, department, patient_name, patient_sex, patient_age, "
            "patient_weight_g, diagnosis_code, diagnosis_name, issued_on, valid_days, expires_at, "
            "long_term_assessment, patient_confirmed_long, guardian_present, amount_fen, content_hash, "
            "doctor_key_id, doctor_signature, signed_at, pharmacist_user_id, pharmacist_name, pharmacist_key_id, "
            "pharmacist_signature, reviewed_at, reject_reason, warnings, created_at FROM prescriptions WHERE id = $1 "
            "RETURNING id",
            {rx, patients[i].id, std::to_string(i)});
        if (!rows) return rows.error();
        const auto id = rows->front().Int(0);
        auto n = tx.Exec(
            "INSERT INTO prescription_items (prescription_id, line, formulary_id, drug_id, generic_name, dosage_form, "
            "strength, single_dose_milli, dose_unit, route, frequency, days, quantity, package_unit, package_size, "
            "price_fen, override_reason) SELECT $2, line, formulary_id, drug_id, generic_name, dosage_form, strength, "
            "single_dose_milli, dose_unit, route, frequency, days, quantity, package_unit, package_size, price_fen, "
            "override_reason FROM prescription_items WHERE prescription_id = $1",
            {rx, id});
        if (!n) return n.error();
        ids.push_back(id);
      }
      return {};
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().code + " " + st.error().detail);
    return ids;
  }
};

TEST_P(DispensingLoadTest, ThreeHundredConcurrentOrdersForTheLastFiftyBoxes) {
  auto first = Insured("首位患者");
  const auto rx = Approved(first.token);  // one box of amlodipine
  auto patients = testing::InsertPatients(s().app().db(), kOrders, "drugorders", s().clock().NowMs());
  const auto rxs = CloneFor(rx, patients);
  ASSERT_EQ(rxs.size(), static_cast<std::size_t>(kOrders));
  const auto a = NewPharmacy("最后30盒药房", 30.6050, 114.2700, 3000, 0);
  const auto b = NewPharmacy("最后20盒药房", 30.6060, 114.2710, 3000, 0);
  Stock(a, amlodipine_, 30, 2000);
  Stock(b, amlodipine_, 20, 2000);

  // 300 orders from 300 patients at once: as many client threads as the server admits at a time
  // (past that it answers 503 overloaded, and a client asks again, as a real one would).
  std::vector<Resp> results(kOrders);
  std::atomic<int> next{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  constexpr int kClients = 32;
  for (int c = 0; c < kClients; ++c)
    threads.emplace_back([&] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      for (int i; (i = next++) < kOrders;) {
        do {
          results[i] = Place(patients[i].token, rxs[i], i % 2 ? b : a, "pickup");
        } while (results[i].status == 503);
      }
    });
  while (ready.load() < kClients) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();

  int placed = 0, short_stock = 0, at_a = 0;
  std::vector<std::pair<std::int64_t, std::string>> orders;  // order id, patient token
  for (int i = 0; i < kOrders; ++i) {
    const auto& r = results[i];
    if (r.status == 201) {
      ++placed;
      if (r.json().at("pharmacy_id").as_int64() == a) ++at_a;
      orders.emplace_back(r.json().at("id").as_int64(), patients[i].token);
    } else if (r.status == 409 && r.json().at("code") == "stock_insufficient") {
      ++short_stock;
    } else {
      ADD_FAILURE() << r.status << " " << r.body;
    }
  }
  EXPECT_EQ(placed, 50);
  EXPECT_EQ(at_a, 30);
  EXPECT_EQ(short_stock, kOrders - 50);
  EXPECT_EQ(Available(a, amlodipine_), 0);
  EXPECT_EQ(Available(b, amlodipine_), 0);
  // A refused order left nothing behind: no order row, no bill, nothing charged.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM drug_orders"), 50);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_orders WHERE source_kind = 'drug_order'"), 50);

  auto sa = Staff(a, "甲店员", "counter");
  auto sb = Staff(b, "乙店员", "counter");
  // Each placed order paid (the DEMO provider confirms after a delay), accepted and dispensed, all at once.
  std::vector<std::thread> workers;
  for (const auto& [id, token] : orders)
    workers.emplace_back([&, id = id, token = token] {
      PayBill(id, token);
      const auto& staff = s().Get(OPath(id), token).json().at("pharmacy_id").as_int64() == a ? sa : sb;
      auto acc = s().Post(OPath(id, "/accept"), json::object{}, staff.token);
      EXPECT_EQ(acc.status, 200) << acc.body;
      auto d = s().Post(OPath(id, "/dispense"), json::object{}, staff.token);
      EXPECT_EQ(d.status, 200) << d.body;
    });
  for (auto& w : workers) w.join();
  EXPECT_EQ(Count("SELECT COALESCE(SUM(quantity), 0) FROM drug_order_batches"), 50);
  EXPECT_EQ(OnHand(a, amlodipine_), 0);
  EXPECT_EQ(OnHand(b, amlodipine_), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_refunds"), 0);
  auto check = s().Get("/api/v1/billing/ledger/check", admin_.token);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(check.json().at("unbalanced").as_int64(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DispensingLoadTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_dispensing_load_test
}  // namespace ihos::apitest
