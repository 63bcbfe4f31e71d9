// Home-service storage (domain/homecare/repository) on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/homecare/repository.hpp"
#include "domain/homecare/rules.hpp"
#include "domain/notifications/service.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::homecare {
namespace {

using store::Tx;
using store::TxMode;

class HomeCareStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    auto people = testing::InsertPatients(*db_, 3, "hc", kNow);
    patient_ = people[0].id;
    guardian_ = people[1].id;
    nurse_ = people[2].id;
  }
  template <class T, class F>
  T Run(F&& f) {
    auto r = db_->With<T>(TxMode::write, std::forward<F>(f));
    EXPECT_TRUE(r) << (r ? "" : r.error().code + " " + r.error().detail);
    return r ? std::move(*r) : T{};
  }
  std::int64_t AddOrder(std::int64_t patient, std::int64_t booked_by, const std::string& region, int start_minute,
                        const std::string& code = "injection") {
    NewOrder o{patient,
               booked_by,
               code,
               9900,
               region,
               "addr",
               "13800000000",
               CstMs(kToday, start_minute),
               CstMs(kToday, start_minute + 60),
               "note",
               kNow};
    return Run<std::int64_t>([&](Tx& tx) { return repo::InsertOrder(tx, o); });
  }
  Order Find(std::int64_t id) {
    auto o = Run<std::optional<Order>>([&](Tx& tx) { return repo::FindOrder(tx, id); });
    EXPECT_TRUE(o.has_value());
    return o.value_or(Order{});
  }

  static constexpr std::int64_t kNow = 1'794'961'560'000;  // 2026-11-18 08:26 CST
  static constexpr const char* kToday = "2026-11-18";
  std::unique_ptr<store::Database> db_;
  std::int64_t patient_ = 0, guardian_ = 0, nurse_ = 0;
};

TEST_P(HomeCareStoreTest, CatalogueAndPrices) {
  auto items = Run<std::vector<ServiceItem>>([&](Tx& tx) { return repo::ActiveServices(tx); });
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].code, "injection");
  EXPECT_EQ(items[0].kind, "nursing");
  EXPECT_EQ(items[0].name_en, "Injection");
  EXPECT_EQ(items[0].price_fen, 9900);
  EXPECT_EQ(items[0].duration_minutes, 30);
  EXPECT_TRUE(items[0].demo);
  EXPECT_EQ(Run<std::optional<std::int64_t>>([&](Tx& tx) { return repo::ActiveServicePrice(tx, "injection"); }), 9900);
  EXPECT_FALSE(Run<std::optional<std::int64_t>>([&](Tx& tx) { return repo::ActiveServicePrice(tx, "nope"); }));
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::SetServicePrice(tx, {"injection", 5000, true}); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::SetServicePrice(tx, {"nope", 5000, true}); }));
  items = Run<std::vector<ServiceItem>>([&](Tx& tx) { return repo::ActiveServices(tx); });
  EXPECT_EQ(items[0].price_fen, 5000);
  EXPECT_FALSE(items[0].demo) << "the hospital's own price is not a demo price";
  // An inactive service leaves the catalogue and cannot be ordered.
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::SetServicePrice(tx, {"injection", 5000, false}); }));
  EXPECT_FALSE(Run<std::optional<std::int64_t>>([&](Tx& tx) { return repo::ActiveServicePrice(tx, "injection"); }));
  EXPECT_EQ(Run<std::vector<ServiceItem>>([&](Tx& tx) { return repo::ActiveServices(tx); }).size(), items.size() - 1);
}

