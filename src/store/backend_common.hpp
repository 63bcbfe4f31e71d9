#pragma once
// Internal to src/store: the pieces the SQLite and PostgreSQL backends share (error
// constructors, value formatting, text checks, the connection pool). Not part of the public
// store interface; repositories and services include store/database.hpp only.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace ihos::store::detail {

// How long Transact waits for a free connection (or, on SQLite, for the in-process writer
// slot) before giving up with Errc::unavailable. Long enough for any healthy queue; short
// enough that a deadlocked caller (a nested Transact on an exhausted pool) surfaces as an error.
inline constexpr std::chrono::seconds kPoolWait{30};

// Errc::unavailable, code "database_unavailable".
Error Unavailable(std::string detail);
// Errc::internal, code "database_error".
Error DatabaseError(std::string detail);
// Errc::conflict with `code` ("unique_violation", "foreign_key_violation", "check_violation").
Error Conflict(std::string code, std::string detail);
// Errc::invalid_argument, code "invalid_text": a text parameter that is not valid UTF-8 or
// holds a NUL byte (PostgreSQL cannot store either; SQLite is made to refuse them too).
Error InvalidText(std::size_t param_index);
// The error every statement gets after an earlier statement of the same transaction failed.
Error AfterFailure(const Error& first);

// Shortest text that parses back to exactly `v`; "NaN", "Infinity", "-Infinity" for the
// non-finite values (the spellings PostgreSQL accepts).
std::string FormatDouble(double v);

// Trims trailing whitespace (libpq and SQLite messages end with "\n" at times).
std::string TrimMessage(std::string_view s);

// A fixed-capacity pool of connections of type Conn, opened lazily by `factory`. Thread-safe.
// Conn must provide `bool Reusable() const`: false sends the connection to be closed on
// return (a broken link, a transaction left open) so the next Acquire opens a fresh one.
// The pool must outlive every Lease.
template <class Conn>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

  // Exclusive use of one connection; returns it to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept
        : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)), discard_(o.discard_) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (pool_ && conn_) pool_->Return(std::move(conn_), !discard_ && conn_->Reusable());
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }
    // Close the connection instead of pooling it.
    void Discard() { discard_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Conn> conn_;
    bool discard_ = false;
  };

  ConnectionPool(int capacity, Factory factory)
      : capacity_(capacity < 1 ? 1 : capacity), factory_(std::move(factory)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection, a newly opened one when below capacity, or one returned by another
  // thread within `wait`. Errors: whatever the factory returns; unavailable on timeout.
  Result<Lease> Acquire(std::chrono::milliseconds wait = kPoolWait) {
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      if (!idle_.empty()) {
        std::unique_ptr<Conn> c = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(c));
      }
      if (open_ < capacity_) {
        ++open_;
        lock.unlock();  // connecting may take a while; others may use idle connections meanwhile
        Result<std::unique_ptr<Conn>> c = MakeError(Errc::unavailable, "database_unavailable");
        try {
          c = factory_();
        } catch (...) {
          // The slot reserved above must come back, or a pool of one would stay full for good.
          lock.lock();
          --open_;
          cv_.notify_one();
          throw;
        }
        if (!c) {
          lock.lock();
          --open_;
          cv_.notify_one();
          return c.error();
        }
        return Lease(this, std::move(*c));
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= capacity_) {
        return Unavailable("timed out waiting for a free database connection");
      }
    }
  }

 private:
  void Return(std::unique_ptr<Conn> c, bool reuse) {
    if (!reuse) c.reset();  // close outside the lock
    std::lock_guard lock(mu_);
    if (reuse) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

  const int capacity_;
  Factory factory_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;  // idle + leased + being opened
};

// Runs `body` in the transaction `tx` (already begun on its connection) and ends it the one
// way both backends share: `commit()` when the body and every statement succeeded, otherwise
// `rollback()` and the first error — also when the body returned success after swallowing a
// failed statement. When the body throws, `rollback()` runs and the exception propagates.
template <class TxImpl, class CommitFn, class RollbackFn>
Status FinishTransaction(TxImpl& tx, const std::function<Status(Tx&)>& body, CommitFn commit, RollbackFn rollback) {
  Status result;
  try {
    result = body(tx);
  } catch (...) {
    rollback();
    throw;
  }
  if (result && tx.failed()) result = *tx.failed();
  if (!result) {
    rollback();
    return result;
  }
  if (Status st = commit(); !st) {
    rollback();
    return st;
  }
  return {};
}

}  // namespace ihos::store::detail
