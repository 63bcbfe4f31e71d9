// The store::Database contract, run on SQLite and on PostgreSQL.
#include "store/database.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <future>
#include <limits>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "support/test_db.hpp"

namespace ihos::store {
namespace {

std::string Describe(const Error& e) { return std::string(ErrcName(e.errc)) + " " + e.code + ": " + e.detail; }

#define ASSERT_OK(expr)                                                             \
  do {                                                                              \
    const auto& ihos_r = (expr);                                                    \
    ASSERT_TRUE(ihos_r.has_value()) << #expr << " -> " << Describe(ihos_r.error()); \
  } while (0)

#define EXPECT_OK(expr)                                                             \
  do {                                                                              \
    const auto& ihos_r = (expr);                                                    \
    EXPECT_TRUE(ihos_r.has_value()) << #expr << " -> " << Describe(ihos_r.error()); \
  } while (0)

// Runs one statement in its own write transaction.
Status Write(Database& db, std::string_view sql, const Params& params = {}) {
  return db.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto r = tx.Exec(sql, params);
    if (!r) return r.error();
    return {};
  });
}

// Runs one query in its own read transaction; fails the test on error.
Rows Select(Database& db, std::string_view sql, const Params& params = {}) {
  auto rows = db.With<Rows>(TxMode::read, [&](Tx& tx) { return tx.Query(sql, params); });
  EXPECT_TRUE(rows.has_value()) << sql << " -> " << (rows ? "" : Describe(rows.error()));
  return rows ? std::move(*rows) : Rows{};
}

// COUNT(*) of `table`; -1 when the query fails (which Select reports).
std::int64_t Count(Database& db, std::string_view table) {
  Rows rows = Select(db, "SELECT COUNT(*) FROM " + std::string(table));
  return rows.empty() ? -1 : rows[0].Int(0);
}

std::int64_t CountUsers(Database& db) { return Count(db, "users"); }

// A users row; `n` makes phone and id_number unique.
Params User(int n, std::string id_number = {}) {
  if (id_number.empty()) id_number = "11010119900101" + std::to_string(1000 + n);
  return {std::string("1380000") + std::to_string(1000 + n),
          std::string("$argon2id$x"),
          std::string("测试用户") + std::to_string(n),
          id_number,
          std::string("1990-01-01"),
          std::string("female"),
          std::int64_t{1700000000000}};
}

constexpr std::string_view kInsertUser =
    "INSERT INTO users (phone, password_hash, real_name, id_number, birth_date, sex, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";

class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { db_ = ihos::testing::FreshDatabase(GetParam()); }
  Database& db() { return *db_; }
  std::unique_ptr<Database> db_;
};

// Runs migration 0060's SQLite-only statements (one a line) on `db`, in one write transaction.
Status RunOtcMigrationSqliteStatements(Database& db) {
  const Migration* m0060 = nullptr;
  for (const Migration& m : EmbeddedMigrations())
    if (std::string_view(m.name) == "0060_otc") m0060 = &m;
  if (!m0060) return MakeError(Errc::not_found, "not_found", "no migration 0060_otc");
  return db.Transact(TxMode::write, [&](Tx& tx) -> Status {
    std::string_view sql = m0060->sql;
    for (std::size_t at = 0; at < sql.size();) {
      const std::size_t end = std::min(sql.find('\n', at), sql.size());
      std::string_view line = sql.substr(at, end - at);
      at = end + 1;
      if (!line.starts_with("/*sqlite*/")) continue;
      line.remove_prefix(std::string_view("/*sqlite*/").size());
      if (line.ends_with(';')) line.remove_suffix(1);
      if (auto r = tx.Exec(line); !r) return r.error();
    }
    return {};
  });
}