TEST_P(HomeCareStoreTest, AnOrderRoundTripsAndIsListedForItsPeople) {
  const auto id = AddOrder(patient_, guardian_, "110101", 10 * 60);
  Order o = Find(id);
  EXPECT_EQ(o.patient_id, patient_);
  EXPECT_EQ(o.booked_by, guardian_);
  EXPECT_FALSE(o.patient_name.empty());
  EXPECT_EQ(o.service_code, "injection");
  EXPECT_EQ(o.service_kind, "nursing");
  EXPECT_EQ(o.service_name_zh, "注射");
  EXPECT_EQ(o.price_fen, 9900);
  EXPECT_TRUE(o.price_demo);
  EXPECT_EQ(o.region_code, "110101");
  EXPECT_EQ(o.address, "addr");
  EXPECT_EQ(o.contact_phone, "13800000000");
  EXPECT_EQ(o.window_start, CstMs(kToday, 10 * 60));
  EXPECT_EQ(o.note, "note");
  EXPECT_EQ(o.status, "requested");
  EXPECT_FALSE(o.nurse_id);
  EXPECT_FALSE(o.nurse_name);
  EXPECT_EQ(o.created_at, kNow);
  EXPECT_EQ(o.updated_at, kNow);
  EXPECT_FALSE(Run<std::optional<Order>>([&](Tx& tx) { return repo::FindOrder(tx, id + 100); }));
  EXPECT_EQ(Run<std::vector<Order>>([&](Tx& tx) { return repo::OrdersOfUser(tx, patient_, 100); }).size(), 1u);
  EXPECT_EQ(Run<std::vector<Order>>([&](Tx& tx) { return repo::OrdersOfUser(tx, guardian_, 100); }).size(), 1u);
  EXPECT_TRUE(Run<std::vector<Order>>([&](Tx& tx) { return repo::OrdersOfUser(tx, nurse_, 100); }).empty());
  const std::int64_t day = *CstMidnightMs(kToday);
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::HasOpenOrder(tx, patient_, "injection", day, day + 86'400'000); }));
  EXPECT_FALSE(
      Run<bool>([&](Tx& tx) { return repo::HasOpenOrder(tx, patient_, "blood_draw", day, day + 86'400'000); }));
  EXPECT_FALSE(Run<bool>(
      [&](Tx& tx) { return repo::HasOpenOrder(tx, patient_, "injection", day + 86'400'000, day + 2 * 86'400'000); }));
  Run<std::int64_t>([&](Tx& tx) {
    return tx.Exec("UPDATE users SET phone = '13900000001', password_hash = 'x' WHERE id = $1", {patient_});
  });
  EXPECT_EQ(Run<std::string>([&](Tx& tx) { return repo::AccountPhone(tx, patient_); }), "13900000001");
  EXPECT_EQ(Run<std::string>([&](Tx& tx) { return repo::AccountPhone(tx, nurse_ + 100); }), "");
  // Cancelled from the status it was in, once.
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::CancelOrder(tx, id, "accepted", "r", kNow + 1); }));
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::CancelOrder(tx, id, "requested", "r", kNow + 1); }));
  o = Find(id);
  EXPECT_EQ(o.status, "cancelled");
  EXPECT_EQ(o.cancel_reason, "r");
  EXPECT_EQ(o.updated_at, kNow + 1);
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::HasOpenOrder(tx, patient_, "injection", day, day + 86'400'000); }));
}

