#include "store/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/text.hpp"
#include "store/backend_common.hpp"

namespace ihos::store::postgres {

namespace {

using detail::DatabaseError;
using detail::Unavailable;

// Type oids from pg_type (catalog constants, stable across releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

void IgnoreNotice(void*, const char*) {
  // NOTICEs ("relation already exists, skipping") are not errors; libpq would print them to
  // stderr, which is the server's log stream.
}

Value ConvertCell(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* p = PQgetvalue(res, row, col);
  const auto len = static_cast<std::size_t>(PQgetlength(res, row, col));
  const char* end = p + len;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t n = 0;
      if (auto [q, ec] = std::from_chars(p, end, n); ec == std::errc() && q == end) return n;
      break;
    }
    case kBoolOid:
      return std::int64_t{len > 0 && p[0] == 't' ? 1 : 0};
    case kNumericOid: {
      // SUM(bigint) and friends are numeric on PostgreSQL but integers on SQLite; keep the
      // integral ones integers so the same code reads them the same way.
      std::int64_t n = 0;
      if (auto [q, ec] = std::from_chars(p, end, n); ec == std::errc() && q == end) return n;
      [[fallthrough]];
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      if (auto [q, ec] = std::from_chars(p, end, d); ec == std::errc() && q == end) return d;
      break;
    }
    default:
      break;
  }
  return std::string(p, len);
}

// One PGconn. Used by one thread at a time (the pool hands it out exclusively).
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& uri) {
    // Keywords before "dbname" are defaults the URI may override; keywords after it win.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
    const char* vals[] = {"5", "ihos", uri.c_str(), "UTF8", nullptr};
    PGconn* c = PQconnectdbParams(keys, vals, /*expand_dbname=*/1);
    if (c == nullptr) return Unavailable("out of memory connecting to PostgreSQL");
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg = detail::TrimMessage(PQerrorMessage(c));
      PQfinish(c);
      return Unavailable("cannot connect to PostgreSQL: " + msg);
    }
    PQsetNoticeProcessor(c, IgnoreNotice, nullptr);
    return std::unique_ptr<Connection>(new Connection(c));
  }

  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool Usable() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }
  bool Reusable() const { return Usable() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  // Runs one statement; the result holds tuples or a command status. With `prepare`, the
  // statement is parsed and planned once per connection (PQprepare) and executed by name
  // afterwards: the application's SQL is a fixed set of texts, so the cache stays small.
  Result<PgResult> Run(std::string_view sql, const Params& params, bool prepare = false) {
    const std::string text(sql);  // libpq wants a NUL-terminated string
    const std::string* name = nullptr;
    if (prepare) {
      auto found = Prepared(text);
      if (!found) return found.error();
      name = *found;
    }
    std::vector<std::string> formatted(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        formatted[i] = std::to_string(*n);
        values[i] = formatted[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        formatted[i] = detail::FormatDouble(*d);
        values[i] = formatted[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        // libpq passes text params as C strings: a NUL would cut the value short silently.
        if (!ihos::text::IsStorableText(*s)) return detail::InvalidText(i);
        values[i] = s->c_str();
      }
    }
    PgResult res(name ? PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()), values.data(),
                                       /*paramLengths=*/nullptr, /*paramFormats=*/nullptr, /*resultFormat=*/0)
                      : PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()),
                                     /*paramTypes=*/nullptr, values.data(), /*paramLengths=*/nullptr,
                                     /*paramFormats=*/nullptr, /*resultFormat=*/0));
    return Check(std::move(res));
  }

  // Rolls back an open transaction; a connection that cannot is closed, not reused.
  void Rollback() {
    if (!Usable()) return;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    auto r = Run("ROLLBACK", {});
    if (!r || PQtransactionStatus(conn_) != PQTRANS_IDLE) broken_ = true;
  }

 private:
  explicit Connection(PGconn* c) : conn_(c) {}

  // The server-side name of `sql`'s prepared statement, preparing it on first use. A failed
  // prepare (bad SQL, an aborted transaction) is returned and not cached.
  Result<const std::string*> Prepared(const std::string& sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return &it->second;
    std::string name = "ihos_" + std::to_string(prepared_.size());
    auto res = Check(PgResult(PQprepare(conn_, name.c_str(), sql.c_str(), 0, /*paramTypes=*/nullptr)));
    if (!res) return res.error();
    return &prepared_.emplace(sql, std::move(name)).first->second;
  }

  Result<PgResult> Check(PgResult res) {
    if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
    if (!res) {
      std::string msg = detail::TrimMessage(PQerrorMessage(conn_));
      return broken_ ? Unavailable(std::move(msg)) : DatabaseError(std::move(msg));
    }
    switch (PQresultStatus(res.get())) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
        return res;
      case PGRES_EMPTY_QUERY:
        return DatabaseError("empty statement");
      default:
        return MapError(res.get());
    }
  }

  Error MapError(const PGresult* res) {
    const char* state_p = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    // The primary message names the constraint; DETAIL would echo the row's values (an ID
    // number, a phone), which must not travel into logs.
    std::string msg = detail::TrimMessage(primary ? primary : PQresultErrorMessage(res));
    const std::string_view state = state_p ? state_p : "";
    // Class 08 is the connection failing, except 08P01 (protocol_violation), which the
    // server also reports for a wrong parameter count: a bug, on a connection still fine.
    if (state.starts_with("08") && state != "08P01") broken_ = true;
    if (broken_) return Unavailable(std::move(msg));
    if (state == "23505") return detail::Conflict("unique_violation", std::move(msg));
    if (state == "23503") return detail::Conflict("foreign_key_violation", std::move(msg));
    if (state == "23514" || state == "23502") {
      return detail::Conflict("check_violation", std::move(msg));
    }
    // Serialization failures and deadlocks are transient: the caller may retry.
    if (state == "40001" || state == "40P01" || state.starts_with("57P") || state.starts_with("53")) {
      return Unavailable(std::move(msg));
    }
    return DatabaseError(std::move(msg));
  }

  PGconn* conn_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

