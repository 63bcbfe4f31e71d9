#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "store/backend_common.hpp"
#include "store/sqlite/wal_sync.hpp"

namespace ihos::store::sqlite {

namespace {

using detail::DatabaseError;
using detail::Unavailable;

constexpr int kBusyTimeoutMs = 5000;
// Statements come from string literals in the code, so the cache stays small; the bound
// only guards against SQL built at run time (e.g. IN lists of varying length).
constexpr std::size_t kMaxCachedStatements = 256;

Error MapError(int extended_code, const char* message) {
  std::string detail = message ? message : sqlite3_errstr(extended_code);
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return detail::Conflict("unique_violation", std::move(detail));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return detail::Conflict("foreign_key_violation", std::move(detail));
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return detail::Conflict("check_violation", std::move(detail));
    default:
      break;
  }
  const int primary = extended_code & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Unavailable(std::move(detail));
  return DatabaseError(std::move(detail));
}

bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One sqlite3 handle and its statement cache. Used by one thread at a time (the pool hands it
// out exclusively), hence SQLITE_OPEN_NOMUTEX.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close_v2(db);
      return Unavailable("cannot open SQLite database " + path + ": " + msg);
    }
    auto conn = std::unique_ptr<Connection>(new Connection(db));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    char* err = nullptr;
    // WAL lets readers run beside the one writer; NORMAL skips the fsync per commit, which
    // SqliteDatabase then does for a group of commits before any of them is acknowledged
    // (WalSync below), so a power cut loses nothing a client was told succeeded.
    const int prc = sqlite3_exec(db,
                                 "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                                 "PRAGMA synchronous=NORMAL;",
                                 nullptr, nullptr, &err);
    if (prc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(prc);
      sqlite3_free(err);
      return Unavailable("cannot configure SQLite database " + path + ": " + msg);
    }
    return conn;
  }

  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Rows inserted, updated or deleted on this connection since it opened.
  std::int64_t TotalChanges() const { return sqlite3_total_changes64(db_); }
  bool Reusable() const { return !broken_ && !InTransaction(); }
  void MarkBroken() { broken_ = true; }

  // Runs one statement. `rows` receives the result rows when not null; `changed` the number
  // of rows an INSERT/UPDATE/DELETE changed (or, for a query, the rows it returned).
  Status Run(std::string_view sql, const Params& params, Rows* rows, std::int64_t* changed) {
    auto prepared = Prepare(sql);
    if (!prepared) return prepared.error();
    sqlite3_stmt* stmt = *prepared;
    // Reset even on error paths: a statement left mid-step would keep its read snapshot.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};

    const int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<std::size_t>(expected) != params.size()) {
      return DatabaseError("statement takes " + std::to_string(expected) + " parameters, got " +
                           std::to_string(params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else {
        const std::string& s = std::get<std::string>(v);
        if (!ihos::text::IsStorableText(s)) return detail::InvalidText(i);
        // SQLITE_STATIC: `params` outlives the statement's use (reset before we return).
        rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return MapError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
    }

    const bool read_only = sqlite3_stmt_readonly(stmt) != 0;
    const sqlite3_int64 total_before = sqlite3_total_changes64(db_);
    std::int64_t returned = 0;
    const int ncols = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return MapError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
      ++returned;
      if (!rows) continue;
      std::vector<Value> cols;
      cols.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            cols.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            cols.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            cols.emplace_back(nullptr);
            break;
          default: {  // TEXT or BLOB: the bytes as they are
            const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            const int len = sqlite3_column_bytes(stmt, c);
            cols.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(len)));
          }
        }
      }
      rows->emplace_back(std::move(cols));
    }
    if (changed) {
      // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, even after a DDL
      // statement or a query; total_changes only moves when this statement changed rows.
      if (read_only) {
        *changed = returned;
      } else {
        *changed = sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
      }
    }
    return {};
  }

  // Runs a statement with no parameters and no result (BEGIN, COMMIT, PRAGMA ...).
  Status Simple(std::string_view sql) { return Run(sql, {}, nullptr, nullptr); }

  // Read transactions run with query_only so a write fails as in PostgreSQL READ ONLY;
  // remembered so the pragma only runs when the mode changes.
  Status SetQueryOnly(bool on) {
    if (query_only_ == on) return {};
    auto st = Simple(on ? "PRAGMA query_only=ON" : "PRAGMA query_only=OFF");
    if (st) query_only_ = on;
    return st;
  }

  // Rolls back if a transaction is open (SQLite ends some transactions itself on error).
  // A failing rollback leaves the connection in an unknown state: it is closed, not reused.
  void Rollback() {
    if (!InTransaction()) return;
    if (!Simple("ROLLBACK") || InTransaction()) MarkBroken();
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
      cache_.clear();
    }
    const std::string rewritten = RewritePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, rewritten.data(), static_cast<int>(rewritten.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, &tail);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return MapError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
    }
    if (stmt == nullptr) return DatabaseError("empty statement");
    // One statement per call, as PostgreSQL's extended protocol requires: a second statement
    // after the first would otherwise be ignored silently.
    const char* end = rewritten.data() + rewritten.size();
    if (tail && tail < end) {
      sqlite3_stmt* extra = nullptr;
      rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &extra, nullptr);
      const bool more = rc != SQLITE_OK || extra != nullptr;
      sqlite3_finalize(extra);
      if (more) {
        sqlite3_finalize(stmt);
        return DatabaseError("more than one statement in one call");
      }
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> cache_;
  bool query_only_ = false;
  bool broken_ = false;
};

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& c) : c_(c) {}

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    if (failed_) return detail::AfterFailure(*failed_);
    Rows rows;
    auto st = c_.Run(sql, params, &rows, nullptr);
    if (!st) {
      failed_ = st.error();
      return st.error();
    }
    return rows;
  }

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    if (failed_) return detail::AfterFailure(*failed_);
    std::int64_t changed = 0;
    auto st = c_.Run(sql, params, nullptr, &changed);
    if (!st) {
      failed_ = st.error();
      return st.error();
    }
    return changed;
  }

  Status LockChain(std::string_view) override {
    if (failed_) return detail::AfterFailure(*failed_);
    return {};
  }

  Backend backend() const override { return Backend::sqlite; }

  const std::optional<Error>& failed() const { return failed_; }

 private:
  Connection& c_;
  std::optional<Error> failed_;
};

