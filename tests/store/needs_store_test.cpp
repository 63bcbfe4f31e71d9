// The need registry's repository on SQLite and PostgreSQL, without HTTP: consent moves a need from
// awaiting_consent only; a reservation is marked released exactly once, also under racing
// releasers; the shortage query counts only open needs and tells the unmatched ones.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/needs/repository.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::needs {
namespace {

class NeedsStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    const auto users = testing::InsertPatients(*db_, 2, "needs", 1000);
    patient_ = users[0].id;
    worker_ = users[1].id;
  }
  Need Make(const std::string& status, const std::string& region = "420103") const {
    Need n;
    n.subject_name = "测试";
    n.registered_by = patient_;
    n.registered_as = status == "awaiting_consent" ? "worker" : "patient";
    if (status != "awaiting_consent") {
      n.patient_id = patient_;
      n.consent = Consent{"self", 1000, patient_, ""};
    } else {
      n.registered_by = worker_;
      n.subject_phone = "13900000000";
    }
    n.formulary_item_id = 7;
    n.drug_name = "氨氯地平 5mg";
    n.quantity = 2;
    n.region_code = region;
    n.lat_e6 = 30'600'000;
    n.lon_e6 = 114'270'000;
    n.urgency = "normal";
    n.status = status;
    n.created_at = n.updated_at = 1000;
    return n;
  }
  std::int64_t Insert(const Need& n) {
    auto id = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) { return repo::InsertNeed(tx, n); });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }
  std::unique_ptr<store::Database> db_;
  std::int64_t patient_ = 0, worker_ = 0;
};

TEST_P(NeedsStoreTest, ConsentOpensOnlyANeedAwaitingIt) {
  const auto id = Insert(Make("awaiting_consent"));
  auto first = db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) {
    return repo::RecordConsent(tx, id, Consent{"in_app", 2000, patient_, ""}, patient_);
  });
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  auto again = db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) {
    return repo::RecordConsent(tx, id, Consent{"sms_code", 3000, worker_, ""}, std::nullopt);
  });
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto n = db_->With<std::optional<Need>>(store::TxMode::read, [&](store::Tx& tx) { return repo::FindNeed(tx, id); });
  ASSERT_TRUE(n && *n);
  EXPECT_EQ((*n)->status, "open");
  ASSERT_TRUE((*n)->consent);
  EXPECT_EQ((*n)->consent->method, "in_app");
  EXPECT_EQ((*n)->consent->at, 2000);
  EXPECT_EQ((*n)->patient_id, patient_);
}

TEST_P(NeedsStoreTest, AnOpenNeedWithoutConsentIsRefusedByTheSchema) {
  Need n = Make("awaiting_consent");
  n.status = "open";  // a worker's registration cannot be open without the consent recorded
  auto id = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) { return repo::InsertNeed(tx, n); });
  EXPECT_FALSE(id);
}

TEST_P(NeedsStoreTest, AReservationIsMarkedReleasedExactlyOnceUnderRacingReleasers) {
  const auto id = Insert(Make("open"));
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) {
    Answer a;
    a.need_id = id;
    a.pharmacy_id = 3;
    a.pharmacy_name = "药房";
    a.answered_by = patient_;
    a.kind = "reserved";
    a.quantity = 2;
    a.reserved_until = 5000;
    a.created_at = a.updated_at = 1000;
    return repo::UpsertAnswer(tx, a);
  }));
  auto held = db_->With<std::vector<Answer>>(store::TxMode::read,
                                             [&](store::Tx& tx) { return repo::HeldReservations(tx, id); });
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 1u);
  const auto answer_id = held->front().id;
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      for (int attempt = 0; attempt < 20; ++attempt) {
        auto r = db_->With<bool>(store::TxMode::write,
                                 [&](store::Tx& tx) { return repo::MarkReleased(tx, answer_id, 6000); });
        if (r) {
          if (*r) ++won;
          return;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  auto after = db_->With<std::vector<Answer>>(store::TxMode::read,
                                              [&](store::Tx& tx) { return repo::LapsedReservations(tx, 99999, 10); });
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
}

TEST_P(NeedsStoreTest, TheShortageQueryCountsOpenNeedsAndTheUnmatched) {
  const auto a = Insert(Make("open"));
  Insert(Make("open"));
  Insert(Make("awaiting_consent"));
  Insert(Make("open", "110105"));
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto m = repo::ReplaceMatches(tx, a, {Match{3, "药房", 800, 5, 0}}, 5000, 2000);
    if (!m) return m.error();
    EXPECT_EQ(m->size(), 1u);  // new
    auto again = repo::ReplaceMatches(tx, a, {Match{3, "药房", 800, 4, 0}}, 5000, 3000);
    if (!again) return again.error();
    EXPECT_TRUE(again->empty());  // not new the second time
    return {};
  }));
  auto rows = db_->With<std::vector<ShortageRow>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::ShortageByCounty(tx, "", std::nullopt); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& r : *rows) {
    if (r.region_code == "420103") {
      EXPECT_EQ(r.needs, 2);
      EXPECT_EQ(r.unmatched, 1);
      EXPECT_EQ(r.quantity, 4);
    } else {
      EXPECT_EQ(r.region_code, "110105");
      EXPECT_EQ(r.needs, 1);
    }
  }
  auto urgent = db_->With<std::vector<ShortageRow>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::ShortageByCounty(tx, "urgent", std::nullopt); });
  ASSERT_TRUE(urgent);
  EXPECT_TRUE(urgent->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, NeedsStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::needs
