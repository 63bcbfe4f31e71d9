// Accounts storage (users, roles, sessions, guardianships) and the guardian path of the
// service, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "core/clock.hpp"
#include "core/resident_id.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/accounts/service.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::accounts {
namespace {

// A valid GB 11643 number born on `yyyymmdd`, distinct per `seq`.
std::string IdNumber(const std::string& yyyymmdd, int seq) {
  char tail[12];
  std::snprintf(tail, sizeof tail, "%03d", seq % 1000);
  const std::string first17 = "110101" + yyyymmdd + tail;
  return first17 + ResidentIdCheckChar(first17);
}

class AccountsStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override { db_ = testing::FreshDatabase(GetParam(), 4); }

  template <class T, class F>
  T Read(F&& f) {
    auto r = db_->With<T>(store::TxMode::read, std::forward<F>(f));
    EXPECT_TRUE(r) << (r ? "" : r.error().code + " " + r.error().detail);
    return r ? std::move(*r) : T{};
  }
  std::int64_t Adult(const std::string& name, const std::optional<std::string>& phone, int seq) {
    auto id = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto uid =
          repo::InsertUser(tx, NewUser{phone, phone ? std::optional<std::string>("$argon2id$h" + *phone) : std::nullopt,
                                       name, IdNumber("19900101", seq), "1990-01-01", "male", 1000 + seq});
      if (!uid) return uid.error();
      if (auto st = repo::GrantRole(tx, *uid, "patient", std::nullopt, 1000 + seq); !st) return st.error();
      return *uid;
    });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }

  std::unique_ptr<store::Database> db_;
  ManualClock clock_{1'794'961'560'000};  // 2026-11-18 08:26 CST
};

TEST_P(AccountsStoreTest, UserGuardianAndPasswordRowsReadBackEveryColumn) {
  const auto parent = Adult("王大明", "13900000001", 1);
  auto child = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    auto uid = repo::InsertUser(
        tx, NewUser{std::nullopt, std::nullopt, "王小明", IdNumber("20180601", 2), "2018-06-01", "female", 5000});
    if (!uid) return uid.error();
    if (auto st = repo::GrantRole(tx, *uid, "patient", parent, 5000); !st) return st.error();
    if (auto st = repo::GrantRole(tx, *uid, "patient", parent, 6000); !st) return st.error();  // held: no-op
    if (auto st = repo::InsertGuardianship(tx, parent, *uid, "legal_guardian", 5000); !st) return st.error();
    return *uid;
  });
  ASSERT_TRUE(child);

  auto u = Read<std::optional<User>>([&](store::Tx& tx) { return repo::FindUser(tx, parent); });
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->id, parent);
  EXPECT_EQ(u->phone, "13900000001");
  EXPECT_EQ(u->real_name, "王大明");
  EXPECT_EQ(u->id_number, IdNumber("19900101", 1));
  EXPECT_EQ(u->birth_date, "1990-01-01");
  EXPECT_EQ(u->sex, "male");
  EXPECT_EQ(u->status, "active");
  EXPECT_EQ(u->created_at, 1001);
  EXPECT_EQ(u->roles, std::vector<std::string>{"patient"});

  // Roles come back sorted; granting twice keeps one row; revoking removes only that role.
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto st = repo::GrantRole(tx, parent, "nurse", std::nullopt, 7000); !st) return st;
    return repo::GrantRole(tx, parent, "admin", std::nullopt, 7000);
  }));
  EXPECT_EQ(Read<std::vector<std::string>>([&](store::Tx& tx) { return repo::Roles(tx, parent); }),
            (std::vector<std::string>{"admin", "nurse", "patient"}));
  ASSERT_TRUE(
      db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return repo::RevokeRole(tx, parent, "nurse"); }));
  EXPECT_EQ(Read<std::optional<User>>([&](store::Tx& tx) { return repo::FindUser(tx, parent); })->roles,
            (std::vector<std::string>{"admin", "patient"}));

  auto wards = Read<std::vector<Dependent>>([&](store::Tx& tx) { return repo::Wards(tx, parent); });
  ASSERT_EQ(wards.size(), 1u);
  EXPECT_EQ(wards[0].relationship, "legal_guardian");
  EXPECT_EQ(wards[0].user.id, *child);
  EXPECT_FALSE(wards[0].user.phone.has_value()) << "a minor has no phone: NULL must read back as nullopt";
  EXPECT_EQ(wards[0].user.real_name, "王小明");
  EXPECT_EQ(wards[0].user.birth_date, "2018-06-01");
  EXPECT_EQ(wards[0].user.sex, "female");
  EXPECT_EQ(wards[0].user.created_at, 5000);
  EXPECT_TRUE(Read<bool>([&](store::Tx& tx) { return repo::IsGuardianOf(tx, parent, *child); }));
  EXPECT_FALSE(Read<bool>([&](store::Tx& tx) { return repo::IsGuardianOf(tx, *child, parent); }));

  auto login = Read<std::optional<LoginRecord>>([&](store::Tx& tx) { return repo::FindLogin(tx, "13900000001"); });
  ASSERT_TRUE(login.has_value());
  EXPECT_EQ(login->id, parent);
  EXPECT_EQ(login->password_hash, "$argon2id$h13900000001");
  EXPECT_EQ(login->status, "active");
  auto pw = Read<std::optional<repo::PasswordRecord>>([&](store::Tx& tx) { return repo::FindPassword(tx, parent); });
  ASSERT_TRUE(pw.has_value());
  EXPECT_EQ(pw->phone, "13900000001");
  EXPECT_EQ(pw->id_number, IdNumber("19900101", 1));
  ASSERT_TRUE(db_->Transact(store::TxMode::write,
                            [&](store::Tx& tx) { return repo::SetPassword(tx, parent, "$argon2id$new"); }));
  EXPECT_EQ(Read<std::optional<repo::PasswordRecord>>([&](store::Tx& tx) {
              return repo::FindPasswordByPhone(tx, "13900000001");
            })->password_hash,
            "$argon2id$new");
  // A minor has no password: nothing to sign in with.
  EXPECT_FALSE(
      Read<std::optional<repo::PasswordRecord>>([&](store::Tx& tx) { return repo::FindPassword(tx, *child); }));
}

