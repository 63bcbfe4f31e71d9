#pragma once
// Copies a SQLite database file with SQLite's online backup API: a consistent snapshot, taken page
// by page while ihosd keeps running (writers are not blocked for the whole copy), then fsynced.
#include <string>

#include "core/error.hpp"

namespace ihos::store::sqlite {

// Copies `from` (which must exist) into `to` (created or overwritten). Errors: unavailable (cannot
// open, copy or sync; `to` may then be incomplete and must not be used).
Status CopyDatabase(const std::string& from, const std::string& to);

// Makes `path` one self-contained file (rollback journal, no -wal/-shm beside it) and fsyncs it.
// Errors: unavailable.
Status Seal(const std::string& path);

}  // namespace ihos::store::sqlite
