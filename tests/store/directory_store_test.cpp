// The directory's storage (hospitals, uploads, applications, practitioners and the doctor
// search), on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/crypto.hpp"
#include "domain/directory/repository.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::directory {
namespace {

constexpr std::int64_t kNow = 1'794'961'560'000;  // 2026-11-18 08:26 CST
constexpr const char* kToday = "2026-11-18";

class DirectoryStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    admin_ = testing::InsertPatients(*db_, 1, "admin", 1).front().id;
  }
  template <class T, class F>
  T Must(store::TxMode mode, F&& f) {
    auto r = db_->With<T>(mode, std::forward<F>(f));
    EXPECT_TRUE(r) << (r ? "" : r.error().code + " " + r.error().detail);
    return r ? std::move(*r) : T{};
  }
  std::int64_t Hospital(const std::string& name, std::vector<std::string> departments) {
    return Must<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) {
      return repo::InsertHospital(tx, {name, "3A", "北京市东城区", "110101", "LIC-" + name, 2500, departments}, admin_,
                                  10);
    });
  }
  std::int64_t User(const std::string& name) {
    const auto id = testing::InsertPatients(*db_, 1, "u" + std::to_string(++seq_), 1).front().id;
    Must<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) {
      return tx.Exec("UPDATE users SET real_name = $2 WHERE id = $1", {id, name});
    });
    return id;
  }
  std::int64_t Upload(std::int64_t owner, const std::string& bytes) {
    return Must<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) {
      return repo::InsertUpload(tx, owner, crypto::Sha256Hex(bytes), "image/png", bytes, "证书.png", 20);
    });
  }
  ApplicationInput Input(std::int64_t hospital, std::int64_t upload, const std::string& licence) {
    return {hospital,
            "respiratory",
            "chief_physician",
            "内科专业",
            licence,
            12,
            "从事呼吸内科二十年",
            "哮喘, 慢阻肺",
            true,
            upload,
            upload,
            upload,
            upload,
            upload};
  }
  // An approved practitioner of `hospital` in respiratory, with `search_text`.
  std::int64_t Doctor(std::int64_t hospital, const std::string& name, const std::string& title,
                      const std::string& expires, const std::string& search_text) {
    const auto user = User(name);
    const auto up = Upload(user, "x");
    auto in = Input(hospital, up, "LN-" + name);
    in.title = title;
    in.photo_upload.reset();
    return Must<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto app = repo::InsertApplication(tx, user, in, 30);
      if (!app) return app.error();
      if (auto ok = repo::ReviewApplication(tx, *app, "approved", "", admin_, 40); !ok) return ok.error();
      auto a = repo::FindApplication(tx, *app);
      if (!a) return a.error();
      return repo::InsertPractitioner(tx, **a, expires, search_text, 50);
    });
  }
  std::int64_t Slot(std::int64_t practitioner, const std::string& service, std::int64_t start, int capacity) {
    return Must<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto r = tx.Query(
          "INSERT INTO slots (practitioner_id, on_date, service, start_at, end_at, capacity, price_fen) "
          "VALUES ($1, $2, $3, $4, $5, $6, 2500) RETURNING id",
          {practitioner, kToday, service, start, start + 1800'000, std::int64_t{capacity}});
      if (!r) return r.error();
      return r->front().Int(0);
    });
  }

  std::unique_ptr<store::Database> db_;
  std::int64_t admin_ = 0;
  int seq_ = 0;
};