TEST_P(AccountsStoreTest, TakenIdNumberOrPhoneIsAConflictAndUndoesTheWholeTransaction) {
  Adult("王大明", "13900000001", 1);
  // The first insert of this transaction is valid; the second reuses the phone. Neither stays.
  auto r = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    auto a =
        repo::InsertUser(tx, NewUser{"13900000002", "h", "李四", IdNumber("19900101", 7), "1990-01-01", "male", 1});
    if (!a) return a.error();
    return repo::InsertUser(tx, NewUser{"13900000001", "h", "张三", IdNumber("19900101", 8), "1990-01-01", "male", 1});
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errc, Errc::conflict);
  EXPECT_EQ(r.error().code, "unique_violation");
  EXPECT_FALSE(Read<std::optional<std::int64_t>>(
      [&](store::Tx& tx) { return repo::FindUserIdByIdNumber(tx, IdNumber("19900101", 7)); }));
  EXPECT_FALSE(
      Read<std::optional<std::int64_t>>([&](store::Tx& tx) { return repo::FindUserIdByPhone(tx, "13900000002"); }));

  auto dup = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) {
    return repo::InsertUser(
        tx, NewUser{std::nullopt, std::nullopt, "王大明", IdNumber("19900101", 1), "1990-01-01", "male", 1});
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, "unique_violation");
}

TEST_P(AccountsStoreTest, SessionsExpireAndRevokeAndListNewestFirst) {
  const auto me = Adult("王大明", "13900000001", 1);
  const auto other = Adult("李四", "13900000002", 2);
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto st = repo::InsertSession(tx, "h-old", me, 100, 10'000, "10.0.0.1"); !st) return st;
    if (auto st = repo::InsertSession(tx, "h-new", me, 200, 10'000, "10.0.0.2"); !st) return st;
    if (auto st = repo::InsertSession(tx, "h-gone", me, 50, 150, "10.0.0.3"); !st) return st;
    if (auto st = repo::InsertSession(tx, "h-other", other, 300, 10'000, ""); !st) return st;
    if (auto st = repo::SetSessionDevice(tx, "h-new", "Firefox/140"); !st) return st;
    return repo::TouchSession(tx, "h-new", 250);
  }));
  auto live =
      Read<std::optional<SessionRecord>>([&](store::Tx& tx) { return repo::FindLiveSession(tx, "h-new", 300); });
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->user_id, me);
  EXPECT_EQ(live->real_name, "王大明");
  EXPECT_EQ(live->status, "active");
  EXPECT_EQ(live->roles, std::vector<std::string>{"patient"});
  EXPECT_EQ(live->expires_at, 10'000);
  EXPECT_FALSE(Read<std::optional<SessionRecord>>([&](store::Tx& tx) {
    return repo::FindLiveSession(tx, "h-gone", 300);
  })) << "expired";
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::SessionLastSeen(tx, "h-new"); }), 250);

  auto mine = Read<std::vector<repo::SessionRow>>([&](store::Tx& tx) { return repo::LiveSessions(tx, me, 300); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].token_hash, "h-new");
  EXPECT_EQ(mine[0].user_agent, "Firefox/140");
  EXPECT_EQ(mine[0].client_addr, "10.0.0.2");
  EXPECT_EQ(mine[0].created_at, 200);
  EXPECT_EQ(mine[0].last_seen_at, 250);
  EXPECT_EQ(mine[0].expires_at, 10'000);
  EXPECT_EQ(mine[1].token_hash, "h-old");

  // Another user's token is not mine to revoke; "sign out elsewhere" keeps the current one.
  EXPECT_FALSE(*db_->With<bool>(store::TxMode::write,
                                [&](store::Tx& tx) { return repo::RevokeUserSession(tx, me, "h-other", 300); }));
  EXPECT_EQ(*db_->With<std::int64_t>(store::TxMode::write,
                                     [&](store::Tx& tx) { return repo::RevokeSessionsExcept(tx, me, "h-new", 300); }),
            1);
  EXPECT_FALSE(
      Read<std::optional<SessionRecord>>([&](store::Tx& tx) { return repo::FindLiveSession(tx, "h-old", 300); }));
  EXPECT_TRUE(
      Read<std::optional<SessionRecord>>([&](store::Tx& tx) { return repo::FindLiveSession(tx, "h-other", 300); }));
  ASSERT_TRUE(
      db_->Transact(store::TxMode::write, [&](store::Tx& tx) { return repo::RevokeSession(tx, "h-new", 400); }));
  EXPECT_TRUE(
      Read<std::vector<repo::SessionRow>>([&](store::Tx& tx) { return repo::LiveSessions(tx, me, 400); }).empty());
}

