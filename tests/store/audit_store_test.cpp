// The hash-chained audit log, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "domain/audit/audit.hpp"
#include "domain/audit/repository.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::audit {
namespace {

class AuditStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    const auto users = testing::InsertPatients(*db_, 2, "audit", 1);
    patient_ = users[0].id;
    doctor_ = users[1].id;
  }
  Status AppendOne(const Entry& e) {
    return db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return Append(tx, e); });
  }
  std::vector<repo::ChainRow> Chain() {
    return *db_->With<std::vector<repo::ChainRow>>(store::TxMode::read,
                                                   [&](store::Tx& tx) { return repo::RowsAfter(tx, 0, 1000); });
  }
  std::vector<AccessItem> For(std::int64_t patient, int limit, std::int64_t before) {
    return *db_->With<std::vector<AccessItem>>(
        store::TxMode::read, [&](store::Tx& tx) { return ListForPatient(tx, patient, limit, before); });
  }

  std::unique_ptr<store::Database> db_;
  std::int64_t patient_ = 0, doctor_ = 0;
};

TEST_P(AuditStoreTest, EveryColumnReadsBackAndTheChainLinksFromGenesis) {
  const Entry by_doctor{
      1000, doctor_, "doctor", "patient.read", patient_, "Patient", std::to_string(patient_), "问诊 \"复诊\"", "req-1"};
  const Entry by_system{2000, std::nullopt, "system", "slots.roll", std::nullopt, "Slot", "*", "", ""};
  ASSERT_TRUE(AppendOne(by_doctor));
  ASSERT_TRUE(AppendOne(by_system));
  auto rows = Chain();
  ASSERT_EQ(rows.size(), 2u);
  const Entry& e = rows[0].entry;
  EXPECT_EQ(e.at, 1000);
  EXPECT_EQ(e.actor_id, doctor_);
  EXPECT_EQ(e.actor_role, "doctor");
  EXPECT_EQ(e.action, "patient.read");
  EXPECT_EQ(e.patient_id, patient_);
  EXPECT_EQ(e.resource_type, "Patient");
  EXPECT_EQ(e.resource_id, std::to_string(patient_));
  EXPECT_EQ(e.reason, "问诊 \"复诊\"");
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_EQ(rows[0].prev_hash, kGenesisHash);
  EXPECT_EQ(rows[0].hash, ChainHash(kGenesisHash, by_doctor));
  EXPECT_FALSE(rows[1].entry.actor_id.has_value()) << "a system entry's NULL actor reads back as nullopt";
  EXPECT_FALSE(rows[1].entry.patient_id.has_value());
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  EXPECT_EQ(rows[1].hash, ChainHash(rows[0].hash, by_system));
  EXPECT_LT(rows[0].id, rows[1].id);

  auto report = Verify(*db_, rows[0].id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->rows_checked, 2);
  EXPECT_FALSE(report->first_broken_id.has_value()) << report->problem;
  EXPECT_EQ(report->head_id, rows[1].id);
  EXPECT_EQ(report->head_hash, rows[1].hash);
  EXPECT_EQ(report->hash_at, rows[0].hash);
}

TEST_P(AuditStoreTest, AChangedOrRemovedRowIsFoundByVerify) {
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(AppendOne({1000 + i, doctor_, "doctor", "patient.read", patient_, "Patient", "p", "", ""}));
  const auto rows = Chain();
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto r = tx.Exec("UPDATE audit_log SET reason = 'nothing to see' WHERE id = $1", {rows[2].id}); !r)
      return r.error();
    return {};
  }));
  auto changed = Verify(*db_);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->first_broken_id, rows[2].id);
  EXPECT_EQ(changed->rows_checked, 3);

  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto r = tx.Exec("UPDATE audit_log SET reason = '' WHERE id = $1", {rows[2].id}); !r) return r.error();
    if (auto r = tx.Exec("DELETE FROM audit_log WHERE id = $1", {rows[1].id}); !r) return r.error();
    return {};
  }));
  auto removed = Verify(*db_);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->first_broken_id, rows[2].id) << "the row after the gap no longer links";
}

TEST_P(AuditStoreTest, AccessLogIsThePatientsOwnNewestFirstInPages) {
  // A rolled-back write leaves no line and does not break the chain.
  auto failed = db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto st = Append(tx, {500, doctor_, "doctor", "patient.read", patient_, "Patient", "p", "x", ""}); !st)
      return st;
    return MakeError(Errc::conflict, "later_step_failed");
  });
  ASSERT_FALSE(failed);
  EXPECT_TRUE(Chain().empty());

  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(AppendOne(
        {1000 + i, doctor_, "doctor", "patient.read", patient_, "Patient", "p", "r" + std::to_string(i), ""}));
  ASSERT_TRUE(AppendOne({2000, doctor_, "doctor", "patient.read", doctor_, "Patient", "d", "", ""}));
  ASSERT_TRUE(AppendOne({3000, std::nullopt, "system", "record.export", patient_, "Bundle", "b", "cli", ""}));

  auto first = For(patient_, 3, 0);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].at, 3000);
  EXPECT_EQ(first[0].actor_name, "") << "the system has no name";
  EXPECT_EQ(first[0].actor_role, "system");
  EXPECT_EQ(first[0].action, "record.export");
  EXPECT_EQ(first[0].resource_type, "Bundle");
  EXPECT_EQ(first[0].resource_id, "b");
  EXPECT_EQ(first[0].reason, "cli");
  EXPECT_EQ(first[1].actor_name, "测试患者");
  EXPECT_EQ(first[1].reason, "r4");
  EXPECT_EQ(first[2].reason, "r3");
  auto second = For(patient_, 3, first.back().id);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(second[0].reason, "r2");
  EXPECT_EQ(second[2].reason, "r0");
  EXPECT_TRUE(For(patient_, 3, second.back().id).empty());
  EXPECT_EQ(For(doctor_, 10, 0).size(), 1u);
  EXPECT_FALSE(Verify(*db_)->first_broken_id.has_value());
}

TEST_P(AuditStoreTest, ConcurrentAppendersKeepOneLinearChain) {
  constexpr int kThreads = 4, kEach = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!AppendOne(
                {t * 100 + i, doctor_, "doctor", "patient.read", patient_, "Patient", std::to_string(t), "", ""}))
          ++failures;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->rows_checked, kThreads * kEach);
  EXPECT_FALSE(report->first_broken_id.has_value()) << report->problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::audit
