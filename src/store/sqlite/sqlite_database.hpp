#pragma once
// The SQLite backend of store::Database (sqlite3 C API, 3.40).
//
// One file: up to `pool_size` reader connections opened lazily, and one writer connection.
// Each runs with journal_mode=WAL, foreign_keys=ON, busy_timeout=5000, synchronous=NORMAL and
// caches its prepared statements by SQL text. Read transactions run with PRAGMA query_only=ON so a
// write in one fails as it does in a PostgreSQL READ ONLY transaction.
// Write transactions are group-committed: concurrent ones are queued in-process and run one after
// another in one `BEGIN IMMEDIATE … COMMIT` on the writer connection, each in its own SAVEPOINT (a
// body that fails is rolled back alone; the others commit). A write that changed rows returns only
// after an fsync of the WAL that began after its COMMIT (one fsync serves every writer waiting), so
// what a caller was told is committed survives a power cut. The busy timeout still covers other
// processes on the same file. Tx::LockChain is a no-op: write transactions are already serial.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace ihos::store::sqlite {

// Opens the file at `path` (created if missing). ":memory:" gets a pool of one connection
// (every connection would otherwise see its own empty database). The first connection is
// opened now. Errors: Errc::unavailable ("database_unavailable") when it cannot be opened
// or configured.
Result<std::unique_ptr<Database>> OpenDatabase(std::string path, int pool_size);

// The group commit's figures for a database OpenDatabase opened (nullopt for any other): write
// transactions run, the shared transactions (batches) they ran in, and how many wait now.
struct GroupCommitStats {
  std::uint64_t batches = 0;
  std::uint64_t transactions = 0;
  std::size_t queued = 0;
};
std::optional<GroupCommitStats> GroupCommit(const Database& db);

// Rewrites PostgreSQL-style `$N` placeholders to SQLite's `?N`, leaving string literals,
// quoted identifiers, comments and identifiers that contain `$` untouched. (SQLite numbers
// `$N` parameters by first appearance, so `SELECT $2, $1` would bind the first value to $2.)
std::string RewritePlaceholders(std::string_view sql);

}  // namespace ihos::store::sqlite
