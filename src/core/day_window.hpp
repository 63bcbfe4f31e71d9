#pragma once
// A window asked for by civil date and clock times (a home test visit, a home-care order): the
// one check of "date, start HH:MM, end HH:MM" in China Standard Time. Pure; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ihos {

struct DayWindow {
  std::int64_t start_at = 0, end_at = 0;  // Unix ms
};

// Appends to `errs` the field errors of the window: date (invalid_date, or out_of_range unless
// today <= date < today + ahead_days), start_time / end_time (time_format; the end may be
// "24:00"), end_time (end_before_start); then, only when `errs` (with the caller's own earlier
// errors) is still empty, start_time "window_past" for a window that has started by `now_ms`.
// Returns the window when `errs` is empty at the end.
std::optional<DayWindow> CheckDayWindow(const std::string& date, const std::string& start_time,
                                        const std::string& end_time, std::int64_t now_ms, int ahead_days,
                                        std::vector<FieldError>& errs);

}  // namespace ihos
