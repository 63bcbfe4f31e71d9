// Pharmacies, the stock ledger and nearby search on SQLite and PostgreSQL, without HTTP: receipts,
// reservations (all or nothing, idempotent per ref), earliest-expiry-first dispensing that never
// takes an expired batch, returns, the level check, nearby search, onboarding, and many threads
// reserving the last units.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/accounts/service.hpp"
#include "domain/pharmacy/service.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::pharmacy {
namespace {

class PharmacyStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 8);
    svc_ = std::make_unique<PharmacyService>(*db_, clock_);
    amlo_ = AddItem(1, "氨氯地平");
    metf_ = AddItem(2, "二甲双胍");
    statin_ = AddItem(3, "阿托伐他汀");
  }

  std::int64_t AddItem(std::int64_t nhsa, const std::string& name) {
    auto id = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto d = tx.Query(
          "INSERT INTO drugs (nhsa_id, name, section, kind, search_text) VALUES ($1, $2, '西药部分', 'western', $2) "
          "RETURNING id",
          {nhsa, name});
      if (!d) return d.error();
      auto f = tx.Query(
          "INSERT INTO formulary (drug_id, strength, dose_unit, strength_amount_milli, package_unit, package_size, "
          "price_fen, created_at) VALUES ($1, '5mg', 'mg', 5000, '片', 28, 2800, 0) RETURNING id",
          {d->front().Int(0)});
      if (!f) return f.error();
      return f->front().Int(0);
    });
    EXPECT_TRUE(id) << id.error().code << " " << id.error().detail;
    return id ? *id : 0;
  }

  std::int64_t AddPharmacy(const std::string& name, double lat, double lon, const std::string& status = "open",
                           bool delivers = true) {
    Pharmacy p;
    p.name = name;
    p.licence_no = "鄂CB" + std::to_string(1000000 + ++seq_);
    p.region_code = "420102";
    p.lat = lat;
    p.lon = lon;
    p.status = status;
    p.delivers = delivers;
    p.delivery_radius_m = 3000;
    p.delivery_fee_fen = 500;
    for (int d = 1; d <= 7; ++d) p.hours.push_back({d, 8 * 60, 22 * 60});
    auto id = db_->With<std::int64_t>(store::TxMode::write,
                                      [&](store::Tx& tx) { return svc_->CreatePharmacyIn(tx, p, clock_.NowMs()); });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }

  Status Receive(std::int64_t pharmacy, std::int64_t item, const std::string& batch, const std::string& expiry,
                 std::int64_t qty, std::optional<std::int64_t> price = 3000) {
    return db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto m =
          svc_->ReceiveIn(tx, pharmacy, {item, batch, expiry, qty, std::nullopt, price}, std::nullopt, clock_.NowMs());
      if (!m) return m.error();
      return {};
    });
  }

  Status Reserve(std::int64_t pharmacy, const std::string& ref, std::vector<BasketLine> lines) {
    return db_->Transact(store::TxMode::write,
                         [&](store::Tx& tx) { return svc_->Reserve(tx, pharmacy, ref, lines, clock_.NowMs()); });
  }

  Result<std::vector<DispensedBatch>> Dispense(const std::string& ref) {
    return db_->With<std::vector<DispensedBatch>>(
        store::TxMode::write, [&](store::Tx& tx) { return svc_->Dispense(tx, ref, 0, clock_.NowMs()); });
  }

  // The item's available stock as the console reports it.
  std::int64_t Available(std::int64_t pharmacy, std::int64_t item) {
    NearbyQuery q;
    auto p = db_->With<std::optional<Pharmacy>>(store::TxMode::read,
                                                [&](store::Tx& tx) { return svc_->FindPharmacy(tx, pharmacy); });
    q.lat = (*p)->lat;
    q.lon = (*p)->lon;
    q.radius_m = 10;
    q.open_now = false;
    q.complete_only = false;
    q.basket = {{item, 100000}};
    auto r = svc_->Nearby(q);
    EXPECT_TRUE(r);
    for (const auto& n : *r)
      if (n.pharmacy.id == pharmacy) return n.available.front().quantity;
    return 0;
  }

  LevelCheck Check() {
    auto c = svc_->CheckLevels(Principal{1, "admin", {"admin"}});
    EXPECT_TRUE(c);
    return *c;
  }

  // 2026-11-18 10:00 CST, a Wednesday.
  ManualClock clock_{CstMs("2026-11-18", 600)};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PharmacyService> svc_;
  std::int64_t amlo_ = 0, metf_ = 0, statin_ = 0;
  int seq_ = 0;
};