// Migration 0060 makes drug_orders.prescription_id nullable on SQLite by editing the stored table
// text with replace(); when the stored text differs, it must stop with an error rather than leave
// the column NOT NULL without a word.
TEST(SqliteOtcMigration, StopsLoudlyWhenTheStoredTableTextDoesNotMatch) {
  auto differs = sqlite::OpenDatabase(":memory:", 1);
  ASSERT_OK(differs);
  ASSERT_OK(Write(**differs,
                  "CREATE TABLE drug_orders (id INTEGER PRIMARY KEY, prescription_id BIGINT NOT NULL  "
                  "REFERENCES prescriptions(id))"));
  auto st = RunOtcMigrationSqliteStatements(**differs);
  ASSERT_FALSE(st.has_value()) << "the migration went on with prescription_id still NOT NULL";
  EXPECT_NE(st.error().detail.find("drug_orders_prescription_id_still_not_null"), std::string::npos)
      << Describe(st.error());

  auto matches = sqlite::OpenDatabase(":memory:", 1);
  ASSERT_OK(matches);
  ASSERT_OK(Write(**matches,
                  "CREATE TABLE drug_orders (id INTEGER PRIMARY KEY, prescription_id BIGINT NOT NULL "
                  "REFERENCES prescriptions(id))"));
  EXPECT_OK(RunOtcMigrationSqliteStatements(**matches));
  Rows rows = Select(**matches, "SELECT sql FROM sqlite_schema WHERE name = 'drug_orders'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0).find("NOT NULL"), std::string::npos) << rows[0].Text(0);
}

TEST_P(DatabaseTest, ReportsItsBackend) { EXPECT_EQ(db().backend(), GetParam()); }

TEST_P(DatabaseTest, MigrationsAreRecordedAndIdempotent) {
  auto again = Migrate(db());
  ASSERT_OK(again);
  EXPECT_TRUE(again->empty()) << "second Migrate applied " << again->size();

  std::set<std::string> recorded;
  for (const Row& r : Select(db(), "SELECT name, applied_at FROM schema_migrations")) {
    recorded.insert(r.Text(0));
    EXPECT_GT(r.Int(1), 1'600'000'000'000) << "applied_at is Unix milliseconds";
  }
  std::set<std::string> embedded;
  for (const Migration& m : EmbeddedMigrations()) embedded.insert(m.name);
  EXPECT_FALSE(embedded.empty());
  EXPECT_EQ(recorded, embedded);
  // The schema is really there.
  EXPECT_EQ(CountUsers(db()), 0);
}

TEST_P(DatabaseTest, ConcurrentMigrateAppliesEachMigrationOnce) {
  const std::string url = ihos::testing::FreshDatabaseUrl(GetParam(), /*migrated=*/false);
  std::vector<std::string> applied[2];
  std::string errors[2];
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      auto db = Open(url, 2);
      if (!db) {
        errors[i] = Describe(db.error());
        return;
      }
      auto r = Migrate(**db);
      if (!r) {
        errors[i] = Describe(r.error());
        return;
      }
      applied[i] = *r;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  std::vector<std::string> all = applied[0];
  all.insert(all.end(), applied[1].begin(), applied[1].end());
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected;
  for (const Migration& m : EmbeddedMigrations()) expected.emplace_back(m.name);
  EXPECT_EQ(all, expected) << "each migration applied exactly once across both processes";
}

TEST_P(DatabaseTest, PlaceholdersBindByNumberNotByAppearance) {
  Rows rows = Select(db(), "SELECT $2, $1", {std::string("first"), std::string("second")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "second");
  EXPECT_EQ(rows[0].Text(1), "first");

  rows = Select(db(), "SELECT CAST($2 AS BIGINT), CAST($1 AS BIGINT), CAST($2 AS BIGINT) + 1",
                {std::int64_t{10}, std::int64_t{20}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at(0), Value(std::int64_t{20}));
  EXPECT_EQ(rows[0].at(1), Value(std::int64_t{10}));
  EXPECT_EQ(rows[0].Int(2), 21);
}

TEST_P(DatabaseTest, DollarInsideLiteralIsNotAPlaceholder) {
  Rows rows = Select(db(), "SELECT '$1 costs $2', $1 -- $2 in a comment\n", {std::string("value")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "$1 costs $2");
  EXPECT_EQ(rows[0].Text(1), "value");
}

TEST_P(DatabaseTest, ParameterCountMismatchIsAnError) {
  Status st = Write(db(), "SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT)", {std::int64_t{1}});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::internal);
  EXPECT_EQ(st.error().code, "database_error");
}

TEST_P(DatabaseTest, BadSqlIsInternalDatabaseError) {
  Status st = Write(db(), "SELEC nonsense");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::internal);
  EXPECT_EQ(st.error().code, "database_error");
  EXPECT_FALSE(st.error().detail.empty());
}

TEST_P(DatabaseTest, InsertReturningGivesTheNewId) {
  auto id = db().With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto rows = tx.Query(std::string(kInsertUser) + " RETURNING id", User(1));
    if (!rows) return rows.error();
    return (*rows)[0].Int(0);
  });
  ASSERT_OK(id);
  EXPECT_GT(*id, 0);
  Rows rows = Select(db(), "SELECT real_name FROM users WHERE id = $1", {*id});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "测试用户1");
}

TEST_P(DatabaseTest, ExecReturnsRowsChanged) {
  ASSERT_OK(Write(db(), kInsertUser, User(1)));
  ASSERT_OK(Write(db(), kInsertUser, User(2)));
  auto n = db().With<std::int64_t>(TxMode::write, [](Tx& tx) {
    return tx.Exec("UPDATE users SET status = 'disabled' WHERE sex = $1", {std::string("female")});
  });
  ASSERT_OK(n);
  EXPECT_EQ(*n, 2);
  auto none = db().With<std::int64_t>(TxMode::write, [](Tx& tx) -> Result<std::int64_t> {
    auto r = tx.Exec("DELETE FROM users WHERE id < 0");
    if (!r) return r.error();
    // A DDL statement changes no rows, whatever ran before it on this connection.
    auto ddl = tx.Exec("CREATE TABLE exec_ddl (x BIGINT)");
    if (!ddl) return ddl.error();
    return *r + *ddl;
  });
  ASSERT_OK(none);
  EXPECT_EQ(*none, 0);
}