TEST_P(DirectoryStoreTest, HospitalsReadBackWithTheirDepartmentsAndADuplicateUndoesTheTransaction) {
  const auto h = Hospital("北京协和医院", {"respiratory", "general_practice", "respiratory"});
  auto got = Must<std::optional<directory::Hospital>>(store::TxMode::read,
                                                      [&](store::Tx& tx) { return repo::FindHospital(tx, h); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, h);
  EXPECT_EQ(got->name, "北京协和医院");
  EXPECT_EQ(got->grade, "3A");
  EXPECT_EQ(got->address, "北京市东城区");
  EXPECT_EQ(got->region_code, "110101");
  EXPECT_EQ(got->licence_number, "LIC-北京协和医院");
  EXPECT_EQ(got->general_price_fen, 2500);
  EXPECT_EQ(got->created_at, 10);
  EXPECT_EQ(got->departments, (std::vector<std::string>{"general_practice", "respiratory"}))
      << "catalogue order, each once";

  // The second hospital is valid, the third reuses the first's licence: neither stays.
  auto dup = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    auto ok = repo::InsertHospital(tx, {"安贞医院", "3A", "x", "110105", "LIC-AZ", 0, {"cardiology"}}, admin_, 11);
    if (!ok) return ok.error();
    return repo::InsertHospital(tx, {"另一家", "2A", "x", "110105", "LIC-北京协和医院", 0, {}}, admin_, 12);
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().errc, Errc::conflict);
  EXPECT_EQ(dup.error().code, "unique_violation");
  auto all =
      Must<std::vector<directory::Hospital>>(store::TxMode::read, [](store::Tx& tx) { return repo::Hospitals(tx); });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].departments, got->departments);
  EXPECT_TRUE(Must<bool>(store::TxMode::read,
                         [](store::Tx& tx) { return repo::HospitalExists(tx, "别的名字", "LIC-北京协和医院"); }));
  EXPECT_FALSE(
      Must<bool>(store::TxMode::read, [](store::Tx& tx) { return repo::HospitalExists(tx, "安贞医院", "LIC-AZ"); }));

  // Departments: only those the hospital runs, with its active, licence-valid doctors counted.
  Doctor(h, "张医生", "chief_physician", "2099-12-31", "");
  Doctor(h, "过期医生", "chief_physician", "2026-11-17", "");
  auto mine = Must<std::vector<Department>>(store::TxMode::read,
                                            [&](store::Tx& tx) { return repo::Departments(tx, h, kToday); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].code, "general_practice");
  EXPECT_EQ(mine[0].doctor_count, 0);
  EXPECT_EQ(mine[1].code, "respiratory");
  EXPECT_EQ(mine[1].name_zh, "呼吸内科");
  EXPECT_EQ(mine[1].name_en, "Respiratory Medicine");
  EXPECT_EQ(mine[1].doctor_count, 1);
  EXPECT_TRUE(
      Must<bool>(store::TxMode::read, [&](store::Tx& tx) { return repo::DepartmentInUse(tx, h, "respiratory"); }));
  EXPECT_FALSE(
      Must<bool>(store::TxMode::read, [&](store::Tx& tx) { return repo::DepartmentInUse(tx, h, "general_practice"); }));
  auto psych = Must<std::optional<Department>>(store::TxMode::read,
                                               [](store::Tx& tx) { return repo::FindDepartment(tx, "psychology"); });
  ASSERT_TRUE(psych.has_value());
  EXPECT_TRUE(psych->counselling);
}

