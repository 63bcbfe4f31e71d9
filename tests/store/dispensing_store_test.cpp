// Drug-order storage on SQLite and PostgreSQL, without HTTP: every mapped column read back, money
// in integer fen, one status change wins among concurrent ones, a pickup code is used once, what a
// prescription line has ordered and dispensed, pickup-code keys, rollback.
#include <gtest/gtest.h>

#include <atomic>

#include "domain/dispensing/repository.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/prescription_row.hpp"
#include "support/race.hpp"
#include "support/store_suite.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::dispensing {
namespace {

using SigningKeyRow = std::optional<std::pair<std::int64_t, std::string>>;
constexpr std::int64_t kPharmacy = 77;  // the pharmacy capability's id (no foreign key by design)

class DispensingStoreTest : public testing::StoreSuite {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 8);
    now_ = 1'794'961'560'000;  // 2026-11-18 08:26 CST
    auto users = testing::InsertPatients(*db_, 4, "disp", now_);
    patient_ = users[0].id;
    guardian_ = users[1].id;
    courier_ = users[2].id;
    const std::int64_t doctor = users[3].id;
    auto ids = testing::InsertPractitioner(*db_, doctor);
    rx_ = testing::InsertPrescriptionRow(*db_, {patient_, doctor, ids.practitioner_id, ids.hospital_id, now_});
  }

  Order Draft(std::int64_t line1_qty = 2, std::int64_t line2_qty = 1) {
    Order o;
    o.patient_id = patient_;
    o.created_by = guardian_;
    o.prescription_id = rx_;
    o.pharmacy_id = kPharmacy;
    o.pharmacy_name = "仁和大药房（朝阳店）";
    o.mode = "delivery";
    o.address = "北京市朝阳区测试路 8 号 3-201";
    o.lat_e6 = 39'915'123;
    o.lon_e6 = 116'403'456;
    o.contact_phone = "13800138000";
    o.items_fen = 2 * 2'350 + 1'980;
    o.delivery_fee_fen = 600;
    o.rx_line_count = 2;
    o.pickup_nonce = "nonce-" + std::to_string(line1_qty) + std::to_string(line2_qty);
    o.created_at = now_;
    if (line1_qty) o.lines.push_back(OrderLine{0, 501, "辛伐他汀片", "20mg", 2, line1_qty, 2'350, "drug.A"});
    if (line2_qty) o.lines.push_back(OrderLine{1, 502, "氟康唑胶囊", "50mg", 1, line2_qty, 1'980, "drug.B"});
    return o;
  }
  std::int64_t Insert(const Order& o) {
    return WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertOrder(tx, o); });
  }
  std::optional<Order> Find(std::int64_t id) {
    return Read<std::optional<Order>>([&](store::Tx& tx) { return repo::FindOrder(tx, id); });
  }
  bool Move(std::int64_t id, const std::string& from, const std::string& to, const std::string& reason = "") {
    return WriteR<bool>([&](store::Tx& tx) { return repo::Move(tx, id, from, to, reason, now_ + 100); });
  }

  std::int64_t now_ = 0, patient_ = 0, guardian_ = 0, courier_ = 0, rx_ = 0;
};

TEST_P(DispensingStoreTest, OrderLinesBatchesAndEventsReadBackEveryColumn) {
  const std::int64_t id = Insert(Draft());
  ASSERT_TRUE(Write([&](store::Tx& tx) -> Status {
    if (auto s = repo::InsertBatch(tx, id, Batch{501, "B2026-02", "2027-06-30", 2}); !s) return s;
    if (auto s = repo::InsertBatch(tx, id, Batch{502, "F-77", "2027-01-31", 1}); !s) return s;
    if (auto s = repo::InsertEvent(tx, id, guardian_, Event{"placed", "patient", "", now_}); !s) return s;
    return repo::InsertEvent(tx, id, std::nullopt, Event{"accepted", "system", "自动接单", now_ + 5});
  }));
  ASSERT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::SetCourier(tx, id, courier_, now_ + 7); }));
  auto o = Find(id);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->id, id);
  EXPECT_EQ(o->patient_id, patient_);
  EXPECT_EQ(o->patient_name, "测试患者");
  EXPECT_EQ(o->created_by, guardian_);
  EXPECT_EQ(o->prescription_id, rx_);
  EXPECT_EQ(o->pharmacy_id, kPharmacy);
  EXPECT_EQ(o->pharmacy_name, "仁和大药房（朝阳店）");
  EXPECT_EQ(o->mode, "delivery");
  EXPECT_EQ(o->address, "北京市朝阳区测试路 8 号 3-201");
  EXPECT_EQ(o->lat_e6, 39'915'123);
  EXPECT_EQ(o->lon_e6, 116'403'456);
  EXPECT_EQ(o->contact_phone, "13800138000");
  EXPECT_EQ(o->items_fen, 6'680);
  EXPECT_EQ(o->delivery_fee_fen, 600);
  EXPECT_EQ(o->total_fen(), 7'280);
  EXPECT_EQ(o->status, "placed");
  EXPECT_EQ(o->reason, "");
  EXPECT_EQ(o->courier_id, courier_);
  EXPECT_EQ(o->courier_name, "测试患者") << "the courier's name is joined from users";
  EXPECT_EQ(o->rx_line_count, 2);
  EXPECT_EQ(o->pickup_nonce, "nonce-21");
  EXPECT_FALSE(o->pickup_used_at);
  EXPECT_EQ(o->created_at, now_);
  EXPECT_EQ(o->updated_at, now_ + 7);
  ASSERT_EQ(o->lines.size(), 2u);
  const OrderLine& l = o->lines[0];
  EXPECT_EQ(l.line_no, 0);
  EXPECT_EQ(l.formulary_item_id, 501);
  EXPECT_EQ(l.name, "辛伐他汀片");
  EXPECT_EQ(l.strength, "20mg");
  EXPECT_EQ(l.prescribed, 2);
  EXPECT_EQ(l.quantity, 2);
  EXPECT_EQ(l.unit_fen, 2'350);
  EXPECT_EQ(l.item_code, "drug.A");
  EXPECT_EQ(o->lines[1].item_code, "drug.B");
  ASSERT_EQ(o->batches.size(), 2u);
  EXPECT_EQ(o->batches[0].formulary_item_id, 501);
  EXPECT_EQ(o->batches[0].batch_no, "B2026-02");
  EXPECT_EQ(o->batches[0].expiry_date, "2027-06-30");
  EXPECT_EQ(o->batches[0].quantity, 2);
  ASSERT_EQ(o->events.size(), 2u);
  EXPECT_EQ(o->events[0].status, "placed");
  EXPECT_EQ(o->events[0].actor_role, "patient");
  EXPECT_EQ(o->events[1].status, "accepted");
  EXPECT_EQ(o->events[1].actor_role, "system");
  EXPECT_EQ(o->events[1].note, "自动接单");
  EXPECT_EQ(o->events[1].at, now_ + 5);
  // The courier can be taken off again (a failed hand-over): the name goes with it.
  ASSERT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::SetCourier(tx, id, std::nullopt, now_ + 8); }));
  EXPECT_FALSE(Find(id)->courier_id);
  EXPECT_EQ(Find(id)->courier_name, "");
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::SetCourier(tx, 999'999, courier_, now_); }))
      << "no such order: nothing changed";
  // Lists: the patient's newest first, the pharmacy's by status, oldest first.
  const std::int64_t second = Insert(Draft(0, 1));
  auto mine = Read<std::vector<Order>>([&](store::Tx& tx) { return repo::OrdersOfPatients(tx, {patient_}, 10); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, second);
  EXPECT_EQ(mine[0].lines.size(), 1u);
  EXPECT_TRUE(
      Read<std::vector<Order>>([&](store::Tx& tx) { return repo::OrdersOfPatients(tx, {guardian_}, 10); }).empty());
  ASSERT_TRUE(Move(second, "placed", "accepted"));
  auto placed =
      Read<std::vector<Order>>([](store::Tx& tx) { return repo::OrdersOfPharmacy(tx, kPharmacy, {"placed"}, 10); });
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].id, id);
  EXPECT_EQ(
      Read<std::vector<Order>>([](store::Tx& tx) { return repo::OrdersOfPharmacy(tx, kPharmacy, {}, 10); }).size(), 2u);
  EXPECT_TRUE(Read<std::vector<Order>>([](store::Tx& tx) {
                return repo::OrdersOfPharmacy(tx, kPharmacy + 1, {}, 10);
              }).empty());
}