TEST_P(DatabaseTest, UniqueViolationIsConflictAndUndoesTheWholeTransaction) {
  Status st = db().Transact(TxMode::write, [&](Tx& tx) -> Status {
    if (auto r = tx.Exec(kInsertUser, User(1, "110101199001011234")); !r) return r.error();
    if (auto r = tx.Exec(kInsertUser, User(2)); !r) return r.error();
    if (auto r = tx.Exec(kInsertUser, User(3, "110101199001011234")); !r) return r.error();
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::conflict);
  EXPECT_EQ(st.error().code, "unique_violation");
  EXPECT_NE(st.error().detail.find("id_number"), std::string::npos) << st.error().detail;
  EXPECT_EQ(st.error().detail.find("110101199001011234"), std::string::npos)
      << "row values must not leak into the error: " << st.error().detail;
  EXPECT_EQ(CountUsers(db()), 0) << "earlier statements of the transaction were undone";

  // A duplicate against a committed row is a conflict as well (primary key this time).
  ASSERT_OK(Write(db(), kInsertUser, User(1)));
  Rows ids = Select(db(), "SELECT id FROM users");
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_OK(
      Write(db(), "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, 'patient', 1)", {ids[0].Int(0)}));
  st = Write(db(), "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, 'patient', 2)", {ids[0].Int(0)});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "unique_violation");
  EXPECT_EQ(st.error().errc, Errc::conflict);
}

TEST_P(DatabaseTest, ForeignKeyViolationIsMapped) {
  Status st = Write(db(), "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)",
                    {std::int64_t{424242}, std::string("patient"), std::int64_t{1}});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::conflict);
  EXPECT_EQ(st.error().code, "foreign_key_violation");
  EXPECT_EQ(Count(db(), "user_roles"), 0);
}

TEST_P(DatabaseTest, CheckAndNotNullViolationsAreMapped) {
  Params bad_sex = User(1);
  bad_sex[5] = std::string("unknown");
  Status st = Write(db(), kInsertUser, bad_sex);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::conflict);
  EXPECT_EQ(st.error().code, "check_violation");

  Params no_name = User(2);
  no_name[2] = nullptr;
  st = Write(db(), kInsertUser, no_name);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::conflict);
  EXPECT_EQ(st.error().code, "check_violation");
  EXPECT_EQ(CountUsers(db()), 0);
}

TEST_P(DatabaseTest, TextRoundTripsVerbatim) {
  ASSERT_OK(Write(db(), "CREATE TABLE texts (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"));
  const std::vector<std::string> samples = {
      "张三丰，男，汉族；主诉：头痛三天。",
      "'); DROP TABLE users;--",
      "Robert'); DROP TABLE texts; --",
      "\"double\" 'single' `back` [bracket] \\backslash\\ %percent% _under_",
      "$1 $2 ?1 ? :name @name",
      "line one\nline two\r\n\ttabbed",
      "emoji 😷🏥 and combining é",
      "",
      std::string(10000, 'x'),
  };
  for (std::size_t i = 0; i < samples.size(); ++i) {
    ASSERT_OK(Write(db(), "INSERT INTO texts (id, body) VALUES ($1, $2)", {static_cast<std::int64_t>(i), samples[i]}));
  }
  Rows rows = Select(db(), "SELECT id, body FROM texts ORDER BY id");
  ASSERT_EQ(rows.size(), samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(rows[i].Text(1), samples[i]) << "sample " << i;
  }
  // Looked up by the same text as a parameter.
  Rows found = Select(db(), "SELECT id FROM texts WHERE body = $1", {samples[1]});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].Int(0), 1);
  EXPECT_EQ(CountUsers(db()), 0) << "users table still exists";
}

TEST_P(DatabaseTest, TextThatCannotBeStoredIsInvalidArgument) {
  ASSERT_OK(Write(db(), "CREATE TABLE texts (body TEXT)"));
  for (const std::string& bad :
       {std::string("nul\0inside", 10), std::string("\xff\xfe bad utf8"), std::string("\xed\xa0\x80 surrogate")}) {
    Status st = Write(db(), "INSERT INTO texts (body) VALUES ($1)", {bad});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().errc, Errc::invalid_argument);
    EXPECT_EQ(st.error().code, "invalid_text");
  }
  EXPECT_TRUE(Select(db(), "SELECT body FROM texts").empty());
}

