#pragma once
// One Database interface over SQLite and PostgreSQL. SQL is written once, with $1, $2 ...
// placeholders (the SQLite backend rewrites them to ?1, ?2). Values cross the boundary as
// NULL, 64-bit integers, doubles or text; binary data is stored as hex or base64 text so one
// schema serves both backends.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace ihos::store {

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

// One result row. Column access is by index in SELECT order. Text columns come back as
// std::string, integer columns as int64 (PostgreSQL results are converted by column type).
class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(cols_.at(i)); }
  std::int64_t Int(std::size_t i) const;  // NULL -> 0; text is parsed
  double Real(std::size_t i) const;       // NULL -> 0
  std::string Text(std::size_t i) const;  // NULL -> ""; numbers are formatted
  std::optional<std::string> OptText(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::size_t size() const { return cols_.size(); }
  const Value& at(std::size_t i) const { return cols_.at(i); }

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;

enum class Backend { sqlite, postgres };

// A transaction on one connection. Not thread-safe; used by one thread between Begin and the
// end of Database::Transact. Errors:
//  - Errc::conflict with code "unique_violation" / "foreign_key_violation" / "check_violation"
//    and the constraint or message in `detail` when a constraint rejects the statement;
//  - Errc::unavailable ("database_unavailable") when the database cannot be reached or is busy
//    past its timeout;
//  - Errc::internal ("database_error") for anything else (bad SQL is a bug);
//  - Errc::invalid_argument ("invalid_text") for a text parameter that is not valid UTF-8 or
//    holds a NUL byte (PostgreSQL cannot store it; SQLite refuses it too).
// A failed statement ends the transaction on both backends: PostgreSQL aborts it, and the
// SQLite backend refuses further statements the same way (internal "database_error"), and
// Transact rolls back and returns the first error even when the body swallowed it. For an
// expected duplicate use INSERT ... ON CONFLICT DO NOTHING (both backends) instead of
// inserting and catching unique_violation.
//
// Writing SQL that runs on both backends:
//  - Parameters reach PostgreSQL as text with no declared type; the server infers each from
//    its context (a column it is compared with or inserted into, the other operand), once per
//    statement. `col = $1`, `VALUES ($1)`, `$1 + 1`, `b = $1 OR $1 IS NULL` are fine. With no
//    context, `$1 IS NULL` alone fails ("could not determine data type of parameter $1"),
//    `$1 + $2` fails ("operator is not unique: unknown + unknown"), and `SELECT $1` or
//    `COALESCE($1, $2)` come back as text: an int64 bound to an uncast `SELECT $1` is the
//    text "5" on PostgreSQL but the integer 5 on SQLite (Row::Int reads both; Row::at and
//    comparisons in SQL do not). Cast such parameters: `CAST($1 AS BIGINT)`,
//    `CAST($1 AS TEXT)` (portable; `$1::bigint` is PostgreSQL only).
//  - One parameter gets one type: `$1` compared with a TEXT column and with a BIGINT column in
//    the same statement fails on PostgreSQL ("operator does not exist: bigint = text").
//  - Results are converted by column type on PostgreSQL: integers -> int64, float/double ->
//    double, NUMERIC -> int64 when integral (SUM(bigint) is NUMERIC there) else double,
//    BOOLEAN -> 0/1, everything else text. Use BIGINT/TEXT columns; there is no boolean on
//    SQLite (store 0/1 in BIGINT with a CHECK).
//  - LIKE ignores ASCII case on SQLite but not on PostgreSQL; compare lower(x) when it matters.
//  - New ids: `INSERT ... RETURNING id` (both backends).
//  - One statement per call (both backends refuse a second one).
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement; returns the number of rows it changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Serialises appenders of one logical chain (e.g. the audit log) until this transaction
  // ends. SQLite write transactions are already serial (BEGIN IMMEDIATE); PostgreSQL takes a
  // transaction-level advisory lock keyed by `name` (and the schema, when not public).
  virtual Status LockChain(std::string_view name) = 0;
  virtual Backend backend() const = 0;
};

enum class TxMode { read, write };

// A pool of connections to one database. Thread-safe. Transact blocks the calling thread
// (call it from the worker pool, never from an I/O thread).
class Database {
 public:
  virtual ~Database() = default;

  // Runs `body` in one transaction: committed when it returns a value, rolled back when it
  // returns an error or throws. On SQLite a write transaction begins IMMEDIATE; on PostgreSQL
  // a read transaction is READ ONLY. A commit failure is returned as the error.
  virtual Status Transact(TxMode mode, const std::function<Status(Tx&)>& body) = 0;

  // Cheap liveness probe for /readyz.
  virtual Status Ping() = 0;
  virtual Backend backend() const = 0;

  // Typed convenience over Transact.
  template <class T, class F>
  Result<T> With(TxMode mode, F&& f) {
    std::optional<T> out;
    auto st = Transact(mode, [&](Tx& tx) -> Status {
      Result<T> r = f(tx);
      if (!r) return r.error();
      out.emplace(std::move(*r));
      return {};
    });
    if (!st) return st.error();
    return std::move(*out);
  }
};

// Inserts `rows_total` rows of `columns` values, many rows a statement: `head` VALUES ($1, ...),
// (...), ... `tail`, 400 rows a statement (fewer when 400 rows would pass SQLite's 32,766
// parameters). `row(i, params)` appends row i's values to `params`. `head` is
// "INSERT INTO t (c1, c2)", `tail` e.g. " ON CONFLICT DO NOTHING". One round trip a row costs ~0.1 ms on PostgreSQL (the drug
// catalogue's 8,600 rows took a second that way). Rows go in in order, so generated ids follow
// it as with one statement a row; with ON CONFLICT DO UPDATE no key may come twice (PostgreSQL
// refuses to update a row twice in one statement). Errors: those of Tx::Exec.
Status InsertRows(Tx& tx, std::string_view head, std::size_t columns, std::size_t rows_total,
                  const std::function<void(std::size_t, Params&)>& row, std::string_view tail = {});

// Opens "sqlite:PATH" (PATH may be ":memory:" only for single-connection tools) or
// "postgresql://..." / "postgres://..." (libpq connection URI). `pool_size` connections are
// opened lazily up to that number. Errors: invalid_argument (unknown scheme), unavailable.
Result<std::unique_ptr<Database>> Open(std::string_view url, int pool_size);

// Applies every migration in src/store/migrations (compiled in) that is not yet recorded in
// schema_migrations, each in its own transaction, in number order. Idempotent; safe when two
// processes start at once. Returns the names applied now.
Result<std::vector<std::string>> Migrate(Database& db);

// The names of the migrations recorded as applied, in order. Errors: those of store::Tx.
Result<std::vector<std::string>> AppliedMigrations(Database& db);

}  // namespace ihos::store