TEST_P(PharmacyStoreTest, ReserveIsAllOrNothingAndIdempotent) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  ASSERT_TRUE(Receive(ph, amlo_, "A1", "2027-12-31", 5));
  ASSERT_TRUE(Receive(ph, metf_, "M1", "2027-12-31", 2));
  // Metformin is short: nothing is reserved, the detail names the item.
  auto st = Reserve(ph, "order:1", {{amlo_, 3}, {metf_, 3}});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "stock_insufficient");
  EXPECT_NE(st.error().detail.find(std::to_string(metf_) + ":2"), std::string::npos) << st.error().detail;
  EXPECT_EQ(Available(ph, amlo_), 5);
  ASSERT_TRUE(Reserve(ph, "order:1", {{amlo_, 3}, {metf_, 2}}));
  EXPECT_EQ(Available(ph, amlo_), 2);
  EXPECT_EQ(Available(ph, metf_), 0);
  // The same ref again reserves nothing more.
  ASSERT_TRUE(Reserve(ph, "order:1", {{amlo_, 3}, {metf_, 2}}));
  EXPECT_EQ(Available(ph, amlo_), 2);
  // Another order cannot take what is reserved.
  EXPECT_EQ(Reserve(ph, "order:2", {{metf_, 1}}).error().code, "stock_insufficient");
  // Release gives it back, once.
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return svc_->Release(tx, "order:1", 1); }));
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return svc_->Release(tx, "order:1", 1); }));
  EXPECT_EQ(Available(ph, amlo_), 5);
  EXPECT_EQ(Available(ph, metf_), 2);
  EXPECT_EQ(Dispense("order:1").error().code, "stock_not_reserved");
  EXPECT_EQ(Dispense("order:none").error().code, "stock_not_reserved");
  EXPECT_TRUE(Check().differences.empty());
}

TEST_P(PharmacyStoreTest, DispenseTakesEarliestExpiryFirstAndNeverExpired) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  ASSERT_TRUE(Receive(ph, amlo_, "LATE", "2027-12-31", 10));
  ASSERT_TRUE(Receive(ph, amlo_, "SOON", "2026-11-20", 4));
  ASSERT_TRUE(Receive(ph, amlo_, "MID", "2027-03-31", 3));
  // An already expired batch cannot be received.
  EXPECT_EQ(Receive(ph, amlo_, "OLD", "2026-11-17", 3).error().code, "validation_failed");
  // The same batch number with another expiry is refused.
  EXPECT_EQ(Receive(ph, amlo_, "MID", "2027-04-30", 3).error().code, "batch_expiry_mismatch");
  ASSERT_TRUE(Reserve(ph, "order:1", {{amlo_, 6}}));
  auto d = Dispense("order:1");
  ASSERT_TRUE(d) << d.error().code;
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[0].batch_no, "SOON");
  EXPECT_EQ((*d)[0].quantity, 4);
  EXPECT_EQ((*d)[1].batch_no, "MID");
  EXPECT_EQ((*d)[1].quantity, 2);
  EXPECT_EQ(Available(ph, amlo_), 11);
  // Dispensing twice takes nothing more.
  EXPECT_EQ(Dispense("order:1").error().code, "stock_not_reserved");

  // Three days on, the SOON batch would have expired; a return puts goods back to their batches.
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return svc_->Return(tx, "order:1", 0, 2); }));
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return svc_->Return(tx, "order:1", 0, 2); }));
  EXPECT_EQ(Available(ph, amlo_), 17);
  clock_.Set(CstMs("2026-11-21", 600));
  EXPECT_EQ(Available(ph, amlo_), 13);  // 4 boxes of SOON no longer count
  ASSERT_TRUE(Reserve(ph, "order:2", {{amlo_, 13}}));
  EXPECT_EQ(Reserve(ph, "order:3", {{amlo_, 1}}).error().code, "stock_insufficient");
  auto d2 = Dispense("order:2");
  ASSERT_TRUE(d2);
  for (const auto& b : *d2) EXPECT_NE(b.batch_no, "SOON");
  // A reservation that expiry has meanwhile uncovered is refused at dispensing, not served from
  // an expired batch.
  ASSERT_TRUE(Receive(ph, metf_, "M-SOON", "2026-11-22", 2));
  ASSERT_TRUE(Reserve(ph, "order:4", {{metf_, 2}}));
  clock_.Set(CstMs("2026-11-23", 600));
  EXPECT_EQ(Dispense("order:4").error().code, "stock_insufficient");
  EXPECT_TRUE(Check().differences.empty());
}

