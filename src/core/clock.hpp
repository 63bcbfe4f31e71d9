#pragma once
// Injectable time. Services take a Clock& so tests can move time by hand.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/civil_time.hpp"  // most users of a Clock also want the civil date of its time

namespace ihos {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in milliseconds.
  virtual std::int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock tests set and advance. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t now_ms) : now_(now_ms) {}
  std::int64_t NowMs() const override { return now_.load(); }
  void Advance(std::int64_t ms) { now_ += ms; }
  void Set(std::int64_t ms) { now_ = ms; }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace ihos
