#pragma once
// Injectable time. Services take a Clock& so tests can move time by hand.
#include <atomic>
#include <optional>
#include <string_view>
#include <chrono>
#include <cstdint>

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
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
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

// "YYYY-MM-DD" of a Unix ms time in China Standard Time (UTC+8, no DST): the civil date that
// ages and ID-number birth dates are compared against.
std::string CivilDateCst(std::int64_t unix_ms);
// Unix ms of 00:00 China Standard Time on the civil date "YYYY-MM-DD"; nullopt when the text is
// not a real date in that exact form.
std::optional<std::int64_t> CstMidnightMs(std::string_view date);
inline bool IsValidIsoDate(std::string_view date) { return CstMidnightMs(date).has_value(); }

}  // namespace ihos
