// Scheduling storage and materialisation, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "domain/scheduling/hooks.hpp"
#include "domain/scheduling/repository.hpp"
#include "domain/scheduling/rules.hpp"
#include "domain/scheduling/service.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::scheduling {
namespace {

class SchedulingStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 8);
    now_ = 1'794'961'560'000;  // 2026-11-18 (a Wednesday) 08:26 CST
    doctor_user_ = testing::InsertPatients(*db_, 1, "doctor", now_).front().id;
    pid_ = testing::InsertPractitioner(*db_, doctor_user_).practitioner_id;
  }
  PractitionerInfo Info() {
    return *db_->With<PractitionerInfo>(store::TxMode::read, [&](store::Tx& tx) -> Result<PractitionerInfo> {
      auto p = repo::FindPractitioner(tx, pid_);
      if (!p) return p.error();
      return **p;
    });
  }
  Status SetTemplate(const std::vector<TemplatePeriod>& periods, int days = 14) {
    return db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      if (auto st = repo::ReplaceTemplate(tx, pid_, periods); !st) return st;
      return Materialise(tx, Info(), now_, days);
    });
  }
  std::vector<Slot> AllSlots() {
    return *db_->With<std::vector<Slot>>(store::TxMode::read,
                                         [&](store::Tx& tx) { return repo::SlotsBetween(tx, pid_, 0, INT64_MAX); });
  }
  std::unique_ptr<store::Database> db_;
  std::int64_t now_ = 0;
  std::int64_t doctor_user_ = 0;
  std::int64_t pid_ = 0;
};

std::vector<TemplatePeriod> Daily(int start, int end, const char* service, int capacity) {
  std::vector<TemplatePeriod> out;
  for (int wd = 1; wd <= 7; ++wd) out.push_back({wd, start, end, service, capacity, 0, false});
  return out;
}

TEST_P(SchedulingStoreTest, MaterialisationIsIdempotentAndSkipsThePast) {
  ASSERT_TRUE(SetTemplate(Daily(8 * 60, 12 * 60, "text", 10)));
  auto first = AllSlots();
  // Today 08:00 has started (now is 08:26 CST): 13 future days remain, today's is not made.
  ASSERT_EQ(first.size(), 13u);
  EXPECT_EQ(first.front().date, "2026-11-19");
  EXPECT_EQ(first.front().price_fen, 2500);
  ASSERT_TRUE(SetTemplate(Daily(8 * 60, 12 * 60, "text", 10)));
  auto second = AllSlots();
  ASSERT_EQ(second.size(), first.size());
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].id, second[i].id);
  // A change of capacity updates the same rows; a new time replaces rows without bookings.
  ASSERT_TRUE(SetTemplate(Daily(8 * 60, 12 * 60, "text", 30)));
  EXPECT_EQ(AllSlots().front().capacity, 30);
  EXPECT_EQ(AllSlots().front().id, first.front().id);
  ASSERT_TRUE(SetTemplate(Daily(14 * 60, 17 * 60, "text", 30)));
  auto moved = AllSlots();
  ASSERT_EQ(moved.size(), 14u) << "today's afternoon is still ahead";
  EXPECT_EQ(CstTimeOfDay(moved.front().start_at), "14:00");
}

TEST_P(SchedulingStoreTest, ConditionalUpdateNeverOverfillsUnderConcurrency) {
  ASSERT_TRUE(SetTemplate(Daily(9 * 60, 10 * 60, "video", 25)));
  const auto slot = AllSlots().front().id;
  std::atomic<int> taken{0}, refused{0};
  std::vector<std::thread> ts;
  std::mutex mu;
  std::set<std::int64_t> numbers;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = db_->With<std::optional<Slot>>(store::TxMode::write,
                                                [&](store::Tx& tx) { return repo::TakePlace(tx, slot); });
        ASSERT_TRUE(r);
        if (*r) {
          ++taken;
          std::lock_guard lock(mu);
          numbers.insert((*r)->issued);
        } else {
          ++refused;
        }
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(taken.load(), 25);
  EXPECT_EQ(refused.load(), 8 * 25 - 25);
  EXPECT_EQ(numbers.size(), 25u);
  EXPECT_EQ(AllSlots().front().booked, 25);
}

TEST_P(SchedulingStoreTest, SuspensionHookClosesSlotsAndReopenRestoresThem) {
  ASSERT_TRUE(SetTemplate(Daily(9 * 60, 10 * 60, "phone", 5)));
  auto patient = testing::InsertPatients(*db_, 1, "patient", now_).front().id;
  const auto slot = AllSlots().front();
  auto st = db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto place = repo::TakePlace(tx, slot.id);
    if (!place) return place.error();
    auto id = repo::InsertAppointment(tx, NewAppointment{slot.id, pid_, patient, patient, slot.service, slot.start_at,
                                                         slot.end_at, (*place)->issued, slot.price_fen, now_});
    if (!id) return id.error();
    return {};
  });
  ASSERT_TRUE(st);
  auto n = db_->With<int>(store::TxMode::write, [&](store::Tx& tx) -> Result<int> {
    if (auto r = tx.Exec("UPDATE practitioners SET status = 'suspended' WHERE id = $1", {pid_}); !r) return r.error();
    return CancelFutureAppointments(tx, pid_, "practitioner_suspended", now_);
  });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  for (const auto& s : AllSlots()) EXPECT_EQ(s.status, "closed");
  EXPECT_EQ(AllSlots().front().booked, 0);
  // The daily roll skips a suspended practitioner and does not reopen anything.
  ManualClock clock(now_);
  accounts::AccountService accounts(*db_, clock, {.password_profile = crypto::PasswordProfile::test});
  SchedulingService svc(*db_, clock, accounts, {});
  auto rolled = svc.RollSlots();
  ASSERT_TRUE(rolled);
  EXPECT_EQ(*rolled, 0);
  for (const auto& s : AllSlots()) EXPECT_EQ(s.status, "closed");

  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto r = tx.Exec("UPDATE practitioners SET status = 'active' WHERE id = $1", {pid_}); !r) return r.error();
    return ReopenFutureSlots(tx, pid_, now_);
  }));
  for (const auto& s : AllSlots()) EXPECT_EQ(s.status, "open");
  EXPECT_EQ(*svc.RollSlots(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulingStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::scheduling