TEST_P(AccountsStoreTest, SearchIsNewestFirstLimitedAndTakesWildcardsLiterally) {
  const auto a = Adult("Anna Lee", "13900000001", 1);
  const auto b = Adult("anna_b", "13900000002", 2);
  const auto c = Adult("张安娜", "13800000003", 3);
  ASSERT_TRUE(db_->Transact(store::TxMode::write,
                            [&](store::Tx& tx) { return repo::GrantRole(tx, b, "nurse", std::nullopt, 1); }));
  auto s = [&](const std::string& q, int limit) {
    std::vector<std::int64_t> ids;
    for (const auto& u : Read<std::vector<User>>([&](store::Tx& tx) { return repo::Search(tx, q, limit); }))
      ids.push_back(u.id);
    return ids;
  };
  EXPECT_EQ(s("ANNA", 10), (std::vector<std::int64_t>{b, a})) << "case-insensitive, newest first";
  EXPECT_EQ(s("ANNA", 1), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(s("a_", 10), (std::vector<std::int64_t>{b})) << "_ matches only itself";
  EXPECT_TRUE(s("%", 10).empty());
  EXPECT_EQ(s("139", 10), (std::vector<std::int64_t>{b, a})) << "phone prefix";
  EXPECT_TRUE(s("0000000", 10).empty()) << "phone matches from the start only";
  EXPECT_EQ(s("安娜", 10), (std::vector<std::int64_t>{c}));
  auto rows = Read<std::vector<User>>([&](store::Tx& tx) { return repo::Search(tx, "anna_", 10); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].roles, (std::vector<std::string>{"nurse", "patient"}));
  EXPECT_EQ(rows[0].phone, "13900000002");
}

TEST_P(AccountsStoreTest, AddDependentRefusesAnUnknownRelationshipBeforeTouchingTheDatabase) {
  AccountService svc(*db_, clock_, {.password_profile = crypto::PasswordProfile::test});
  const auto parent = Adult("王大明", "13900000001", 1);
  const Principal actor{parent, "王大明", {"patient"}};
  const std::string child = IdNumber("20180601", 5);
  auto r = svc.AddDependent(actor, {"王小明", child, "uncle"}, {"req-1", "127.0.0.1"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errc, Errc::invalid_argument);
  EXPECT_EQ(r.error().code, "validation_failed");
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "relationship");
  EXPECT_EQ(r.error().fields[0].code, "invalid_value");
  EXPECT_FALSE(Read<std::optional<std::int64_t>>([&](store::Tx& tx) { return repo::FindUserIdByIdNumber(tx, child); }));

  auto ok = svc.AddDependent(actor, {"王小明", child, "other"}, {"req-2", "127.0.0.1"});
  ASSERT_TRUE(ok) << ok.error().code;
  EXPECT_EQ(ok->relationship, "other");
  EXPECT_EQ(ok->user.birth_date, "2018-06-01");
}

TEST_P(AccountsStoreTest, TwoGuardiansAddingTheSameMinorAtOnceGetOneRecordAndDependentExists) {
  AccountService svc(*db_, clock_, {.password_profile = crypto::PasswordProfile::test});
  const Principal mum{Adult("王妈妈", "13900000001", 1), "王妈妈", {"patient"}};
  const Principal dad{Adult("李爸爸", "13900000002", 2), "李爸爸", {"patient"}};
  for (int round = 0; round < 4; ++round) {
    const std::string child = IdNumber("20180601", 100 + round);
    Result<Dependent> a = MakeError(Errc::internal, "unset"), b = MakeError(Errc::internal, "unset");
    std::atomic<int> ready{0};
    auto run = [&](const Principal& who, Result<Dependent>& out) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      out = svc.AddDependent(who, {"王小明", child, "parent"}, {"req", "127.0.0.1"});
    };
    std::thread t1(run, std::cref(mum), std::ref(a)), t2(run, std::cref(dad), std::ref(b));
    t1.join();
    t2.join();
    ASSERT_NE(a.has_value(), b.has_value()) << "exactly one guardian registers the minor";
    const Error& lost = a ? b.error() : a.error();
    EXPECT_EQ(lost.errc, Errc::conflict);
    EXPECT_EQ(lost.code, "dependent_exists") << "round " << round << ": " << lost.detail;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::accounts