TEST_P(DispensingStoreTest, ConcurrentStatusChangesLetOneWinAndStaleOnesAreRefused) {
  const std::int64_t id = Insert(Draft());
  // The pharmacy accepts while the patient cancels and the sweeper expires it, twice each.
  const std::vector<std::string> to{"accepted", "cancelled", "expired"};
  std::atomic<int> won{0};
  testing::RunTogether(6, [&](int i) {
    auto r = db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) {
      return repo::Move(tx, id, "placed", to[i % 3], i % 3 == 1 ? "patient_cancelled" : "", now_ + i);
    });
    ASSERT_TRUE(r) << r.error().code << " " << r.error().detail;
    if (*r) ++won;
  });
  EXPECT_EQ(won.load(), 1);
  auto o = Find(id);
  ASSERT_TRUE(o.has_value());
  EXPECT_NE(o->status, "placed");
  EXPECT_EQ(o->reason, o->status == "cancelled" ? "patient_cancelled" : "")
      << "only the winning change's reason is kept";
  // Every later change from "placed" is stale now.
  EXPECT_FALSE(Move(id, "placed", "accepted"));
  EXPECT_FALSE(Move(999'999, "placed", "accepted"));
  // A reason, once given, stays when a later change gives none.
  const std::int64_t other = Insert(Draft(1, 0));
  ASSERT_TRUE(Move(other, "placed", "accepted"));
  ASSERT_TRUE(Move(other, "accepted", "dispensed"));
  ASSERT_TRUE(Move(other, "dispensed", "failed", "recipient_unreachable"));
  ASSERT_TRUE(Move(other, "failed", "returned"));
  EXPECT_EQ(Find(other)->status, "returned");
  EXPECT_EQ(Find(other)->reason, "recipient_unreachable");
  EXPECT_EQ(Find(other)->updated_at, now_ + 100);
}

TEST_P(DispensingStoreTest, APickupCodeIsUsedExactlyOnceUnderConcurrentScans) {
  Order o = Draft();
  o.mode = "pickup";
  o.address = "";
  o.delivery_fee_fen = 0;
  const std::int64_t id = Insert(o);
  std::atomic<int> used{0};
  testing::RunTogether(8, [&](int i) {
    auto r = db_->With<bool>(store::TxMode::write,
                             [&](store::Tx& tx) { return repo::UsePickup(tx, id, courier_, now_ + 1'000 + i); });
    ASSERT_TRUE(r) << r.error().code << " " << r.error().detail;
    if (*r) ++used;
  });
  EXPECT_EQ(used.load(), 1);
  auto got = Find(id);
  ASSERT_TRUE(got->pickup_used_at);
  EXPECT_GE(*got->pickup_used_at, now_ + 1'000);
  EXPECT_LT(*got->pickup_used_at, now_ + 1'008);
  EXPECT_EQ(got->delivery_fee_fen, 0);
  EXPECT_EQ(got->mode, "pickup");
}

TEST_P(DispensingStoreTest, LinesCountOrderedAndDispensedOnlyForLiveOrders) {
  const std::int64_t a = Insert(Draft(1, 1));
  const std::int64_t b = Insert(Draft(1, 0));
  const std::int64_t c = Insert(Draft(0, 1));
  using PerLine = std::map<std::int64_t, std::int64_t>;
  EXPECT_EQ(Read<PerLine>([&](store::Tx& tx) { return repo::OrderedPerLine(tx, rx_); }), (PerLine{{0, 2}, {1, 2}}));
  EXPECT_EQ(Read<PerLine>([&](store::Tx& tx) { return repo::PrescribedPerLine(tx, rx_); }), (PerLine{{0, 2}, {1, 1}}));
  EXPECT_TRUE(Read<PerLine>([&](store::Tx& tx) { return repo::DispensedPerLine(tx, rx_); }).empty());
  // a is dispensed, b rejected, c cancelled: only a counts, as ordered and as dispensed.
  ASSERT_TRUE(Move(a, "placed", "accepted"));
  ASSERT_TRUE(Move(a, "accepted", "dispensed"));
  ASSERT_TRUE(Move(b, "placed", "rejected", "out_of_stock"));
  ASSERT_TRUE(Move(c, "placed", "cancelled", "patient_cancelled"));
  EXPECT_EQ(Read<PerLine>([&](store::Tx& tx) { return repo::OrderedPerLine(tx, rx_); }), (PerLine{{0, 1}, {1, 1}}));
  EXPECT_EQ(Read<PerLine>([&](store::Tx& tx) { return repo::DispensedPerLine(tx, rx_); }), (PerLine{{0, 1}, {1, 1}}));
  EXPECT_EQ(Find(b)->reason, "out_of_stock");
  // The unpaid-hold backstop sees placed orders only, older than asked.
  const std::int64_t d = Insert(Draft(1, 0));
  EXPECT_EQ(Read<std::vector<std::int64_t>>([&](store::Tx& tx) { return repo::PlacedBefore(tx, now_ + 1, 10); }),
            std::vector<std::int64_t>{d});
  EXPECT_TRUE(Read<std::vector<std::int64_t>>([&](store::Tx& tx) { return repo::PlacedBefore(tx, now_, 10); }).empty());
}

TEST_P(DispensingStoreTest, PickupKeysAndRollbackLeavesNothing) {
  EXPECT_FALSE(Read<SigningKeyRow>([](store::Tx& tx) { return repo::SigningKey(tx); }));
  const std::int64_t k1 =
      WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertKey(tx, "pub-1", "sec-1", now_); });
  const std::int64_t k2 =
      WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertKey(tx, "pub-2", "sec-2", now_ + 1); });
  auto signing = Read<SigningKeyRow>([](store::Tx& tx) { return repo::SigningKey(tx); });
  ASSERT_TRUE(signing.has_value());
  EXPECT_EQ(signing->first, k2) << "the newest key signs";
  EXPECT_EQ(signing->second, "sec-2");
  auto keys = Read<std::vector<PublicKey>>([](store::Tx& tx) { return repo::PublicKeys(tx); });
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, k1);
  EXPECT_EQ(keys[0].public_key, "pub-1");
  EXPECT_EQ(keys[0].created_at, now_);
  EXPECT_EQ(Read<std::optional<std::string>>([&](store::Tx& tx) { return repo::PublicKeyOf(tx, k1); }), "pub-1");
  EXPECT_FALSE(Read<std::optional<std::string>>([](store::Tx& tx) { return repo::PublicKeyOf(tx, 999'999); }));
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto r = repo::InsertKey(tx, "pub-1", "other", now_ + 2);
    if (!r) return r.error();
    return {};
  })) << "a public key is published once";

  // An order, its lines, a batch and an event written in a transaction that then fails: nothing.
  auto st = Write([&](store::Tx& tx) -> Status {
    auto id = repo::InsertOrder(tx, Draft());
    if (!id) return id.error();
    if (auto s = repo::InsertBatch(tx, *id, Batch{501, "B1", "2027-01-01", 1}); !s) return s;
    if (auto s = repo::InsertEvent(tx, *id, patient_, Event{"placed", "patient", "", now_}); !s) return s;
    return MakeError(Errc::conflict, "rx_line_exhausted");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(Count("drug_orders"), 0);
  EXPECT_EQ(Count("drug_order_lines"), 0);
  EXPECT_EQ(Count("drug_order_batches"), 0);
  EXPECT_EQ(Count("drug_order_events"), 0);
  // A line is ordered once per order; a zero quantity is refused by the store.
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    Order dup = Draft();
    dup.lines[1].line_no = 0;
    auto r = repo::InsertOrder(tx, dup);
    if (!r) return r.error();
    return {};
  }));
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    Order zero = Draft();
    zero.lines[0].quantity = 0;
    auto r = repo::InsertOrder(tx, zero);
    if (!r) return r.error();
    return {};
  }));
  EXPECT_EQ(Count("drug_orders"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DispensingStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::dispensing