TEST_P(DatabaseTest, NumbersRoundTripAtTheExtremes) {
  ASSERT_OK(Write(db(), "CREATE TABLE nums (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION)"));
  const std::int64_t ints[] = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 0,
                               -1, 1};
  const double doubles[] = {0.1, -1e300, 5e-324, 1.0 / 3.0, 123456789.123456789};
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(Write(db(), "INSERT INTO nums (id, i, d) VALUES ($1, $2, $3)", {std::int64_t{i}, ints[i], doubles[i]}));
  }
  Rows rows = Select(db(), "SELECT i, d FROM nums ORDER BY id");
  ASSERT_EQ(rows.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(rows[i].at(0), Value(ints[i])) << i;
    EXPECT_EQ(rows[i].Int(0), ints[i]) << i;
    EXPECT_EQ(rows[i].Real(1), doubles[i]) << i;
  }
  Rows found = Select(db(), "SELECT id FROM nums WHERE i = $1", {std::numeric_limits<std::int64_t>::min()});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].Int(0), 0);

  // Aggregates read the same way on both (PostgreSQL's SUM(bigint) is numeric).
  Rows sum = Select(db(), "SELECT SUM(i), COUNT(*) FROM nums WHERE id >= 2");
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(sum[0].at(0), Value(std::int64_t{0}));
  EXPECT_EQ(sum[0].at(1), Value(std::int64_t{3}));
}

