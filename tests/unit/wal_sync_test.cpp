// Group commit (store/sqlite/wal_sync): a write is acknowledged only after a flush that began
// after its commit, writers waiting together share one flush, and a failed flush is never
// reported as durable.
#include "store/sqlite/wal_sync.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

namespace ihos::store::sqlite {
namespace {

// A flush the test opens and closes by hand; records the highest ticket issued when each began.
struct GatedFlush {
  std::mutex mu;
  std::condition_variable cv;
  int open_gates = 0;  // flushes allowed to finish
  int started = 0;
  bool ok = true;
  bool operator()() {
    std::unique_lock<std::mutex> l(mu);
    ++started;
    cv.notify_all();
    cv.wait(l, [&] { return open_gates > 0; });
    --open_gates;
    return ok;
  }
  void Open() {
    std::lock_guard<std::mutex> l(mu);
    ++open_gates;
    cv.notify_all();
  }
  void WaitStarted(int n) {
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return started >= n; });
  }
};

TEST(WalSync, AWriteWaitsForAFlushThatBeganAfterItsCommit) {
  auto gate = std::make_shared<GatedFlush>();
  WalSync sync([gate] { return (*gate)(); });
  const auto first = sync.Committed();
  auto a = std::async(std::launch::async, [&] { return sync.WaitDurable(first); });
  gate->WaitStarted(1);  // the leader's flush is running for ticket 1 only
  const auto second = sync.Committed();
  const auto third = sync.Committed();
  auto b = std::async(std::launch::async, [&] { return sync.WaitDurable(second); });
  auto c = std::async(std::launch::async, [&] { return sync.WaitDurable(third); });
  gate->Open();  // the first flush ends: it began before 2 and 3 committed, so they still wait
  ASSERT_TRUE(a.get());
  gate->WaitStarted(2);
  EXPECT_EQ(b.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  EXPECT_EQ(c.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  gate->Open();  // one flush covers both
  EXPECT_TRUE(b.get());
  EXPECT_TRUE(c.get());
  EXPECT_EQ(sync.flushes(), 2u) << "three commits, two flushes: the last two shared one";
  EXPECT_TRUE(sync.WaitDurable(third)) << "already durable: no new flush";
  EXPECT_EQ(sync.flushes(), 2u);
}

TEST(WalSync, AFailedFlushIsNeverReportedDurable) {
  bool ok = false;
  int calls = 0;
  WalSync sync([&] {
    ++calls;
    return ok;
  });
  const auto t = sync.Committed();
  auto st = sync.WaitDurable(t);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().errc, Errc::unavailable);
  ok = true;  // the disk is back: the same ticket is flushed again, not assumed done
  EXPECT_TRUE(sync.WaitDurable(t));
  EXPECT_EQ(calls, 2);
}

TEST(WalSync, FsyncFileFlushesARealFileAndToleratesAMissingOne) {
  const auto dir = std::filesystem::temp_directory_path() / ("ihos-walsync-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto wal = dir / "db-wal";
  auto flush = WalSync::FsyncFile(wal.string());
  EXPECT_TRUE(flush()) << "no WAL yet: nothing to flush";
  std::ofstream(wal) << "frames";
  EXPECT_TRUE(flush());
  std::filesystem::remove(wal);
  std::ofstream(wal) << "a new file";  // replaced (another inode): reopened, not the stale one
  EXPECT_TRUE(flush());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ihos::store::sqlite