// Group commit of write transactions (one writer per database). A writer queues its body; the
// first writer to find no batch running becomes the leader: it takes up to kMaxBatch queued
// bodies, runs them in ONE `BEGIN IMMEDIATE … COMMIT` on the writer connection, each inside its
// own SAVEPOINT, so a body that fails (or throws) is rolled back alone and the others commit;
// then it wakes their callers. Every caller whose body succeeded then waits for the WAL fsync
// that covers the shared commit (WalSync) before it returns, so nothing is acknowledged before it
// is durable. Concurrent writers thus share one BEGIN, one COMMIT (the pages they touch are
// written to the WAL once) and one fsync. Bodies run on the leader's thread, one after another in
// queue order, exactly as they would have under a writer lock.
class GroupWriter {
 public:
  using Pool = detail::ConnectionPool<Connection>;
  static constexpr std::size_t kMaxBatch = 64;

  GroupWriter(Pool& connections, WalSync* wal_sync) : connections_(connections), wal_sync_(wal_sync) {}

  Status Write(const std::function<Status(Tx&)>& body) {
    Job job{&body, {}, {}};
    std::unique_lock lock(mu_);
    queue_.push_back(&job);
    const auto deadline = std::chrono::steady_clock::now() + detail::kPoolWait;
    while (!job.done && leader_) {
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && !job.done && leader_) {
        // Still queued: give up (the body never ran). Already taken into a batch: it is running
        // and refers to this frame, so wait for its outcome whatever the time.
        if (auto it = std::find(queue_.begin(), queue_.end(), &job); it != queue_.end()) {
          queue_.erase(it);
          return Unavailable("timed out waiting for the SQLite writer");
        }
        cv_.wait(lock, [&] { return job.done; });
      }
    }
    if (!job.done) Lead(lock, job);
    lock.unlock();
    if (job.exception) std::rethrow_exception(job.exception);
    if (!job.result) return job.result;
    if (job.durable_ticket == 0 || !wal_sync_) return {};
    return wal_sync_->WaitDurable(job.durable_ticket);
  }

  GroupCommitStats Stats() const {
    GroupCommitStats out;
    out.batches = batches_.load();
    out.transactions = jobs_.load();
    std::lock_guard lock(mu_);
    out.queued = queue_.size();
    return out;
  }

 private:
  struct Job {
    const std::function<Status(Tx&)>* body;
    Status result;
    std::exception_ptr exception;
    std::uint64_t durable_ticket = 0;
    bool done = false;
  };

  // Runs batches until `mine` is done, then lets the next waiter lead.
  void Lead(std::unique_lock<std::mutex>& lock, Job& mine) {
    leader_ = true;
    while (!mine.done) {
      // A fixed array: taking jobs off the queue cannot fail half-way (no allocation).
      std::array<Job*, kMaxBatch> taken{};
      std::size_t n = 0;
      while (!queue_.empty() && n < kMaxBatch) {
        taken[n++] = queue_.front();
        queue_.pop_front();
      }
      const std::span<Job* const> batch(taken.data(), n);
      lock.unlock();
      try {
        RunBatch(batch);
      } catch (...) {
        // Out of memory and the like, outside any body: none of the batch may be told it
        // succeeded, and the queue must go on.
        for (Job* j : batch)
          if (!j->exception) j->exception = std::current_exception();
      }
      lock.lock();
      for (Job* j : batch) j->done = true;
      cv_.notify_all();
    }
    leader_ = false;
    cv_.notify_all();  // a queued writer becomes the next leader
  }

  void RunBatch(std::span<Job* const> batch) {
    ++batches_;
    jobs_ += batch.size();
    auto fail_all = [&](const Error& e) {
      for (Job* j : batch) j->result = e;
    };
    auto acquired = connections_.Acquire();
    if (!acquired) return fail_all(acquired.error());
    Pool::Lease lease = std::move(*acquired);
    Connection& c = *lease;
    if (auto st = c.SetQueryOnly(false); !st) return fail_all(st.error());
    if (auto st = c.Simple("BEGIN IMMEDIATE"); !st) return fail_all(st.error());
    const std::int64_t changes_before = c.TotalChanges();
    if (batch.size() == 1) {
      // Alone: the body is the transaction, as without grouping.
      Job& j = *batch.front();
      SqliteTx tx(c);
      try {
        j.result = detail::FinishTransaction(
            tx, *j.body, [&c] { return c.Simple("COMMIT"); }, [&c] { c.Rollback(); });
      } catch (...) {
        j.exception = std::current_exception();
        return;
      }
    } else {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        Job& j = *batch[i];
        if (!c.InTransaction()) {
          // SQLite ended the shared transaction itself (I/O error, disk full): what the earlier
          // bodies wrote is gone, so they fail too; the rest never ran.
          for (std::size_t k = 0; k < batch.size(); ++k)
            if (batch[k]->result && !batch[k]->exception)
              batch[k]->result = Unavailable("the SQLite write transaction was rolled back by the database");
          return;
        }
        if (auto st = c.Simple("SAVEPOINT grouped"); !st) {
          j.result = st;
          continue;
        }
        SqliteTx tx(c);
        bool open = true;  // the savepoint
        auto undo = [&c, &open] {
          if (!c.InTransaction()) return;
          if (!c.Simple("ROLLBACK TO grouped") || !c.Simple("RELEASE grouped")) c.Rollback();
          open = false;
        };
        auto release = [&c, &open] {
          Status st = c.Simple("RELEASE grouped");
          if (st) open = false;
          return st;
        };
        try {
          j.result = detail::FinishTransaction(tx, *j.body, release, undo);
        } catch (...) {
          j.exception = std::current_exception();
          // A throw from the release itself left the savepoint open: undo it, or (should that
          // throw too) let the whole batch fail — its connection is then closed, rolling back.
          if (open) undo();
        }
      }
      if (!c.InTransaction()) {
        for (Job* j : batch)
          if (j->result && !j->exception) j->result = Unavailable("the SQLite write transaction was rolled back by the database");
        return;
      }
      if (auto st = c.Simple("COMMIT"); !st) {
        c.Rollback();
        for (Job* j : batch)
          if (j->result && !j->exception) j->result = st;
        return;
      }
    }
    if (!wal_sync_ || c.TotalChanges() == changes_before) return;
    const std::uint64_t ticket = wal_sync_->Committed();
    for (Job* j : batch)
      if (j->result && !j->exception) j->durable_ticket = ticket;
  }

  Pool& connections_;
  WalSync* wal_sync_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> queue_;
  bool leader_ = false;
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> jobs_{0};
};