TEST_P(HomeCareStoreTest, OneNurseAcceptsAndOnlyThatNurseMovesItOn) {
  const auto id = AddOrder(patient_, patient_, "110101", 10 * 60);
  const auto own = AddOrder(nurse_, nurse_, "110101", 11 * 60);
  auto open = Run<std::vector<Order>>([&](Tx& tx) { return repo::OpenOrders(tx, kNow, nurse_, 500); });
  ASSERT_EQ(open.size(), 1u) << "not the nurse's own order";
  EXPECT_EQ(open[0].id, id);
  EXPECT_EQ(Run<std::vector<Order>>([&](Tx& tx) { return repo::OpenOrders(tx, kNow, guardian_, 500); }).size(), 2u);
  EXPECT_TRUE(
      Run<std::vector<Order>>([&](Tx& tx) { return repo::OpenOrders(tx, CstMs(kToday, 13 * 60), 0, 500); }).empty())
      << "windows that have ended";

  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::AcceptOrder(tx, id, nurse_, kNow + 1); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::AcceptOrder(tx, id, guardian_, kNow + 2); })) << "taken";
  Order o = Find(id);
  EXPECT_EQ(o.status, "accepted");
  EXPECT_EQ(o.nurse_id, nurse_);
  EXPECT_TRUE(o.nurse_name && !o.nurse_name->empty());
  EXPECT_FALSE(Run<bool>([&](Tx& tx) {
    return repo::AdvanceOrder(tx, id, "accepted", "arrived", "", guardian_, kNow);
  })) << "another nurse";
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::AdvanceOrder(tx, id, "arrived", "completed", "x", nurse_, kNow); }))
      << "wrong status";
  EXPECT_TRUE(
      Run<bool>([&](Tx& tx) { return repo::AdvanceOrder(tx, id, "accepted", "arrived", "", nurse_, kNow + 3); }));
  EXPECT_EQ(Find(id).service_note, "") << "an empty note keeps the service note";
  EXPECT_TRUE(
      Run<bool>([&](Tx& tx) { return repo::AdvanceOrder(tx, id, "arrived", "completed", "done", nurse_, kNow + 4); }));
  o = Find(id);
  EXPECT_EQ(o.status, "completed");
  EXPECT_EQ(o.service_note, "done");
  EXPECT_EQ(o.updated_at, kNow + 4);
  // The nurse's list: open ones and those finished within the window asked for.
  auto mine = Run<std::vector<Order>>([&](Tx& tx) { return repo::NurseOrders(tx, nurse_, kNow, 200); });
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, id);
  EXPECT_TRUE(Run<std::vector<Order>>([&](Tx& tx) { return repo::NurseOrders(tx, nurse_, kNow + 4, 200); }).empty());
  (void)own;
}

TEST_P(HomeCareStoreTest, TimelineAreasAndNotifications) {
  const auto id = AddOrder(patient_, guardian_, "110101", 10 * 60);
  ASSERT_TRUE(db_->Transact(TxMode::write, [&](Tx& tx) -> Status {
    if (auto st = repo::InsertEvent(tx, id, guardian_, Event{"requested", "guardian", "", kNow}); !st) return st;
    return repo::InsertEvent(tx, id, nurse_, Event{"accepted", "nurse", "on my way", kNow + 1});
  }));
  auto events = Run<std::vector<Event>>([&](Tx& tx) { return repo::Events(tx, id); });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].status, "requested");
  EXPECT_EQ(events[0].actor_role, "guardian");
  EXPECT_EQ(events[1].note, "on my way");
  EXPECT_EQ(events[1].at, kNow + 1);

  EXPECT_TRUE(Run<std::vector<std::string>>([&](Tx& tx) { return repo::NurseAreas(tx, nurse_); }).empty());
  ASSERT_TRUE(db_->Transact(TxMode::write, [&](Tx& tx) {
    return repo::ReplaceNurseAreas(tx, nurse_, {"310000", "110000", "110000"});
  }));
  EXPECT_EQ(Run<std::vector<std::string>>([&](Tx& tx) { return repo::NurseAreas(tx, nurse_); }),
            (std::vector<std::string>{"110000", "310000"}));
  ASSERT_TRUE(db_->Transact(TxMode::write, [&](Tx& tx) { return repo::ReplaceNurseAreas(tx, nurse_, {"110105"}); }));
  EXPECT_EQ(Run<std::vector<std::string>>([&](Tx& tx) { return repo::NurseAreas(tx, nurse_); }),
            (std::vector<std::string>{"110105"}));

  const auto nid = Run<std::int64_t>([&](Tx& tx) {
    return notifications::Send(
        tx, notifications::Message{patient_, "homecare_accepted", "标题", "Title", "正文", "Body", std::nullopt}, kNow);
  });
  auto rows = Run<store::Rows>(
      [&](Tx& tx) { return tx.Query("SELECT user_id, kind, body_en FROM notifications WHERE id = $1", {nid}); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), patient_);
  EXPECT_EQ(rows[0].Text(1), "homecare_accepted");
  EXPECT_EQ(rows[0].Text(2), "Body");
}

INSTANTIATE_TEST_SUITE_P(Backends, HomeCareStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::homecare