TEST_P(PharmacyStoreTest, ExpiredStockIsWrittenOffOnceWithAMove) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  ASSERT_TRUE(Receive(ph, amlo_, "SOON", "2026-11-20", 4));
  ASSERT_TRUE(Receive(ph, amlo_, "LATE", "2027-12-31", 3));
  const Principal admin{1, "admin", {"admin"}};
  EXPECT_EQ(*svc_->ExpireDue(admin), 0);  // nothing past its date yet
  EXPECT_EQ(svc_->ExpireDue(Principal{2, "x", {"patient"}}).error().code, "forbidden");
  clock_.Set(CstMs("2026-11-21", 600));
  EXPECT_EQ(*svc_->ExpireDue(admin), 1);
  EXPECT_EQ(*svc_->ExpireDue(admin), 0);
  auto moves =
      db_->With<std::vector<std::string>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        auto r =
            tx.Query("SELECT kind || ':' || batch_no || ':' || on_hand_delta FROM pharmacy_stock_moves ORDER BY id");
        if (!r) return r.error();
        std::vector<std::string> out;
        for (const auto& row : *r) out.push_back(row.Text(0));
        return out;
      });
  ASSERT_TRUE(moves);
  EXPECT_EQ(moves->back(), "expired:SOON:-4");
  EXPECT_EQ(Available(ph, amlo_), 3);
  EXPECT_TRUE(Check().differences.empty());
}

// ExpireDue locks items in the order every other stock change does (pharmacy, then item id), not
// in expiry order: two transactions never wait on each other crosswise (PostgreSQL). The moves it
// writes show the order it took the locks in.
TEST_P(PharmacyStoreTest, ExpiryWriteOffLocksItemsInItemOrder) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  ASSERT_LT(amlo_, metf_);
  ASSERT_TRUE(Receive(ph, amlo_, "A-OLD", "2026-11-20", 2));
  ASSERT_TRUE(Receive(ph, metf_, "M-OLD", "2026-11-19", 3));  // expires first, higher item id
  clock_.Set(CstMs("2026-11-21", 600));
  EXPECT_EQ(*svc_->ExpireDue(Principal{1, "admin", {"admin"}}), 2);
  auto moves =
      db_->With<std::vector<std::string>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        auto r = tx.Query("SELECT batch_no FROM pharmacy_stock_moves WHERE kind = 'expired' ORDER BY id");
        if (!r) return r.error();
        std::vector<std::string> out;
        for (const auto& row : *r) out.push_back(row.Text(0));
        return out;
      });
  ASSERT_TRUE(moves);
  EXPECT_EQ(*moves, (std::vector<std::string>{"A-OLD", "M-OLD"}));
  EXPECT_TRUE(Check().differences.empty());
}

