#pragma once
// Rolls materialised slots forward: calls SchedulingService::RollSlots once at construction
// and then every `interval` on its own thread, until destroyed.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/scheduling/service.hpp"

namespace ihos::domain::scheduling {

class SlotRoller {
 public:
  SlotRoller(SchedulingService& svc, std::chrono::milliseconds interval);
  ~SlotRoller();  // stops and joins the thread (waits for a roll in progress)
  SlotRoller(const SlotRoller&) = delete;
  SlotRoller& operator=(const SlotRoller&) = delete;

 private:
  void Loop();
  SchedulingService& svc_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ihos::domain::scheduling
