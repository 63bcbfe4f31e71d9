// A need's reservations, on SQLite and PostgreSQL: a pharmacy that reserves again after a lapse
// (or after answering "can supply") really reserves; one reservation or need that fails does not
// stop the sweep for the others.
#include "needs_fixture.hpp"

namespace ihos::apitest {
namespace api_needs_reserve_test {
namespace json = boost::json;

constexpr std::int64_t kLat = 30'600'000, kLon = 114'270'000;
constexpr std::int64_t kHourMs = 3600LL * 1000;

class NeedsReserveTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    item_ = needstest::InsertFormularyItem(s().app().db(), "缬沙坦", "80mg");
    admin_ = s().NewAdmin();
  }
  needstest::PharmacyFixture Pharmacy(std::int64_t north_m, std::int64_t boxes) {
    auto staff = s().NewPatient("药店店员");
    return needstest::MakePharmacy(s(), admin_, staff, "预留药房", kLat + north_m * 9, kLon, item_, boxes);
  }
  std::int64_t Create(const TestServer::Account& who) {
    auto r = s().Post("/api/v1/needs",
                      {{"formulary_item_id", item_},
                       {"quantity", 2},
                       {"region_code", "420103"},
                       {"lat_e6", kLat},
                       {"lon_e6", kLon},
                       {"days_left", 5},
                       {"condition", "高血压"},
                       {"icd10_code", "I10"},
                       {"needs_prescription", true}},
                      who.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }
  Resp Answer(std::int64_t need, const needstest::PharmacyFixture& ph, const std::string& kind) {
    return s().Post("/api/v1/needs/" + std::to_string(need) + "/answers",
                    {{"pharmacy_id", ph.pharmacy_id}, {"kind", kind}, {"quantity", 2}, {"reserve_days", 1}},
                    ph.staff.token);
  }
  std::int64_t Available(const needstest::PharmacyFixture& ph) { return needstest::Available(s(), ph, item_); }
  std::int64_t item_ = 0;
  TestServer::Account admin_;
};

TEST_P(NeedsReserveTest, APharmacyReservesAgainAfterALapseAndReallyReserves) {
  auto ph = Pharmacy(1000, 4);
  auto patient = s().NewPatient();
  const auto id = Create(patient);
  ASSERT_EQ(Answer(id, ph, "reserved").status, 201);
  EXPECT_EQ(Available(ph), 2);
  s().clock().Advance(25 * kHourMs);
  ASSERT_TRUE(s().app().needs().Sweep());
  EXPECT_EQ(Available(ph), 4);
  // Reserving right after the lapse is a new reservation.
  auto again = Answer(id, ph, "reserved");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json().at("kind"), "reserved");
  EXPECT_EQ(Available(ph), 2);
  EXPECT_EQ(Answer(id, ph, "reserved").json().at("code"), "need_already_reserved");
  s().clock().Advance(25 * kHourMs);
  ASSERT_TRUE(s().app().needs().Sweep());
  EXPECT_EQ(Available(ph), 4);
  // "Can supply", then "reserved": the reservation is really made.
  ASSERT_EQ(Answer(id, ph, "can_supply").status, 201);
  EXPECT_EQ(Available(ph), 4);
  ASSERT_EQ(Answer(id, ph, "reserved").status, 201);
  EXPECT_EQ(Available(ph), 2);
  // Closing the need releases it, once.
  auto c = s().Post("/api/v1/needs/" + std::to_string(id) + "/status", {{"status", "cancelled"}}, patient.token);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(Available(ph), 4);
  ASSERT_TRUE(s().app().needs().Sweep());
  EXPECT_EQ(Available(ph), 4);
}

TEST_P(NeedsReserveTest, OneFailingReservationOrNeedDoesNotStopTheSweep) {
  auto a = Pharmacy(1000, 4);
  auto b = Pharmacy(2000, 4);
  auto p1 = s().NewPatient();
  const auto first = Create(p1);
  ASSERT_EQ(Answer(first, a, "reserved").status, 201);
  s().clock().Advance(1000);
  ASSERT_EQ(Answer(first, b, "reserved").status, 201);
  auto p2 = s().NewPatient();
  const auto second = Create(p2);
  // Pharmacy A's books are broken: releasing its reservation fails (reserved would go below zero).
  auto broken = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto n = tx.Exec("UPDATE pharmacy_items SET reserved = 0 WHERE pharmacy_id = $1", {a.pharmacy_id});
    if (!n) return n.error();
    return {};
  });
  ASSERT_TRUE(broken);
  s().clock().Advance(25 * kHourMs);
  auto swept = s().app().needs().Sweep();
  EXPECT_TRUE(swept) << (swept ? "" : swept.error().code);
  EXPECT_EQ(Available(b), 4);  // B's lapsed reservation went back although A's failed first
  // Both needs are past their lapse; the first cannot release A's reservation and stays open.
  s().clock().Advance(31LL * 24 * kHourMs);
  swept = s().app().needs().Sweep();
  EXPECT_TRUE(swept) << (swept ? "" : swept.error().code);
  // (Read through the service: the sessions ended meanwhile.)
  auto n1 = s().app().needs().Get(Principal{p1.id, "", {"patient"}}, first);
  auto n2 = s().app().needs().Get(Principal{p2.id, "", {"patient"}}, second);
  ASSERT_TRUE(n1 && n2);
  EXPECT_EQ(n1->status, "open");
  EXPECT_EQ(n2->status, "lapsed");
}

INSTANTIATE_TEST_SUITE_P(Backends, NeedsReserveTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_needs_reserve_test
}  // namespace ihos::apitest
