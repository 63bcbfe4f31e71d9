#include "store/sqlite/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/backend_common.hpp"

namespace ihos::store::sqlite {

namespace {
struct Handle {
  sqlite3* db = nullptr;
  ~Handle() { sqlite3_close_v2(db); }
};
}  // namespace

Status CopyDatabase(const std::string& from, const std::string& to) {
  Handle src, dst;
  if (sqlite3_open_v2(from.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return detail::Unavailable("cannot open " + from + ": " + sqlite3_errmsg(src.db));
  sqlite3_busy_timeout(src.db, 5000);
  if (sqlite3_open_v2(to.c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return detail::Unavailable("cannot create " + to + ": " + sqlite3_errmsg(dst.db));
  sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!b) return detail::Unavailable(std::string("backup: ") + sqlite3_errmsg(dst.db));
  int rc;
  // 1,000 pages (4 MB) a step: a writer of the live database waits at most one step.
  while ((rc = sqlite3_backup_step(b, 1000)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    if (rc != SQLITE_OK) sqlite3_sleep(20);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return detail::Unavailable(std::string("backup: ") + sqlite3_errstr(rc));
  return {};
}

Status Seal(const std::string& path) {
  Handle db;
  if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return detail::Unavailable("cannot open " + path + ": " + sqlite3_errmsg(db.db));
  char* err = nullptr;
  if (sqlite3_exec(db.db, "PRAGMA journal_mode=DELETE;", nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "journal_mode";
    sqlite3_free(err);
    return detail::Unavailable("seal: " + msg);
  }
  sqlite3_close_v2(db.db);
  db.db = nullptr;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return detail::Unavailable("seal: cannot sync " + path);
  }
  ::close(fd);
  return {};
}

}  // namespace ihos::store::sqlite
