// The gate's group commit (domain/healthcode/scan_writer.hpp) without a database: scans queued
// while a batch is written form the next batch, every caller returns only after its batch, and
// a failing or throwing writer fails the scans of its batch, not the writer.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "domain/healthcode/scan_writer.hpp"

namespace ihos::domain::healthcode {
namespace {

template <class F>
void WaitFor(F&& cond) {  // polls a condition; no timing is asserted
  for (int i = 0; i < 5000 && !cond(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(cond());
}

TEST(HealthCodeScanWriter, ScansQueuedDuringAFlushAreWrittenTogetherInTheNextBatch) {
  std::mutex mu;
  std::vector<std::size_t> batches;  // size of each batch written
  std::promise<void> release_first;
  std::shared_future<void> first_may_end = release_first.get_future().share();
  std::atomic<bool> first_started{false};
  std::int64_t next_id = 1;
  ScanWriter writer([&](const std::vector<ScanJob*>& batch) -> Status {
    {
      std::lock_guard lock(mu);
      batches.push_back(batch.size());
      for (auto* j : batch) j->scan_id = next_id++;
    }
    if (!first_started.exchange(true)) first_may_end.wait();  // hold the first batch open
    return {};
  });

  ScanJob first;
  auto a = std::async(std::launch::async, [&] { writer.Submit(first); });
  WaitFor([&] { return first_started.load(); });
  std::vector<ScanJob> later(5);
  std::vector<std::future<void>> waits;
  for (auto& j : later) waits.push_back(std::async(std::launch::async, [&writer, &j] { writer.Submit(j); }));
  // All five wait behind the running flush; none of them has been answered.
  WaitFor([&] { return writer.queued() == later.size(); });
  for (auto& w : waits) EXPECT_EQ(w.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  release_first.set_value();
  a.get();
  for (auto& w : waits) w.get();

  EXPECT_FALSE(first.error);
  EXPECT_EQ(first.scan_id, 1);
  std::set<std::int64_t> ids;
  for (const auto& j : later) {
    EXPECT_FALSE(j.error);
    EXPECT_TRUE(j.done);
    ids.insert(j.scan_id);
  }
  EXPECT_EQ(ids.size(), later.size()) << "every scan got its own id";
  std::lock_guard lock(mu);
  EXPECT_EQ(batches, (std::vector<std::size_t>{1, 5})) << "the scans queued during the first flush form one batch";
}

TEST(HealthCodeScanWriter, AFailedBatchFailsItsScansButKeepsAScansOwnError) {
  ScanWriter writer([](const std::vector<ScanJob*>& batch) -> Status {
    for (auto* j : batch)
      if (j->venue_id) j->error = MakeError(Errc::not_found, "venue_not_found");
    return MakeError(Errc::unavailable, "database_unavailable");
  });
  ScanJob plain, at_venue;
  at_venue.venue_id = 7;
  writer.Submit(plain);
  writer.Submit(at_venue);
  ASSERT_TRUE(plain.error);
  EXPECT_EQ(plain.error->code, "database_unavailable");
  ASSERT_TRUE(at_venue.error);
  EXPECT_EQ(at_venue.error->code, "venue_not_found");
}

TEST(HealthCodeScanWriter, AThrowingWriterFailsTheBatchWithInternalErrorAndTheNextBatchRuns) {
  int calls = 0;
  ScanWriter writer([&](const std::vector<ScanJob*>& batch) -> Status {
    if (++calls == 1) throw std::runtime_error("driver exploded");
    for (auto* j : batch) j->scan_id = 42;
    return {};
  });
  ScanJob a, b;
  a.request_id = "req-a";
  writer.Submit(a);
  ASSERT_TRUE(a.error);
  EXPECT_EQ(a.error->code, "internal_error");
  writer.Submit(b);
  EXPECT_FALSE(b.error) << "the writer is not left flushing after a throw";
  EXPECT_EQ(b.scan_id, 42);
}

}  // namespace
}  // namespace ihos::domain::healthcode