TEST_P(DatabaseTest, NullRoundTrips) {
  ASSERT_OK(Write(db(), "CREATE TABLE maybe (id BIGINT PRIMARY KEY, t TEXT, i BIGINT)"));
  ASSERT_OK(Write(db(), "INSERT INTO maybe (id, t, i) VALUES ($1, $2, $3)", {std::int64_t{1}, nullptr, nullptr}));
  ASSERT_OK(Write(db(), "INSERT INTO maybe (id, t, i) VALUES ($1, $2, $3)",
                  {std::int64_t{2}, std::string(""), std::int64_t{0}}));
  Rows rows = Select(db(), "SELECT t, i FROM maybe ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].IsNull(0));
  EXPECT_TRUE(rows[0].IsNull(1));
  EXPECT_EQ(rows[0].OptText(0), std::nullopt);
  EXPECT_EQ(rows[0].OptInt(1), std::nullopt);
  EXPECT_FALSE(rows[1].IsNull(0)) << "empty text is not NULL";
  EXPECT_EQ(rows[1].OptText(0), std::optional<std::string>(""));
  EXPECT_EQ(rows[1].OptInt(1), std::optional<std::int64_t>(0));
  // IS NULL with a parameter works once the parameter has a type.
  Rows nulls = Select(db(), "SELECT id FROM maybe WHERE t IS NOT DISTINCT FROM CAST($1 AS TEXT)", {nullptr});
  ASSERT_EQ(nulls.size(), 1u);
  EXPECT_EQ(nulls[0].Int(0), 1);
}

TEST_P(DatabaseTest, ExceptionInBodyRollsBackAndFreesTheConnection) {
  auto db1 = ihos::testing::FreshDatabase(GetParam(), /*pool_size=*/1);
  EXPECT_THROW(db1->Transact(TxMode::write,
                             [&](Tx& tx) -> Status {
                               auto r = tx.Exec(kInsertUser, User(1));
                               if (!r) return r.error();
                               throw std::runtime_error("bug in the body");
                             }),
               std::runtime_error);
  // The only connection came back, and the insert did not survive.
  EXPECT_EQ(CountUsers(*db1), 0);
  EXPECT_OK(Write(*db1, kInsertUser, User(1)));
  EXPECT_EQ(CountUsers(*db1), 1);
}

TEST_P(DatabaseTest, ErrorFromBodyRollsBack) {
  Status st = db().Transact(TxMode::write, [&](Tx& tx) -> Status {
    if (auto r = tx.Exec(kInsertUser, User(1)); !r) return r.error();
    return MakeError(Errc::forbidden, "not_allowed");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "not_allowed");
  EXPECT_EQ(CountUsers(db()), 0);
}

TEST_P(DatabaseTest, FailedStatementEndsTheTransactionOnBothBackends) {
  Status st = db().Transact(TxMode::write, [&](Tx& tx) -> Status {
    if (auto r = tx.Exec(kInsertUser, User(1, "110101199001011234")); !r) return r.error();
    auto dup = tx.Exec(kInsertUser, User(2, "110101199001011234"));
    EXPECT_FALSE(dup);
    auto next = tx.Query("SELECT COUNT(*) FROM users");
    EXPECT_FALSE(next) << "PostgreSQL refuses statements after a failure; SQLite must too";
    return {};  // swallowing the failure does not make the transaction commit
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "unique_violation");
  EXPECT_EQ(CountUsers(db()), 0);
}

TEST_P(DatabaseTest, ReadTransactionCannotWrite) {
  Status st = db().Transact(TxMode::read, [&](Tx& tx) -> Status {
    auto r = tx.Exec(kInsertUser, User(1));
    if (!r) return r.error();
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::internal);
  EXPECT_EQ(CountUsers(db()), 0);
  // The same connections still write in write transactions.
  EXPECT_OK(Write(db(), kInsertUser, User(1)));
  EXPECT_EQ(CountUsers(db()), 1);
}

// Runs `body(thread, iteration)` as one write transaction from each of `threads` threads,
// `per_thread` times; returns how many failed and the first failure.
std::pair<int, std::string> WriteConcurrently(Database& db, int threads, int per_thread,
                                              const std::function<Status(Tx&, int)>& body) {
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex mu;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        Status st = db.Transact(TxMode::write, [&](Tx& tx) { return body(tx, t); });
        if (!st) {
          std::lock_guard lock(mu);
          if (failures++ == 0) first_failure = Describe(st.error());
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  return {failures.load(), first_failure};
}

TEST_P(DatabaseTest, ConcurrentReadModifyWriteLosesNoUpdate) {
  ASSERT_OK(Write(db(), "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  ASSERT_OK(Write(db(), "INSERT INTO counter (id, n) VALUES (1, 0)"));
  // SQLite serialises write transactions (BEGIN IMMEDIATE); PostgreSQL at READ COMMITTED
  // needs the row lock of FOR UPDATE for a read-modify-write.
  const std::string read_sql = GetParam() == Backend::postgres ? "SELECT n FROM counter WHERE id = 1 FOR UPDATE"
                                                               : "SELECT n FROM counter WHERE id = 1";
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  auto [failures, first_failure] = WriteConcurrently(db(), kThreads, kPerThread, [&](Tx& tx, int) -> Status {
    auto rows = tx.Query(read_sql);
    if (!rows) return rows.error();
    auto r = tx.Exec("UPDATE counter SET n = $1 WHERE id = 1", {(*rows)[0].Int(0) + 1});
    if (!r) return r.error();
    return {};
  });
  EXPECT_EQ(failures, 0) << first_failure;
  Rows rows = Select(db(), "SELECT n FROM counter WHERE id = 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), kThreads * kPerThread);
}

TEST_P(DatabaseTest, LockChainSerialisesAppenders) {
  ASSERT_OK(Write(db(), "CREATE TABLE chain (v BIGINT NOT NULL, writer BIGINT NOT NULL)"));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  auto [failures, first_failure] = WriteConcurrently(db(), kThreads, kPerThread, [](Tx& tx, int t) -> Status {
    if (auto r = tx.LockChain("chain"); !r) return r.error();
    auto rows = tx.Query("SELECT COALESCE(MAX(v), 0) FROM chain");
    if (!rows) return rows.error();
    // A yield between read and write invites another appender in, if the lock let it.
    std::this_thread::yield();
    auto r = tx.Exec("INSERT INTO chain (v, writer) VALUES ($1, $2)", {(*rows)[0].Int(0) + 1, std::int64_t{t}});
    if (!r) return r.error();
    return {};
  });
  EXPECT_EQ(failures, 0) << first_failure;
  Rows rows = Select(db(), "SELECT v FROM chain ORDER BY v");
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].Int(0), static_cast<std::int64_t>(i + 1)) << "gap or duplicate at " << i;
  }
}

TEST_P(DatabaseTest, PingAnswers) {
  EXPECT_OK(db().Ping());
  // Also while every connection but one is busy.
  EXPECT_OK(db().Transact(TxMode::read, [&](Tx&) -> Status { return db().Ping(); }));
}

TEST_P(DatabaseTest, WithReturnsTheValueOrTheError) {
  auto n = db().With<std::int64_t>(TxMode::read, [](Tx& tx) -> Result<std::int64_t> {
    auto rows = tx.Query("SELECT COUNT(*) FROM users");
    if (!rows) return rows.error();
    return (*rows)[0].Int(0);
  });
  ASSERT_OK(n);
  EXPECT_EQ(*n, 0);
  auto err = db().With<std::int64_t>(
      TxMode::read, [](Tx&) -> Result<std::int64_t> { return MakeError(Errc::not_found, "user_not_found"); });
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().errc, Errc::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::ValuesIn(ihos::testing::Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return ihos::testing::BackendName(info.param);
                         });

// ---- Not per backend ----

TEST(OpenTest, UnknownSchemeIsInvalidArgument) {
  for (const char* url : {"mysql://localhost/x", "", "sqlite:", "file:/tmp/x.db"}) {
    auto db = Open(url, 1);
    ASSERT_FALSE(db) << url;
    EXPECT_EQ(db.error().errc, Errc::invalid_argument) << url;
    EXPECT_EQ(db.error().code, "database_url_invalid") << url;
  }
}

// A port nobody listens on: bind an ephemeral one, then close it.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(OpenTest, PostgresOnAClosedPortIsUnavailable) {
  const std::string url = "postgresql://ihos@127.0.0.1:" + std::to_string(ClosedPort()) + "/ihos?connect_timeout=2";
  auto db = Open(url, 2);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().errc, Errc::unavailable);
  EXPECT_EQ(db.error().code, "database_unavailable");
}

TEST(OpenTest, MalformedPostgresUriIsInvalidArgument) {
  auto db = Open("postgresql://host:notaport:5/db?=x", 1);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().errc, Errc::invalid_argument);
}

TEST(OpenTest, SqliteInAMissingDirectoryIsUnavailable) {
  auto db = Open("sqlite:/nonexistent-ihos-dir/sub/x.db", 1);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().errc, Errc::unavailable);
  EXPECT_EQ(db.error().code, "database_unavailable");
}

TEST(SqliteTest, RewritesPlaceholdersOutsideLiterals) {
  using sqlite::RewritePlaceholders;
  EXPECT_EQ(RewritePlaceholders("SELECT $2, $1"), "SELECT ?2, ?1");
  EXPECT_EQ(RewritePlaceholders("WHERE a=$10 AND b=$1"), "WHERE a=?10 AND b=?1");
  EXPECT_EQ(RewritePlaceholders("SELECT '$1', \"$2\", $3"), "SELECT '$1', \"$2\", ?3");
  EXPECT_EQ(RewritePlaceholders("SELECT 'it''s $1', $1"), "SELECT 'it''s $1', ?1");
  EXPECT_EQ(RewritePlaceholders("SELECT a$1 -- $2\n, $3 /* $4 */"), "SELECT a$1 -- $2\n, ?3 /* $4 */");
  EXPECT_EQ(RewritePlaceholders("SELECT $ , $x, $"), "SELECT $ , $x, $");
  EXPECT_EQ(RewritePlaceholders("SELECT 'unterminated $1"), "SELECT 'unterminated $1");
}

TEST(SqliteTest, ConnectionsUseWalAndForeignKeys) {
  auto db = ihos::testing::FreshDatabase(Backend::sqlite, 2);
  Rows rows = Select(*db, "PRAGMA journal_mode");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "wal");
  rows = Select(*db, "PRAGMA foreign_keys");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1);
  rows = Select(*db, "PRAGMA busy_timeout");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 5000);
  rows = Select(*db, "PRAGMA synchronous");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1) << "NORMAL";
}