// A reservation that replaces others (a need's reservation converted into a drug order's) releases
// them inside the same transaction; when the new one is refused the releases roll back with it.
TEST_P(PharmacyStoreTest, ReserveReleasingReplacedRefs) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  const auto other = AddPharmacy("演示·另一药房", 30.56, 114.31);
  ASSERT_TRUE(Receive(ph, amlo_, "A1", "2027-12-31", 2));
  ASSERT_TRUE(Receive(ph, metf_, "M1", "2027-12-31", 1));
  ASSERT_TRUE(Receive(other, amlo_, "B1", "2027-12-31", 1));
  ASSERT_TRUE(Reserve(ph, "need:7:a", {{amlo_, 2}}));
  ASSERT_TRUE(Reserve(other, "need:7:b", {{amlo_, 1}}));
  EXPECT_EQ(Reserve(ph, "order:1", {{amlo_, 2}}).error().code, "stock_insufficient");
  auto with = [&](std::vector<BasketLine> lines) {
    return db_->Transact(store::TxMode::write, [&](store::Tx& tx) {
      return svc_->Reserve(tx, ph, "order:1", lines, clock_.NowMs(), {"need:7:a", "need:7:b", "need:none"});
    });
  };
  // Too much metformin: refused, and the need's reservations are still held.
  EXPECT_EQ(with({{amlo_, 2}, {metf_, 2}}).error().code, "stock_insufficient");
  EXPECT_EQ(Available(ph, amlo_), 0);
  EXPECT_EQ(Available(other, amlo_), 0);
  ASSERT_TRUE(with({{amlo_, 2}, {metf_, 1}}));
  EXPECT_EQ(Available(ph, amlo_), 0);     // now the order's
  EXPECT_EQ(Available(other, amlo_), 1);  // released
  auto d = Dispense("order:1");
  ASSERT_TRUE(d) << d.error().code;
  EXPECT_EQ(Dispense("need:7:a").error().code, "stock_not_reserved");
  EXPECT_TRUE(Check().differences.empty());
}

TEST_P(PharmacyStoreTest, LevelCheckFindsALevelEditedByHand) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  ASSERT_TRUE(Receive(ph, amlo_, "A1", "2027-12-31", 5));
  ASSERT_TRUE(Reserve(ph, "order:1", {{amlo_, 2}}));
  auto c = Check();
  EXPECT_TRUE(c.differences.empty());
  EXPECT_EQ(c.moves_checked, 2);
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto r = tx.Exec("UPDATE pharmacy_batches SET on_hand = 50");
    if (!r) return r.error();
    return {};
  }));
  c = Check();
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0].batch_no, "A1");
  EXPECT_EQ(c.differences[0].stored, 50);
  EXPECT_EQ(c.differences[0].from_moves, 5);
}

TEST_P(PharmacyStoreTest, ManyThreadsReservingTheLastUnits) {
  const auto ph = AddPharmacy("演示·测试药房", 30.55, 114.30);
  ASSERT_TRUE(Receive(ph, amlo_, "A1", "2027-12-31", 7));
  ASSERT_TRUE(Receive(ph, amlo_, "A2", "2028-01-31", 5));
  constexpr int kThreads = 24, kEach = 3;  // 72 boxes asked for, 12 there
  std::atomic<int> ok{0}, short_{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto st = Reserve(ph, "order:" + std::to_string(t) + ":" + std::to_string(i), {{amlo_, 1}});
        if (st)
          ++ok;
        else if (st.error().code == "stock_insufficient")
          ++short_;
        else
          ++other;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok.load(), 12);
  EXPECT_EQ(short_.load(), kThreads * kEach - 12);
  EXPECT_EQ(Available(ph, amlo_), 0);
  // Dispense every reservation concurrently: exactly 12 boxes leave, no batch goes below zero.
  std::atomic<int> dispensed{0};
  threads.clear();
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto d = Dispense("order:" + std::to_string(t) + ":" + std::to_string(i));
        if (d)
          for (const auto& b : *d) dispensed += static_cast<int>(b.quantity);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(dispensed.load(), 12);
  auto c = Check();
  EXPECT_TRUE(c.differences.empty());
  auto neg = db_->With<std::int64_t>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::int64_t> {
    auto r = tx.Query("SELECT COUNT(*) FROM pharmacy_batches WHERE on_hand < 0");
    if (!r) return r.error();
    return r->front().Int(0);
  });
  EXPECT_EQ(*neg, 0);
}

