#pragma once
// The SQLite backend of store::Database (sqlite3 C API, 3.40).
//
// One file, up to `pool_size` connections opened lazily; each connection runs with
// journal_mode=WAL, foreign_keys=ON, busy_timeout=5000, synchronous=NORMAL and caches its
// prepared statements by SQL text. A write transaction that changed rows returns only after an
// fsync of the WAL that began after its COMMIT (group commit: one fsync serves every writer
// waiting), so what a caller was told is committed survives a power cut. Write transactions begin IMMEDIATE and are
// also queued on an in-process writer lock (SQLite admits one writer at a time; queueing in-process is fairer and
// faster than every writer polling the busy handler). The busy timeout still covers other processes on the same file.
// Read transactions run with PRAGMA query_only=ON so a write in one fails as it does in a PostgreSQL READ ONLY
// transaction. Tx::LockChain is a no-op: write transactions are already serial.
#include <memory>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace ihos::store::sqlite {

// Opens the file at `path` (created if missing). ":memory:" gets a pool of one connection
// (every connection would otherwise see its own empty database). The first connection is
// opened now. Errors: Errc::unavailable ("database_unavailable") when it cannot be opened
// or configured.
Result<std::unique_ptr<Database>> OpenDatabase(std::string path, int pool_size);

// Rewrites PostgreSQL-style `$N` placeholders to SQLite's `?N`, leaving string literals,
// quoted identifiers, comments and identifiers that contain `$` untouched. (SQLite numbers
// `$N` parameters by first appearance, so `SELECT $2, $1` would bind the first value to $2.)
std::string RewritePlaceholders(std::string_view sql);

}  // namespace ihos::store::sqlite
