// Notifications storage and service, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/notifications/service.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::notifications {
namespace {

class NotificationsStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    const auto users = testing::InsertPatients(*db_, 2, "patient", clock_.NowMs());
    alice_ = users[0].id;
    bob_ = users[1].id;
  }
  Message Cancelled() const {
    return Message{0, "appointment_cancelled", "预约已取消", "Appointment cancelled", "正文", "Body", std::nullopt};
  }
  Principal As(std::int64_t id) const { return Principal{id, "x", {"patient"}}; }

  ManualClock clock_{1'794'961'560'000};
  std::unique_ptr<store::Database> db_;
  std::int64_t alice_ = 0, bob_ = 0;
};

TEST_P(NotificationsStoreTest, SentInTheCallersTransactionAndListedNewestFirstToTheAddresseeOnly) {
  NotificationService svc(*db_, clock_);
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    Message m = Cancelled();
    m.user_id = alice_;
    if (auto id = Send(tx, m, 1000); !id) return id.error();
    m.kind = "nat_result";
    if (auto id = Send(tx, m, 2000); !id) return id.error();
    return {};
  }));
  auto mine = svc.Mine(As(alice_));
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].kind, "nat_result");
  EXPECT_EQ((*mine)[0].created_at, 2000);
  EXPECT_EQ((*mine)[1].title_zh, "预约已取消");
  EXPECT_EQ((*mine)[1].body_en, "Body");
  EXPECT_FALSE((*mine)[1].appointment_id);
  EXPECT_FALSE((*mine)[1].read_at);
  EXPECT_TRUE(svc.Mine(As(bob_))->empty());
}

TEST_P(NotificationsStoreTest, ARolledBackChangeLeavesNoNotification) {
  NotificationService svc(*db_, clock_);
  auto st = db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    Message m = Cancelled();
    m.user_id = alice_;
    if (auto id = Send(tx, m, 1000); !id) return id.error();
    return MakeError(Errc::conflict, "slot_full");  // the change it reported failed
  });
  EXPECT_FALSE(st);
  EXPECT_TRUE(svc.Mine(As(alice_))->empty());
}

TEST_P(NotificationsStoreTest, SendToEachWritesOnePerDistinctUser) {
  NotificationService svc(*db_, clock_);
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) {
    return SendToEach(tx, {alice_, bob_, alice_}, Cancelled(), 1000);
  }));
  EXPECT_EQ(svc.Mine(As(alice_))->size(), 1u);
  EXPECT_EQ(svc.Mine(As(bob_))->size(), 1u);
}

TEST_P(NotificationsStoreTest, MarkReadKeepsTheFirstTimeAndIsNotFoundForOthers) {
  NotificationService svc(*db_, clock_);
  ASSERT_TRUE(
      db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return SendToEach(tx, {alice_}, Cancelled(), 1000); }));
  const std::int64_t id = svc.Mine(As(alice_))->front().id;
  auto other = svc.MarkRead(As(bob_), id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().errc, Errc::not_found);
  ASSERT_TRUE(svc.MarkRead(As(alice_), id));
  const std::int64_t first = clock_.NowMs();
  clock_.Advance(60'000);
  ASSERT_TRUE(svc.MarkRead(As(alice_), id));  // idempotent
  EXPECT_EQ(svc.Mine(As(alice_))->front().read_at, first);
  EXPECT_EQ(svc.MarkRead(As(alice_), id + 1000).error().errc, Errc::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::notifications
