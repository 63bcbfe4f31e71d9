// Nucleic-acid test storage (domain/nattest/repository) on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "domain/nattest/repository.hpp"
#include "domain/nattest/rules.hpp"
#include "domain/notifications/service.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::nattest {
namespace {

using store::Tx;
using store::TxMode;

class NatTestStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    auto people = testing::InsertPatients(*db_, 3, "nat", kNow);
    patient_ = people[0].id;
    other_ = people[1].id;
    nurse_ = people[2].id;
  }
  // Runs `f` in a write transaction; a failure fails the test.
  template <class T, class F>
  T Run(F&& f) {
    auto r = db_->With<T>(TxMode::write, std::forward<F>(f));
    EXPECT_TRUE(r) << (r ? "" : r.error().code + " " + r.error().detail);
    return r ? std::move(*r) : T{};
  }
  std::int64_t AddSite(const std::string& region, const std::string& name = "Site") {
    return Run<std::int64_t>([&](Tx& tx) {
      return repo::InsertSite(tx, {name, "sampling_point", region, "addr " + name, "8-12"}, patient_, kNow, false);
    });
  }
  std::int64_t AddSlot(std::int64_t site, int start_minute, std::int64_t capacity) {
    Run<bool>([&](Tx& tx) {
      return repo::InsertSlotIfAbsent(tx, site, kToday, CstMs(kToday, start_minute), CstMs(kToday, start_minute + 60),
                                      capacity);
    });
    auto slots = Run<std::vector<Slot>>([&](Tx& tx) { return repo::SlotsOn(tx, site, kToday); });
    for (const auto& s : slots)
      if (s.start_at == CstMs(kToday, start_minute)) return s.id;
    ADD_FAILURE() << "slot not found";
    return 0;
  }
  std::int64_t AddHomeBooking(std::int64_t patient, const std::string& region, int start_minute) {
    NewBooking b;
    b.patient_id = patient;
    b.booked_by = patient;
    b.mode = "home";
    b.region_code = region;
    b.address = "home of " + std::to_string(patient);
    b.date = kToday;
    b.window_start = CstMs(kToday, start_minute);
    b.window_end = CstMs(kToday, start_minute + 60);
    b.created_at = kNow;
    return Run<std::int64_t>([&](Tx& tx) { return repo::InsertBooking(tx, b); });
  }
  Booking Find(std::int64_t id) {
    auto b = Run<std::optional<Booking>>([&](Tx& tx) { return repo::FindBooking(tx, id); });
    EXPECT_TRUE(b.has_value());
    return b.value_or(Booking{});
  }

  static constexpr std::int64_t kNow = 1'794'961'560'000;  // 2026-11-18 08:26 CST
  static constexpr const char* kToday = "2026-11-18";
  std::unique_ptr<store::Database> db_;
  std::int64_t patient_ = 0, other_ = 0, nurse_ = 0;
};

TEST_P(NatTestStoreTest, SitesUnderARegionWithTheirFreePlaces) {
  const auto dongcheng = AddSite("110101", "A");
  const auto chaoyang = AddSite("110105", "B");
  const auto xuhui = AddSite("310104", "C");
  AddSlot(dongcheng, 9 * 60, 30);
  AddSlot(dongcheng, 10 * 60, 20);
  AddSlot(dongcheng, 7 * 60, 99);  // ended before now: not counted
  auto all = Run<std::vector<Site>>([&](Tx& tx) { return repo::ActiveSites(tx, "", kNow, "2026-12-02"); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, dongcheng);
  EXPECT_EQ(all[0].free_places, 50);
  EXPECT_EQ(all[0].name, "A");
  EXPECT_EQ(all[0].kind, "sampling_point");
  EXPECT_EQ(all[0].opening_hours, "8-12");
  EXPECT_FALSE(all[0].demo);
  EXPECT_EQ(all[2].id, xuhui);
  auto beijing = Run<std::vector<Site>>([&](Tx& tx) { return repo::ActiveSites(tx, "11", kNow, "2026-12-02"); });
  ASSERT_EQ(beijing.size(), 2u);
  EXPECT_EQ(beijing[1].id, chaoyang);
  auto county = Run<std::vector<Site>>([&](Tx& tx) { return repo::ActiveSites(tx, "110105", kNow, "2026-12-02"); });
  ASSERT_EQ(county.size(), 1u);
  // The horizon: slots on or after before_date are not counted.
  auto none = Run<std::vector<Site>>([&](Tx& tx) { return repo::ActiveSites(tx, "110101", kNow, kToday); });
  EXPECT_EQ(none.at(0).free_places, 0);
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::SiteIsActive(tx, dongcheng); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::SiteIsActive(tx, xuhui + 100); }));
  EXPECT_TRUE(Run<std::vector<std::int64_t>>([&](Tx& tx) { return repo::DemoSiteIds(tx); }).empty());
  Run<std::int64_t>([&](Tx& tx) { return repo::InsertSite(tx, {"D", "hospital", "110101", "x", ""}, {}, kNow, true); });
  EXPECT_EQ(Run<std::vector<std::int64_t>>([&](Tx& tx) { return repo::DemoSiteIds(tx); }).size(), 1u);
}

