#pragma once
// Runs a job once at construction and then every `interval` on its own thread, until
// destroyed (background sweeps: slots rolled forward, stale consultations closed).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ihos {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> job);
  ~PeriodicTask();  // stops and joins the thread (waits for a run in progress)
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Loop();
  std::chrono::milliseconds interval_;
  std::function<void()> job_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ihos