TEST_P(PharmacyStoreTest, NearbyOpenWithinRadiusSortedWithBasketPrice) {
  // Around 武汉 江汉区; 0.01 degree of latitude is about 1.1 km.
  const double lat = 30.60, lon = 114.27;
  const auto near = AddPharmacy("演示·近", lat + 0.005, lon);
  const auto mid = AddPharmacy("演示·中", lat + 0.02, lon);
  const auto far = AddPharmacy("演示·远", lat + 0.08, lon);  // ~8.9 km
  const auto closed = AddPharmacy("演示·停业", lat + 0.001, lon, "temporarily_closed");
  const auto partial = AddPharmacy("演示·缺货", lat - 0.01, lon);
  for (auto p : {near, mid, far, closed}) {
    ASSERT_TRUE(Receive(p, amlo_, "A", "2027-12-31", 10, 2800));
    ASSERT_TRUE(Receive(p, metf_, "M", "2027-12-31", 10, 1250));
  }
  ASSERT_TRUE(Receive(partial, amlo_, "A", "2027-12-31", 1, 2800));

  NearbyQuery q;
  q.lat = lat;
  q.lon = lon;
  q.radius_m = 5000;
  q.basket = {{amlo_, 2}, {metf_, 1}};
  auto r = svc_->Nearby(q);
  ASSERT_TRUE(r) << r.error().code;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].pharmacy.id, near);
  EXPECT_EQ((*r)[1].pharmacy.id, mid);
  EXPECT_NEAR((*r)[0].distance_m, 556, 5);
  EXPECT_EQ((*r)[0].basket_fen, 2 * 2800 + 1250);
  EXPECT_TRUE((*r)[0].complete);
  EXPECT_TRUE((*r)[0].open_now);
  EXPECT_TRUE((*r)[0].delivers_here);
  EXPECT_EQ((*r)[0].delivery_fee_fen, 500);
  EXPECT_TRUE((*r)[1].delivers_here);  // 2.2 km, inside its 3 km delivery radius
  q.delivery_only = true;
  q.radius_m = 10000;
  r = svc_->Nearby(q);
  ASSERT_EQ(r->size(), 2u);  // far (8.9 km) is found but does not deliver there
  q.delivery_only = false;
  q.radius_m = 5000;
  q.complete_only = false;
  r = svc_->Nearby(q);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].pharmacy.id, partial);
  EXPECT_FALSE((*r)[1].complete);
  EXPECT_EQ((*r)[1].available[0].quantity, 1);
  EXPECT_EQ((*r)[1].available[1].quantity, 0);
  EXPECT_EQ((*r)[1].basket_fen, 2800);
  // At 23:00 CST everything is closed.
  clock_.Set(CstMs("2026-11-18", 23 * 60));
  r = svc_->Nearby(q);
  EXPECT_TRUE(r->empty());
  q.open_now = false;
  r = svc_->Nearby(q);
  EXPECT_EQ(r->size(), 4u);  // and the temporarily closed one shows, marked closed
  q.radius_m = 0;
  EXPECT_EQ(svc_->Nearby(q).error().code, "validation_failed");
}