TEST_P(NatTestStoreTest, SlotsAreAddedOnceAndNeverOverfilled) {
  const auto site = AddSite("110101");
  const auto slot = AddSlot(site, 9 * 60, 2);
  // The same start again is kept as it is (capacity unchanged).
  EXPECT_FALSE(Run<bool>([&](Tx& tx) {
    return repo::InsertSlotIfAbsent(tx, site, kToday, CstMs(kToday, 9 * 60), CstMs(kToday, 10 * 60), 50);
  }));
  auto found = Run<std::optional<Slot>>([&](Tx& tx) { return repo::FindOpenSlot(tx, slot); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->capacity, 2);
  EXPECT_EQ(found->site_id, site);
  EXPECT_EQ(found->date, kToday);
  EXPECT_EQ(found->end_at - found->start_at, 3'600'000);
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::TakePlace(tx, slot); }));
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::TakePlace(tx, slot); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::TakePlace(tx, slot); })) << "full";
  ASSERT_TRUE(db_->Transact(TxMode::write, [&](Tx& tx) { return repo::ReleasePlace(tx, slot); }));
  EXPECT_EQ(Run<std::vector<Slot>>([&](Tx& tx) { return repo::SlotsOn(tx, site, kToday); }).at(0).booked, 1);
  EXPECT_TRUE(Run<std::vector<Slot>>([&](Tx& tx) { return repo::SlotsOn(tx, site, "2026-11-19"); }).empty());
  EXPECT_FALSE(Run<std::optional<Slot>>([&](Tx& tx) { return repo::FindOpenSlot(tx, slot + 100); }));
}

TEST_P(NatTestStoreTest, ASiteBookingRoundTripsWithItsSampleNumber) {
  const auto site = AddSite("110101", "Site A");
  const auto slot = AddSlot(site, 9 * 60, 5);
  NewBooking nb;
  nb.patient_id = patient_;
  nb.booked_by = other_;
  nb.mode = "site";
  nb.site_id = site;
  nb.slot_id = slot;
  nb.date = kToday;
  nb.window_start = CstMs(kToday, 9 * 60);
  nb.window_end = CstMs(kToday, 10 * 60);
  nb.created_at = kNow;
  const auto id = Run<std::int64_t>([&](Tx& tx) { return repo::InsertBooking(tx, nb); });
  const std::string sample = SampleNumber(kToday, id);
  ASSERT_TRUE(db_->Transact(TxMode::write, [&](Tx& tx) { return repo::SetSampleNumber(tx, id, sample); }));
  Booking b = Find(id);
  EXPECT_EQ(b.patient_id, patient_);
  EXPECT_EQ(b.booked_by, other_);
  EXPECT_FALSE(b.patient_name.empty());
  EXPECT_EQ(b.mode, "site");
  EXPECT_EQ(b.site_id, site);
  EXPECT_EQ(b.site_name, "Site A");
  EXPECT_EQ(b.site_address, "addr Site A");
  EXPECT_EQ(b.slot_id, slot);
  EXPECT_FALSE(b.region_code);
  EXPECT_EQ(b.address, "");
  EXPECT_EQ(b.date, kToday);
  EXPECT_EQ(b.window_start, nb.window_start);
  EXPECT_EQ(b.status, "booked");
  EXPECT_EQ(b.sample_no, sample);
  EXPECT_FALSE(b.accepted_at || b.accepted_by || b.collected_at || b.result || b.reported_at || b.cancelled_at ||
               b.cancelled_by);
  EXPECT_EQ(b.created_at, kNow);
  auto by_sample = Run<std::optional<Booking>>([&](Tx& tx) { return repo::FindBookingBySample(tx, sample); });
  ASSERT_TRUE(by_sample);
  EXPECT_EQ(by_sample->id, id);
  EXPECT_FALSE(Run<std::optional<Booking>>([&](Tx& tx) { return repo::FindBookingBySample(tx, "N0"); }));
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::HasLiveBookingOn(tx, patient_, kToday); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::HasLiveBookingOn(tx, patient_, "2026-11-19"); }));
  // Listed for the patient and for the one who booked; not for anyone else.
  EXPECT_EQ(Run<std::vector<Booking>>([&](Tx& tx) { return repo::BookingsOfUser(tx, patient_, 100); }).size(), 1u);
  EXPECT_EQ(Run<std::vector<Booking>>([&](Tx& tx) { return repo::BookingsOfUser(tx, other_, 100); }).size(), 1u);
  EXPECT_TRUE(Run<std::vector<Booking>>([&](Tx& tx) { return repo::BookingsOfUser(tx, nurse_, 100); }).empty());
  // Cancelled once; a second cancellation changes nothing; then the day is free again.
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::CancelBooking(tx, id, "changed plans", kNow + 1); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::CancelBooking(tx, id, "again", kNow + 2); }));
  b = Find(id);
  EXPECT_EQ(b.status, "cancelled");
  EXPECT_EQ(b.cancelled_by, "patient");
  EXPECT_EQ(b.cancel_reason, "changed plans");
  EXPECT_EQ(b.cancelled_at, kNow + 1);
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::HasLiveBookingOn(tx, patient_, kToday); }));
}