class PgTx final : public Tx {
 public:
  explicit PgTx(Connection& c) : c_(c) {}

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    if (failed_) return detail::AfterFailure(*failed_);
    auto r = c_.Run(sql, params, /*prepare=*/true);
    if (!r) {
      failed_ = r.error();
      return r.error();
    }
    const PGresult* res = r->get();
    const int nrows = PQntuples(res);
    const int ncols = PQnfields(res);
    std::vector<Oid> types(ncols);
    for (int c = 0; c < ncols; ++c) types[c] = PQftype(res, c);
    Rows rows;
    rows.reserve(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> cols;
      cols.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cols.push_back(ConvertCell(res, i, c, types[c]));
      rows.emplace_back(std::move(cols));
    }
    return rows;
  }

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    if (failed_) return detail::AfterFailure(*failed_);
    auto r = c_.Run(sql, params, /*prepare=*/true);
    if (!r) {
      failed_ = r.error();
      return r.error();
    }
    const std::string_view count = PQcmdTuples(r->get());  // "" for commands without a count
    std::int64_t n = 0;
    std::from_chars(count.data(), count.data() + count.size(), n);
    return n;
  }

  Status LockChain(std::string_view name) override {
    // Keyed by the schema too when it is not public: a chain (the audit log, the migrations, a
    // doctor's slots) lives in the schema's own tables, so installations in two schemas of one
    // database do not wait on each other (the tests' ~460 schemas had queued every migration of
    // every test process on one lock). In public the key is `name` alone, as it always was, so
    // during a rolling upgrade old and new nodes still exclude each other (the bus's channel
    // follows the same rule, pg_bus.cpp ChannelFor).
    auto r = Exec(
        "SELECT pg_advisory_xact_lock(hashtext(CASE WHEN coalesce(current_schema(), 'public') = 'public' "
        "THEN $1::text ELSE current_schema() || '/' || $1::text END))",
        {std::string(name)});
    if (!r) return r.error();
    return {};
  }

  Backend backend() const override { return Backend::postgres; }

  const std::optional<Error>& failed() const { return failed_; }

 private:
  Connection& c_;
  std::optional<Error> failed_;
};

class PgDatabase final : public Database {
  using Pool = detail::ConnectionPool<Connection>;

 public:
  PgDatabase(std::string uri, int pool_size)
      : pool_(pool_size, [uri = std::move(uri)] { return Connection::Open(uri); }) {}

  Status Warm() {
    auto lease = pool_.Acquire();
    if (!lease) return lease.error();
    return {};
  }

  Status Transact(TxMode mode, const std::function<Status(Tx&)>& body) override {
    const char* begin = mode == TxMode::read ? "BEGIN READ ONLY" : "BEGIN";
    auto lease = AcquireAndRun(begin);
    if (!lease) return lease.error();
    Connection& c = **lease;

    PgTx tx(c);
    return detail::FinishTransaction(
        tx, body,
        [&c]() -> Status {
          auto commit = c.Run("COMMIT", {});
          if (!commit) return commit.error();
          // PostgreSQL answers ROLLBACK to a COMMIT of a transaction that had failed.
          if (std::string_view(PQcmdStatus(commit->get())) != "COMMIT")
            return DatabaseError("transaction was rolled back at COMMIT");
          return {};
        },
        [&c] { c.Rollback(); });
  }

  Status Ping() override {
    auto lease = AcquireAndRun("SELECT 1");
    if (!lease) return lease.error();
    return {};
  }

  Backend backend() const override { return Backend::postgres; }

 private:
  // A connection on which `sql` (BEGIN, SELECT 1) has just succeeded. An idle connection
  // can die unnoticed (server restart, idle timeout); that shows only on first use, before any
  // work was done, so it is replaced and the statement retried once on a fresh connection.
  Result<Pool::Lease> AcquireAndRun(const char* sql) {
    for (int attempt = 0;; ++attempt) {
      auto acquired = pool_.Acquire();
      if (!acquired) return acquired.error();
      Pool::Lease lease = std::move(*acquired);
      auto r = lease->Run(sql, {});
      if (r) return lease;
      if (lease->Usable() || attempt > 0) return r.error();
      // `lease` goes out of scope here; the pool closes the broken connection.
    }
  }

  Pool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenDatabase(std::string uri, int pool_size) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  if (opts == nullptr) {
    std::string msg = err ? detail::TrimMessage(err) : "cannot parse the PostgreSQL URI";
    PQfreemem(err);
    return MakeError(Errc::invalid_argument, "database_url_invalid", std::move(msg));
  }
  PQconninfoFree(opts);
  auto db = std::make_unique<PgDatabase>(std::move(uri), pool_size);
  if (auto st = db->Warm(); !st) return st.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace ihos::store::postgres
