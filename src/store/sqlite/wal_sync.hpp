#pragma once
// Group commit for the SQLite backend. Commits run with synchronous=NORMAL (no fsync of their
// own); a write that changed rows is not acknowledged until a flush of the WAL file that began
// after its COMMIT has finished, so a power cut never loses what a client was told succeeded. One
// flush covers every commit made before it started: writers arriving while one runs share the
// next, so throughput grows with concurrent writers instead of paying one fsync each (as
// synchronous=FULL would). A checkpoint moves frames into the database file and fsyncs it itself
// (WAL + NORMAL syncs at checkpoints). Thread-safe.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace ihos::store::sqlite {

class WalSync {
 public:
  // Makes everything written so far durable; false when it could not.
  using Flush = std::function<bool()>;

  explicit WalSync(Flush flush) : flush_(std::move(flush)) {}

  // fsync of the file at `path` as it is now (Linux flushes a file's dirty pages on fsync of any
  // descriptor of it, so a read-only one serves). Reopens when the file was replaced (SQLite makes
  // a new WAL on the first write after the last connection closed, having checkpointed all); a
  // missing file has nothing to flush. A new file's directory is fsynced too.
  static Flush FsyncFile(std::string path);

  // Call with the writer slot held, right after a COMMIT that changed rows; returns its ticket.
  std::uint64_t Committed();

  // Blocks until the commit with `ticket` is durable. Errors: unavailable (the flush failed: the
  // write may be lost, so it must not be reported as done).
  Status WaitDurable(std::uint64_t ticket);

  std::uint64_t flushes() const;

 private:
  Flush flush_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t committed_ = 0;
  std::uint64_t synced_ = 0;
  std::uint64_t flushes_ = 0;
  bool flushing_ = false;
};

}  // namespace ihos::store::sqlite