TEST_P(NatTestStoreTest, HomeVisitsAreAcceptedOnceCollectedAndListed) {
  const auto mine = AddHomeBooking(patient_, "110101", 10 * 60);
  const auto shanghai = AddHomeBooking(other_, "310104", 11 * 60);
  auto beijing = Run<std::vector<Booking>>([&](Tx& tx) { return repo::HomeVisitsFor(tx, kNow, "11", nurse_, 200); });
  ASSERT_EQ(beijing.size(), 1u);
  EXPECT_EQ(beijing[0].id, mine);
  EXPECT_EQ(beijing[0].region_code, "110101");
  EXPECT_EQ(beijing[0].address, "home of " + std::to_string(patient_));
  EXPECT_FALSE(beijing[0].site_id);
  EXPECT_EQ(Run<std::vector<Booking>>([&](Tx& tx) { return repo::HomeVisitsFor(tx, kNow, "", nurse_, 200); }).size(),
            2u);
  // A window that has ended is not offered.
  EXPECT_TRUE(Run<std::vector<Booking>>([&](Tx& tx) {
                return repo::HomeVisitsFor(tx, CstMs(kToday, 12 * 60), "", nurse_, 200);
              }).empty());

  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::AcceptHomeVisit(tx, mine, nurse_, kNow + 5); }));
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::AcceptHomeVisit(tx, mine, other_, kNow + 6); })) << "taken";
  Booking b = Find(mine);
  EXPECT_EQ(b.status, "accepted");
  EXPECT_EQ(b.accepted_by, nurse_);
  EXPECT_EQ(b.accepted_at, kNow + 5);
  // Accepted visits stay on the list of the one who accepted them, whatever the region.
  auto nurse_list = Run<std::vector<Booking>>([&](Tx& tx) { return repo::HomeVisitsFor(tx, kNow, "31", nurse_, 200); });
  ASSERT_EQ(nurse_list.size(), 2u);
  EXPECT_EQ(nurse_list[0].id, mine);
  EXPECT_EQ(nurse_list[1].id, shanghai);
  EXPECT_EQ(Run<std::vector<Booking>>([&](Tx& tx) { return repo::HomeVisitsFor(tx, kNow, "11", other_, 200); }).size(),
            0u);

  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::MarkCollected(tx, mine, "booked", nurse_, kNow + 7); }));
  EXPECT_TRUE(Run<bool>([&](Tx& tx) { return repo::MarkCollected(tx, mine, "accepted", nurse_, kNow + 8); }));
  b = Find(mine);
  EXPECT_EQ(b.status, "collected");
  EXPECT_EQ(b.collected_at, kNow + 8);
  auto pending = Run<std::vector<Booking>>([&](Tx& tx) { return repo::CollectedSamples(tx, 200); });
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, mine);
  // A result needs a collected sample: the booked one is left as it is.
  EXPECT_FALSE(Run<bool>([&](Tx& tx) { return repo::RecordResult(tx, shanghai, "negative", nurse_, kNow, 1); }));
  EXPECT_EQ(Find(shanghai).status, "booked");
  EXPECT_FALSE(Find(shanghai).result);
}

TEST_P(NatTestStoreTest, NotificationsGoToTheUser) {
  const auto id = Run<std::int64_t>([&](Tx& tx) {
    return notifications::Send(
        tx, notifications::Message{patient_, "nat_result", "标题", "Title", "正文", "Body", std::nullopt}, kNow);
  });
  EXPECT_GT(id, 0);
  auto rows = Run<store::Rows>([&](Tx& tx) {
    return tx.Query(
        "SELECT user_id, kind, title_en, body_zh, created_at, appointment_id FROM notifications WHERE id = $1", {id});
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), patient_);
  EXPECT_EQ(rows[0].Text(1), "nat_result");
  EXPECT_EQ(rows[0].Text(2), "Title");
  EXPECT_EQ(rows[0].Text(3), "正文");
  EXPECT_EQ(rows[0].Int(4), kNow);
  EXPECT_TRUE(rows[0].IsNull(5));
}

INSTANTIATE_TEST_SUITE_P(Backends, NatTestStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::nattest