class SqliteDatabase final : public Database {
 public:
  // A file gets one writer connection of its own besides the `pool_size` readers, so neither
  // ever switches query_only (a PRAGMA that expires every prepared statement of the connection,
  // which then re-parses each one). ":memory:" has one connection for both.
  SqliteDatabase(std::string path, int pool_size)
      : pool_(pool_size, [path] { return Connection::Open(path); }),
        in_memory_(path == ":memory:" || path.empty()),
        own_writer_(1, [path] { return Connection::Open(path); }),
        wal_sync_(in_memory_ ? nullptr : std::make_unique<WalSync>(WalSync::FsyncFile(path + "-wal"))),
        writer_(in_memory_ ? pool_ : own_writer_, wal_sync_.get()) {}

  // Opens the first connection so a bad path fails at start-up, not at the first request.
  Status Warm() {
    auto lease = pool_.Acquire();
    if (!lease) return lease.error();
    return {};
  }

  Status Transact(TxMode mode, const std::function<Status(Tx&)>& body) override {
    if (mode == TxMode::write) return writer_.Write(body);
    auto acquired = pool_.Acquire();
    if (!acquired) return acquired.error();
    Pool::Lease lease = std::move(*acquired);
    Connection& c = *lease;
    if (auto st = c.SetQueryOnly(true); !st) return st.error();
    if (auto st = c.Simple("BEGIN"); !st) return st.error();
    SqliteTx tx(c);
    return detail::FinishTransaction(
        tx, body, [&c] { return c.Simple("COMMIT"); }, [&c] { c.Rollback(); });
  }