// Group commit: writers that queue while one runs share the next transaction, each body in its
// own savepoint — a body that fails, returns an error or throws loses only its own writes and its
// caller hears of it; the others are committed and told so.
TEST(SqliteTest, QueuedWritersShareOneCommitAndAFailureStaysWithItsWriter) {
  auto db = ihos::testing::FreshDatabase(Backend::sqlite, 4);
  ASSERT_TRUE(sqlite::GroupCommit(*db).has_value());
  ASSERT_OK(Write(*db, kInsertUser, User(0, "110101199001019999")));
  const auto before = *sqlite::GroupCommit(*db);

  // The first writer holds the writer until the others are queued behind it.
  constexpr int kQueued = 12;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread first([&] {
    EXPECT_OK(db->Transact(TxMode::write, [&](Tx& tx) -> Status {
      released.wait();
      auto r = tx.Exec(kInsertUser, User(100));
      if (!r) return r.error();
      return {};
    }));
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (sqlite::GroupCommit(*db)->transactions == before.transactions && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(sqlite::GroupCommit(*db)->transactions, before.transactions + 1) << "the first writer is running";

  std::vector<Status> results(kQueued);
  std::vector<bool> threw(kQueued, false);
  std::vector<std::thread> writers;
  for (int i = 0; i < kQueued; ++i) {
    writers.emplace_back([&, i] {
      try {
        results[i] = db->Transact(TxMode::write, [&](Tx& tx) -> Status {
          auto r = tx.Exec(kInsertUser, User(i + 1));
          if (!r) return r.error();
          if (i == 3) {  // a duplicate ID number
            auto dup = tx.Exec(kInsertUser, User(200, "110101199001019999"));
            return dup ? MakeError(Errc::internal, "duplicate_accepted") : dup.error();
          }
          if (i == 5) return MakeError(Errc::forbidden, "not_allowed");
          if (i == 7) throw std::runtime_error("bug in the body");
          return {};
        });
      } catch (const std::runtime_error&) {
        threw[i] = true;
      }
    });
  }
  while (sqlite::GroupCommit(*db)->queued < static_cast<std::size_t>(kQueued) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(sqlite::GroupCommit(*db)->queued, static_cast<std::size_t>(kQueued));
  release.set_value();
  first.join();
  for (auto& w : writers) w.join();

  const auto after = *sqlite::GroupCommit(*db);
  EXPECT_EQ(after.transactions - before.transactions, 1u + kQueued);
  EXPECT_EQ(after.batches - before.batches, 2u) << "the first writer alone, then the queued ones together";
  for (int i = 0; i < kQueued; ++i) {
    Rows rows = Select(*db, "SELECT COUNT(*) FROM users WHERE phone = $1", {User(i + 1)[0]});
    ASSERT_EQ(rows.size(), 1u);
    if (i == 3) {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, "unique_violation");
    } else if (i == 5) {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, "not_allowed");
    } else if (i == 7) {
      EXPECT_TRUE(threw[i]) << "the exception reaches the writer whose body threw";
    } else {
      EXPECT_OK(results[i]);
      EXPECT_EQ(rows[0].Int(0), 1) << "writer " << i << " was told it committed";
      continue;
    }
    EXPECT_EQ(rows[0].Int(0), 0) << "writer " << i << " failed, so its first insert is undone too";
  }
  EXPECT_EQ(CountUsers(*db), 2 + kQueued - 3);
}

TEST(SqliteTest, OneStatementPerCall) {
  auto db = ihos::testing::FreshDatabase(Backend::sqlite, 1);
  Status st = Write(*db, "DELETE FROM users; DROP TABLE users");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::internal);
  EXPECT_EQ(CountUsers(*db), 0) << "users still exists";
}

TEST(PostgresTest, BrokenConnectionIsDroppedAndReplaced) {
  auto db = ihos::testing::FreshDatabase(Backend::postgres, /*pool_size=*/1);
  auto pid = [&]() -> Result<std::int64_t> {
    return db->With<std::int64_t>(TxMode::read, [](Tx& tx) -> Result<std::int64_t> {
      auto rows = tx.Query("SELECT pg_backend_pid()");
      if (!rows) return rows.error();
      return (*rows)[0].Int(0);
    });
  };
  auto first = pid();
  ASSERT_OK(first);

  // The connection dies in the middle of a transaction: unavailable, not internal.
  Status st = db->Transact(TxMode::write, [](Tx& tx) -> Status {
    auto r = tx.Exec("SELECT pg_terminate_backend(pg_backend_pid())");
    if (!r) return r.error();
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::unavailable) << Describe(st.error());
  EXPECT_EQ(st.error().code, "database_unavailable");

  // The next transaction gets a new connection.
  auto second = pid();
  ASSERT_OK(second);
  EXPECT_NE(*first, *second);

  // An idle pooled connection killed from outside is replaced at its next use.
  auto other = ihos::testing::FreshDatabase(Backend::postgres, 1);
  ASSERT_OK(Write(*other, "SELECT pg_terminate_backend(CAST($1 AS INTEGER))", {*second}));
  auto third = pid();
  ASSERT_OK(third);
  EXPECT_NE(*third, *second);
  EXPECT_OK(db->Ping());
}

// Tx::LockChain on PostgreSQL: a chain lock in one schema does not hold up the same chain in
// another (each test process works in its own schema: they had queued on one lock), holds up the
// same chain in the same schema, and in the public schema is keyed by the name alone, as before
// the schema was added, so old and new nodes exclude each other during a rolling upgrade.
TEST(PostgresTest, ChainLocksAreKeyedByTheSchemaOutsidePublic) {
  // No tables are needed: two empty schemas.
  const std::string url_a = ihos::testing::FreshDatabaseUrl(Backend::postgres, /*migrated=*/false);
  auto a = Open(url_a, 2);
  ASSERT_OK(a);
  auto b = Open(ihos::testing::FreshDatabaseUrl(Backend::postgres, /*migrated=*/false), 1);
  ASSERT_OK(b);
  const char* base = std::getenv("IHOS_TEST_PG");
  ASSERT_NE(base, nullptr);
  auto pub = Open(base, 1);
  ASSERT_OK(pub);
  auto lock_within = [](Database& db, const std::string& timeout, const std::string& name) {
    return db.Transact(TxMode::write, [&](Tx& tx) -> Status {
      if (auto r = tx.Exec("SET LOCAL lock_timeout = '" + timeout + "'"); !r) return r.error();
      return tx.LockChain(name);
    });
  };

  // The holder takes "chain" in schema a and keeps it until released; it always answers `held`
  // (the lock, or why not), and the guard releases and joins it whatever the test's outcome.
  std::promise<Status> held;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Status holder_result;
  std::thread holder([&] {
    bool told = false;
    holder_result = (*a)->Transact(TxMode::write, [&](Tx& tx) -> Status {
      if (auto st = tx.LockChain("chain"); !st) return st;
      if (!told) held.set_value(Status{});
      told = true;
      released.wait();
      return {};
    });
    if (!told) held.set_value(holder_result ? MakeError(Errc::internal, "not_held", "no lock") : holder_result);
  });
  bool release_sent = false;
  auto finish = [&] {
    if (!release_sent) release.set_value();
    release_sent = true;
    if (holder.joinable()) holder.join();
  };
  struct Guard {
    std::function<void()> f;
    ~Guard() { f(); }
  } guard{finish};
  auto got = held.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(30)), std::future_status::ready) << "the holder never took the lock";
  const Status holding = got.get();
  ASSERT_TRUE(holding) << Describe(holding.error());

  const Status other_schema = lock_within(**b, "5s", "chain");
  EXPECT_TRUE(other_schema) << "another schema's chain waited: " << Describe(other_schema.error());
  const Status same_schema = lock_within(**a, "200ms", "chain");
  ASSERT_FALSE(same_schema) << "the same schema's chain was not held";
  EXPECT_NE(same_schema.error().detail.find("lock timeout"), std::string::npos) << Describe(same_schema.error());
  finish();
  EXPECT_TRUE(holder_result) << Describe(holder_result.error());

  const std::string name = "chain-public-" + std::to_string(::getpid());
  ASSERT_OK((*pub)->Transact(TxMode::write, [&](Tx& tx) -> Status {
    if (auto r = tx.Exec("SET LOCAL search_path = public"); !r) return r.error();
    if (auto st = tx.LockChain(name); !st) return st;
    Rows rows = Select(**b, "SELECT pg_try_advisory_xact_lock(hashtext($1))", {name});
    EXPECT_EQ(rows.size(), 1U);
    if (!rows.empty()) EXPECT_EQ(rows.front().Int(0), 0) << "in public the key is hashtext(name)";
    return {};
  }));
}