TEST_P(PharmacyStoreTest, OnboardingGrantsTheRoleAndStaffActOnlyForTheirPharmacy) {
  accounts::AccountService accounts(*db_, clock_, {});
  PharmacyService svc(*db_, clock_, accounts);
  auto users = testing::InsertPatients(*db_, 2, "ph", clock_.NowMs());
  Principal applicant{users[0].id, "申请人", {"patient"}};
  Principal admin{users[1].id, "管理员", {"admin"}};
  const RequestMeta meta{"t", ""};
  Application in;
  in.kind = "register";
  in.pharmacy_name = "演示·新药房";
  in.licence_no = "bad";
  in.region_code = "420103";
  in.address = "江汉路1号";
  in.lat = 30.58;
  in.lon = 114.29;
  EXPECT_EQ(svc.Apply(applicant, in, meta).error().code, "validation_failed");
  in.licence_no = "鄂CB0270001";
  auto a = svc.Apply(applicant, in, meta);
  ASSERT_TRUE(a) << a.error().code;
  EXPECT_EQ(svc.Apply(applicant, in, meta).error().code, "application_pending");
  EXPECT_EQ(svc.Approve(applicant, a->id, meta).error().code, "forbidden");
  auto done = svc.Approve(admin, a->id, meta);
  ASSERT_TRUE(done) << done.error().code;
  ASSERT_TRUE(done->pharmacy_id);
  EXPECT_EQ(svc.Approve(admin, a->id, meta).error().code, "application_not_pending");
  auto roles =
      db_->With<std::vector<std::string>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        auto r = tx.Query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role", {applicant.user_id});
        if (!r) return r.error();
        std::vector<std::string> out;
        for (const auto& row : *r) out.push_back(row.Text(0));
        return out;
      });
  EXPECT_NE(std::find(roles->begin(), roles->end(), "pharmacy_staff"), roles->end());
  Principal staff{applicant.user_id, "申请人", {"patient", "pharmacy_staff"}};
  auto mine = svc.Mine(staff);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().duty, "manager");
  const auto own = *done->pharmacy_id;
  auto m = svc.Receive(staff, own, {amlo_, "B1", "2027-12-31", 4, 1000, 2900}, meta);
  ASSERT_TRUE(m) << m.error().code;
  auto stock = svc.Stock(staff, own);
  ASSERT_TRUE(stock);
  ASSERT_EQ(stock->size(), 1u);
  EXPECT_EQ(stock->front().on_hand, 4);
  EXPECT_EQ(stock->front().price_fen, 2900);
  // Someone else's pharmacy does not exist for them.
  const auto other = AddPharmacy("演示·别家", 30.5, 114.2);
  EXPECT_EQ(svc.Receive(staff, other, {amlo_, "B1", "2027-12-31", 4, 1000, 2900}, meta).error().code, "not_found");
  EXPECT_EQ(svc.Stock(staff, other).error().code, "not_found");
  // Adjustments need a reason and never take stock below zero.
  EXPECT_EQ(svc.Adjust(staff, own, {amlo_, "B1", -1, ""}, meta).error().code, "validation_failed");
  EXPECT_EQ(svc.Adjust(staff, own, {amlo_, "B1", -5, "破损"}, meta).error().code, "stock_insufficient");
  ASSERT_TRUE(svc.Adjust(staff, own, {amlo_, "B1", -1, "破损"}, meta));
  EXPECT_EQ(svc.Stock(staff, own)->front().on_hand, 3);
  // Rejection needs a reason.
  Application join;
  join.kind = "join";
  join.pharmacy_id = other;
  join.duty = "counter";
  auto j = svc.Apply(Principal{users[1].id, "x", {"patient"}}, join, meta);
  ASSERT_TRUE(j) << j.error().code;
  EXPECT_EQ(svc.Reject(admin, j->id, "", meta).error().code, "validation_failed");
  EXPECT_EQ(svc.Reject(admin, j->id, "不是本店员工", meta)->status, "rejected");
}

INSTANTIATE_TEST_SUITE_P(Backends, PharmacyStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::pharmacy
