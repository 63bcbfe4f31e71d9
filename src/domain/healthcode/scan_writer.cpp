#include "domain/healthcode/scan_writer.hpp"

#include <boost/json.hpp>
#include <exception>

#include "core/log.hpp"

namespace ihos::domain::healthcode {

namespace {
boost::json::array RequestIds(const std::vector<ScanJob*>& batch) {
  boost::json::array ids;
  for (const auto* j : batch) ids.push_back(boost::json::value(j->request_id));
  return ids;
}
}  // namespace

void ScanWriter::Submit(ScanJob& job) {
  std::unique_lock lk(mu_);
  queue_.push_back(&job);
  while (!job.done) {
    if (flushing_) {
      cv_.wait(lk);
      continue;
    }
    flushing_ = true;
    std::vector<ScanJob*> batch;
    batch.swap(queue_);
    lk.unlock();
    Status st = MakeError(Errc::internal, "internal_error");
    try {
      st = write_(batch);
    } catch (const std::exception& e) {
      log::Error("gate scan batch failed", {{"rid", job.request_id}, {"batch", RequestIds(batch)}, {"what", e.what()}});
    } catch (...) {
      log::Error("gate scan batch failed",
                 {{"rid", job.request_id}, {"batch", RequestIds(batch)}, {"what", "unknown"}});
    }
    lk.lock();
    for (auto* j : batch) {
      if (!st && !j->error) j->error = st.error();
      j->done = true;
    }
    flushing_ = false;
    cv_.notify_all();
  }
}

}  // namespace ihos::domain::healthcode