TEST(PostgresTest, ResultsAreConvertedByColumnType) {
  auto db = ihos::testing::FreshDatabase(Backend::postgres, 1);
  Rows rows = Select(*db,
                     "SELECT CAST(7 AS SMALLINT), 8, CAST(9 AS BIGINT), CAST(1.5 AS REAL), "
                     "CAST(2.25 AS DOUBLE PRECISION), CAST(3.75 AS NUMERIC), TRUE, FALSE, "
                     "'text', CAST(NULL AS BIGINT), $1",
                     {std::int64_t{5}});
  ASSERT_EQ(rows.size(), 1u);
  const Row& r = rows[0];
  EXPECT_EQ(r.at(0), Value(std::int64_t{7}));
  EXPECT_EQ(r.at(1), Value(std::int64_t{8}));
  EXPECT_EQ(r.at(2), Value(std::int64_t{9}));
  EXPECT_EQ(r.at(3), Value(1.5));
  EXPECT_EQ(r.at(4), Value(2.25));
  EXPECT_EQ(r.at(5), Value(3.75));
  EXPECT_EQ(r.at(6), Value(std::int64_t{1}));
  EXPECT_EQ(r.at(7), Value(std::int64_t{0}));
  EXPECT_EQ(r.at(8), Value(std::string("text")));
  EXPECT_TRUE(r.IsNull(9));
  // An untyped parameter comes back as text: the documented gotcha.
  EXPECT_EQ(r.at(10), Value(std::string("5")));
  EXPECT_EQ(r.Int(10), 5);
}