TEST_P(DirectoryStoreTest, SameBytesAreStoredOnceAndReadBackExactly) {
  const auto alice = User("艾丽斯");
  const auto bob = User("鲍勃");
  const std::string bytes("\x89PNG\r\n\x1a\n\0\xff\xfe end", 15);
  const auto a = Upload(alice, bytes);
  const auto b = Upload(bob, bytes);
  EXPECT_NE(a, b) << "two people uploading the same bytes get two uploads";
  auto meta =
      Must<std::optional<FileMeta>>(store::TxMode::read, [&](store::Tx& tx) { return repo::FindUpload(tx, b); });
  ASSERT_TRUE(meta.has_value());
  EXPECT_EQ(meta->id, b);
  EXPECT_EQ(meta->owner_id, bob);
  EXPECT_EQ(meta->sha256.size(), 64u);
  EXPECT_EQ(meta->content_type, "image/png");
  EXPECT_EQ(meta->size, 15);
  EXPECT_EQ(meta->file_name, "证书.png");
  EXPECT_EQ(meta->created_at, 20);
  EXPECT_EQ(Must<std::string>(store::TxMode::read, [&](store::Tx& tx) { return repo::ReadBlob(tx, meta->sha256); }),
            bytes);
  EXPECT_EQ(Must<std::int64_t>(store::TxMode::read,
                               [](store::Tx& tx) -> Result<std::int64_t> {
                                 auto r = tx.Query("SELECT COUNT(*) FROM blobs");
                                 if (!r) return r.error();
                                 return r->front().Int(0);
                               }),
            1);
  auto missing = db_->With<std::string>(store::TxMode::read,
                                        [](store::Tx& tx) { return repo::ReadBlob(tx, std::string(64, 'c')); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().errc, Errc::not_found);
  EXPECT_FALSE(
      Must<std::optional<FileMeta>>(store::TxMode::read, [](store::Tx& tx) { return repo::FindUpload(tx, 999'999); }));
}

TEST_P(DirectoryStoreTest, ApplicationsReadBackAndOnlyOneReviewerWins) {
  const auto h = Hospital("北京协和医院", {"respiratory"});
  const auto user = User("王医生");
  const auto up = Upload(user, "licence");
  const auto in = Input(h, up, "110123456789");
  const auto id = Must<std::int64_t>(store::TxMode::write,
                                     [&](store::Tx& tx) { return repo::InsertApplication(tx, user, in, 30); });
  auto a = Must<std::optional<Application>>(store::TxMode::read,
                                            [&](store::Tx& tx) { return repo::FindApplication(tx, id); });
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->id, id);
  EXPECT_EQ(a->user_id, user);
  EXPECT_EQ(a->user_name, "王医生");
  EXPECT_EQ(a->in.hospital_id, h);
  EXPECT_EQ(a->hospital_name, "北京协和医院");
  EXPECT_EQ(a->in.department_code, "respiratory");
  EXPECT_EQ(a->department.name_zh, "呼吸内科");
  EXPECT_FALSE(a->department.counselling);
  EXPECT_EQ(a->in.title, "chief_physician");
  EXPECT_EQ(a->in.practice_scope, "内科专业");
  EXPECT_EQ(a->in.licence_number, "110123456789");
  EXPECT_EQ(a->in.years_practice, 12);
  EXPECT_EQ(a->in.introduction, "从事呼吸内科二十年");
  EXPECT_EQ(a->in.specialties, "哮喘, 慢阻肺");
  EXPECT_TRUE(a->in.free_clinic);
  EXPECT_EQ(a->in.id_card_upload, up);
  EXPECT_EQ(a->in.title_upload, up);
  EXPECT_EQ(a->in.photo_upload, up);
  EXPECT_EQ(a->status, "pending");
  EXPECT_EQ(a->review_reason, "");
  EXPECT_FALSE(a->reviewed_at.has_value());
  EXPECT_EQ(a->created_at, 30);
  EXPECT_FALSE(a->practitioner_id.has_value());
  EXPECT_EQ(Must<std::optional<std::int64_t>>(store::TxMode::read,
                                              [&](store::Tx& tx) { return repo::ApplicationCitingUpload(tx, up); }),
            id);
  EXPECT_TRUE(Must<bool>(store::TxMode::read, [&](store::Tx& tx) { return repo::HasPendingApplication(tx, user); }));

  // One pending application per person, enforced by the table as well.
  auto second = db_->With<std::int64_t>(store::TxMode::write,
                                        [&](store::Tx& tx) { return repo::InsertApplication(tx, user, in, 31); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "unique_violation");

  // Two admins reviewing at once: exactly one moves it.
  std::atomic<int> moved{0}, refused{0}, ready{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      ++ready;
      while (ready.load() < 4) std::this_thread::yield();
      auto r = db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) {
        return repo::ReviewApplication(tx, id, t % 2 ? "approved" : "rejected", "理由" + std::to_string(t), admin_,
                                       40 + t);
      });
      if (r && *r) ++moved;
      if (r && !*r) ++refused;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(moved.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  auto reviewed = Must<std::optional<Application>>(store::TxMode::read,
                                                   [&](store::Tx& tx) { return repo::FindApplication(tx, id); });
  EXPECT_NE(reviewed->status, "pending");
  EXPECT_TRUE(reviewed->reviewed_at.has_value());
  EXPECT_EQ(reviewed->review_reason.substr(0, 6), "理由");
  EXPECT_FALSE(Must<bool>(store::TxMode::read, [&](store::Tx& tx) { return repo::HasPendingApplication(tx, user); }));

  // Lists: by status oldest first, one user's newest first.
  const auto again = Must<std::int64_t>(store::TxMode::write,
                                        [&](store::Tx& tx) { return repo::InsertApplication(tx, user, in, 60); });
  auto pending = Must<std::vector<Application>>(
      store::TxMode::read, [](store::Tx& tx) { return repo::ApplicationsByStatus(tx, "pending", 10); });
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, again);
  auto everything = Must<std::vector<Application>>(
      store::TxMode::read, [](store::Tx& tx) { return repo::ApplicationsByStatus(tx, "", 10); });
  ASSERT_EQ(everything.size(), 2u);
  EXPECT_EQ(everything[0].id, id);
  auto mine = Must<std::vector<Application>>(store::TxMode::read,
                                             [&](store::Tx& tx) { return repo::ApplicationsOfUser(tx, user); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, again);
}

TEST_P(DirectoryStoreTest, DoctorSearchFiltersSortsAndPagesWithoutGapsOrRepeats) {
  const auto h1 = Hospital("协和", {"respiratory"});
  const auto h2 = Hospital("安贞", {"respiratory"});
  const auto chief = Doctor(h1, "钱主任", "chief_physician", "2099-12-31", "钱主任 协和 哮喘");
  const auto assoc = Doctor(h2, "孙副主任", "associate_chief_physician", "2099-12-31", "孙副主任 安贞 慢阻肺");
  const auto attending = Doctor(h1, "李主治", "attending_physician", "2099-12-31", "李主治 协和 100%_done");
  const auto resident = Doctor(h2, "周住院", "resident_physician", "2099-12-31", "周住院 安贞");
  const auto expired = Doctor(h1, "吴过期", "chief_physician", "2026-11-17", "吴过期");
  const auto suspended = Doctor(h1, "郑停诊", "chief_physician", "2099-12-31", "郑停诊");
  ASSERT_TRUE(*db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) {
    return repo::SetPractitionerStatus(tx, suspended, "suspended", "投诉核查", 70);
  }));
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    for (int stars : {5, 4})  // attending 4.5
      if (auto st = repo::AddRating(tx, attending, stars); !st) return st;
    for (int stars : {5, 5, 3})  // resident 4.33
      if (auto st = repo::AddRating(tx, resident, stars); !st) return st;
    return repo::AddRating(tx, chief, 2);
  }));
  Slot(assoc, "video", kNow + 3600'000, 5);
  const auto full = Slot(chief, "text", kNow + 1800'000, 0);  // full: not a next free slot
  (void)full;
  const auto chief_slot = Slot(chief, "phone", kNow + 7200'000, 3);
  Slot(chief, "phone", kNow - 3600'000, 3);  // past

  auto page = [&](DoctorQuery q) {
    auto r =
        Must<DoctorPage>(store::TxMode::read, [&](store::Tx& tx) { return repo::SearchDoctors(tx, q, kToday, kNow); });
    std::vector<std::int64_t> ids;
    for (const auto& d : r.items) ids.push_back(d.id);
    return std::make_pair(ids, r.total);
  };
  DoctorQuery q;
  q.sort = "rating";
  EXPECT_EQ(page(q).first, (std::vector<std::int64_t>{attending, resident, chief, assoc}));
  EXPECT_EQ(page(q).second, 4) << "expired and suspended doctors are not listed";
  q.sort = "title";
  EXPECT_EQ(page(q).first, (std::vector<std::int64_t>{chief, assoc, attending, resident}));
  q.sort = "soonest";
  EXPECT_EQ(page(q).first, (std::vector<std::int64_t>{assoc, chief, attending, resident}));

  // Pages of two: every doctor once, the total on each page.
  q.sort = "rating";
  q.limit = 2;
  std::vector<std::int64_t> seen;
  for (q.offset = 0; q.offset < 6; q.offset += 2) {
    auto [ids, total] = page(q);
    EXPECT_EQ(total, 4);
    seen.insert(seen.end(), ids.begin(), ids.end());
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{attending, resident, chief, assoc}));

  DoctorQuery f;
  f.hospital_id = h2;
  EXPECT_EQ(page(f), std::make_pair(std::vector<std::int64_t>{assoc, resident}, std::int64_t{2}));
  f = {};
  f.title = "chief_physician";
  EXPECT_EQ(page(f).first, std::vector<std::int64_t>{chief});
  f = {};
  f.q = "哮喘";
  EXPECT_EQ(page(f).first, std::vector<std::int64_t>{chief});
  f.q = "0%_";
  EXPECT_EQ(page(f).first, std::vector<std::int64_t>{attending}) << "wildcards are literal";
  f.q = "%";
  EXPECT_EQ(page(f).first, std::vector<std::int64_t>{attending});
  f = {};
  f.free_clinic = false;
  EXPECT_EQ(page(f).second, 0) << "every doctor here volunteers";

  // The doctor as patients see them: every column, and the next bookable slot.
  auto d = Must<std::optional<directory::Doctor>>(store::TxMode::read,
                                                  [&](store::Tx& tx) { return repo::FindDoctor(tx, chief, kNow); });
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->name, "钱主任");
  EXPECT_EQ(d->title, "chief_physician");
  EXPECT_EQ(d->hospital_id, h1);
  EXPECT_EQ(d->hospital_name, "协和");
  EXPECT_EQ(d->hospital_grade, "3A");
  EXPECT_EQ(d->department.code, "respiratory");
  EXPECT_EQ(d->department.name_en, "Respiratory Medicine");
  EXPECT_EQ(d->practice_scope, "内科专业");
  EXPECT_EQ(d->licence_number, "LN-钱主任");
  EXPECT_EQ(d->licence_expires_on, "2099-12-31");
  EXPECT_EQ(d->years_practice, 12);
  EXPECT_EQ(d->introduction, "从事呼吸内科二十年");
  EXPECT_EQ(d->specialties, "哮喘, 慢阻肺");
  EXPECT_TRUE(d->free_clinic);
  EXPECT_FALSE(d->has_photo);
  EXPECT_EQ(d->rating_sum, 2);
  EXPECT_EQ(d->rating_count, 1);
  EXPECT_EQ(d->status, "active");
  ASSERT_TRUE(d->next_free.has_value());
  EXPECT_EQ(d->next_free->slot_id, chief_slot);
  EXPECT_EQ(d->next_free->service, "phone");
  EXPECT_EQ(d->next_free->start_at, kNow + 7200'000);
  EXPECT_EQ(d->next_free->price_fen, 2500);
  auto s = Must<std::optional<directory::Doctor>>(store::TxMode::read,
                                                  [&](store::Tx& tx) { return repo::FindDoctor(tx, suspended, kNow); });
  EXPECT_EQ(s->status, "suspended");
  EXPECT_EQ(s->status_reason, "投诉核查");
  EXPECT_FALSE(s->next_free.has_value());
  auto admin_list = Must<std::vector<directory::Doctor>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::AllPractitioners(tx, "", "", kNow); });
  EXPECT_EQ(admin_list.size(), 6u) << "the admin sees every practitioner";
  EXPECT_EQ(
      Must<std::int64_t>(store::TxMode::read,
                         [&](store::Tx& tx) { return repo::CountPractising(tx, "respiratory", kToday, 0, true); }),
      4);
  EXPECT_EQ(Must<std::optional<std::int64_t>>(
                store::TxMode::read, [&](store::Tx& tx) { return repo::PractitionerIdOfUser(tx, d->user_id); }),
            chief);
  EXPECT_TRUE(Must<bool>(store::TxMode::read, [](store::Tx& tx) { return repo::LicenceNumberTaken(tx, "LN-钱主任"); }));
  (void)expired;
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::directory
