#pragma once
// Group commit of gate scans: a verifying thread submits its scan; the first thread to find no
// flush running writes every scan queued so far in one batch (one write transaction) and wakes
// the others; scans queued meanwhile form the next batch. Each caller returns only after the
// batch holding its scan was written (or failed).
//
// Thread-safe. The batch writer runs on the thread that flushes, never two at once. A writer
// that fails fails every scan of its batch that has no error of its own; one that throws is
// logged (with the request ids of the batch) and fails them with internal "internal_error".
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ihos::domain::healthcode {

struct ScanJob {
  // in
  std::string rid, kid, gate_name, result, request_id;
  std::optional<std::string> colour;
  std::optional<std::int64_t> venue_id;
  std::int64_t issued_s = 0, now = 0, gate_user = 0;
  // filled by the batch writer (result may become "revoked")
  std::optional<std::int64_t> user;
  std::int64_t scan_id = 0;
  bool checked_in = false;
  std::optional<Error> error;
  bool done = false;  // under the writer's lock
};

class ScanWriter {
 public:
  using WriteBatch = std::function<Status(const std::vector<ScanJob*>& batch)>;
  explicit ScanWriter(WriteBatch write) : write_(std::move(write)) {}

  // Blocks until the job's batch was written; then job.error says whether it was.
  void Submit(ScanJob& job);
  // Scans waiting for the next batch (for tests and gauges).
  std::size_t queued() {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

 private:
  WriteBatch write_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ScanJob*> queue_;
  bool flushing_ = false;
};

}  // namespace ihos::domain::healthcode