TEST(RowTest, AccessorsConvert) {
  Row r({nullptr, std::int64_t{42}, 2.5, std::string("17"), std::string("abc"), std::string("-3.75")});
  EXPECT_EQ(r.Int(0), 0);
  EXPECT_EQ(r.Text(0), "");
  EXPECT_EQ(r.Real(0), 0.0);
  EXPECT_EQ(r.Int(1), 42);
  EXPECT_EQ(r.Text(1), "42");
  EXPECT_EQ(r.Real(1), 42.0);
  EXPECT_EQ(r.Int(2), 2);
  EXPECT_EQ(r.Text(2), "2.5");
  EXPECT_EQ(r.Int(3), 17);
  EXPECT_EQ(r.Real(3), 17.0);
  EXPECT_EQ(r.OptInt(3), std::optional<std::int64_t>(17));
  EXPECT_THROW(r.Int(4), std::invalid_argument);
  EXPECT_EQ(r.Real(5), -3.75);
  EXPECT_EQ(r.OptText(0), std::nullopt);
  EXPECT_THROW(r.at(6), std::out_of_range);
}

TEST(MigrationsTest, DialectMacrosExpandPerBackend) {
  const std::string sql = "CREATE TABLE t (id {{ID}}, x {{ID}})";
  EXPECT_EQ(ExpandDialect(sql, Backend::sqlite),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x INTEGER PRIMARY KEY "
            "AUTOINCREMENT)");
  EXPECT_EQ(ExpandDialect("id {{ID}}", Backend::postgres), "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  EXPECT_EQ(ExpandDialect("no macros", Backend::postgres), "no macros");
}

}  // namespace
}  // namespace ihos::store
