#include "core/day_window.hpp"

#include "core/civil_time.hpp"

namespace ihos {

std::optional<DayWindow> CheckDayWindow(const std::string& date, const std::string& start_time,
                                        const std::string& end_time, std::int64_t now, int ahead_days,
                                        std::vector<FieldError>& errs) {
  const std::string today = CivilDateCst(now);
  auto start = ParseHhmm(start_time, false);
  auto end = ParseHhmm(end_time, true);
  if (!IsValidIsoDate(date))
    errs.push_back({"date", "invalid_date"});
  else if (date < today || date >= AddDays(today, ahead_days))
    errs.push_back({"date", "out_of_range"});
  if (!start) errs.push_back({"start_time", "time_format"});
  if (!end) errs.push_back({"end_time", "time_format"});
  if (start && end && *end <= *start) errs.push_back({"end_time", "end_before_start"});
  if (errs.empty() && CstMs(date, *start) <= now) errs.push_back({"start_time", "window_past"});
  if (!errs.empty()) return std::nullopt;
  return DayWindow{CstMs(date, *start), CstMs(date, *end)};
}

}  // namespace ihos