  Status Ping() override {
    auto acquired = pool_.Acquire();
    if (!acquired) return acquired.error();
    Pool::Lease lease = std::move(*acquired);
    Rows rows;
    return lease->Run("SELECT 1", {}, &rows, nullptr);
  }

  Backend backend() const override { return Backend::sqlite; }

  GroupCommitStats Stats() const { return writer_.Stats(); }

 private:
  using Pool = detail::ConnectionPool<Connection>;
  Pool pool_;
  bool in_memory_;
  Pool own_writer_;
  std::unique_ptr<WalSync> wal_sync_;
  GroupWriter writer_;
};

}  // namespace

std::optional<GroupCommitStats> GroupCommit(const Database& db) {
  if (const auto* s = dynamic_cast<const SqliteDatabase*>(&db)) return s->Stats();
  return std::nullopt;
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string path, int pool_size) {
  if (path == ":memory:") pool_size = 1;
  auto db = std::make_unique<SqliteDatabase>(std::move(path), pool_size);
  if (auto st = db->Warm(); !st) return st.error();
  return std::unique_ptr<Database>(std::move(db));
}

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  const std::size_t n = sql.size();
  std::size_t i = 0;
  // Copies sql[i..] up to and including the first `close` (or to the end).
  auto copy_until = [&](std::string_view close) {
    const std::size_t at = sql.find(close, i);
    const std::size_t stop = at == std::string_view::npos ? n : at + close.size();
    out.append(sql.substr(i, stop - i));
    i = stop;
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      // Quoted text: a doubled quote ('it''s') is two adjacent quoted runs, so it works out.
      out += c;
      ++i;
      copy_until(std::string_view(&c, 1));
    } else if (c == '[') {
      copy_until("]");
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      copy_until("\n");
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      out += "/*";
      i += 2;
      copy_until("*/");
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])) &&
               !(i > 0 && IsIdentChar(static_cast<unsigned char>(sql[i - 1])))) {
      out += '?';
      ++i;
    } else if (IsIdentChar(static_cast<unsigned char>(c))) {
      // A whole identifier or number at once, so `a$1` stays an identifier.
      while (i < n && IsIdentChar(static_cast<unsigned char>(sql[i]))) out += sql[i++];
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace ihos::store::sqlite
