#include "core/periodic.hpp"

namespace ihos {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> job)
    : interval_(interval), job_(std::move(job)), thread_([this] { Loop(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PeriodicTask::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    job_();
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace ihos
