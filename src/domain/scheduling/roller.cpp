#include "domain/scheduling/roller.hpp"

#include "core/log.hpp"

namespace ihos::domain::scheduling {

SlotRoller::SlotRoller(SchedulingService& svc, std::chrono::milliseconds interval)
    : svc_(svc), interval_(interval), thread_([this] { Loop(); }) {}

SlotRoller::~SlotRoller() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SlotRoller::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto n = svc_.RollSlots();
    if (n) {
      log::Info("slots rolled forward", {{"practitioners", *n}});
    } else {
      log::Warn("slot roll failed", {{"code", n.error().code}});
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace ihos::domain::scheduling
