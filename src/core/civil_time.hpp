#pragma once
// Civil time in China (China Standard Time, UTC+8, no daylight saving): dates "YYYY-MM-DD",
// days since 1970-01-01, clock times "HH:MM" and the Unix milliseconds they stand for. The one
// home of these helpers; capabilities call them instead of keeping copies. Pure functions;
// thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ihos {

inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
inline constexpr std::int64_t kCstOffsetMs = 8LL * 3600 * 1000;

// "YYYY-MM-DD" of a Unix ms time in China Standard Time: the civil date that ages and
// ID-number birth dates are compared against.
std::string CivilDateCst(std::int64_t unix_ms);
// Unix ms of 00:00 China Standard Time on the civil date "YYYY-MM-DD"; nullopt when the text is
// not a real date in that exact form.
std::optional<std::int64_t> CstMidnightMs(std::string_view date);
inline bool IsValidIsoDate(std::string_view date) { return CstMidnightMs(date).has_value(); }

// "YYYY-MM-DD" of a real date (1970..9999) -> days since 1970-01-01; nullopt otherwise.
std::optional<std::int64_t> DateToDays(std::string_view date);
// Days since 1970-01-01 -> "YYYY-MM-DD".
std::string DaysToDate(std::int64_t days);
// The date `n` days after `date` (a valid date; n may be negative).
std::string AddDays(const std::string& date, std::int64_t n);
// ISO weekday of a valid date: Monday = 1 .. Sunday = 7.
int WeekdayOf(const std::string& date);

// "HH:MM" -> minutes after midnight. 00:00 .. 23:59; "24:00" (1440) only when `end` is true.
std::optional<int> ParseHhmm(std::string_view s, bool end);
// Minutes after midnight (0 .. 1440) -> "HH:MM"; 1440 is "24:00".
std::string FormatHhmm(int minutes);

// Unix ms of `minute` minutes after midnight CST on `date` (a valid date; minute may be 1440).
std::int64_t CstMs(const std::string& date, int minute);
// The CST clock time "HH:MM" of a Unix ms instant (an instant at midnight is "00:00").
std::string CstTimeOfDay(std::int64_t unix_ms);
// The CST date and time of a Unix ms instant in ISO 8601 with its offset, to the second:
// "2026-11-24T09:00:00+08:00".
std::string CstIsoDateTime(std::int64_t unix_ms);
// The clock times of a window [start, end) in CST joined by an en dash: "08:00–09:00". An end
// at the midnight after the start reads "24:00" ("23:00–24:00"), never "00:00".
std::string WindowText(std::int64_t start_ms, std::int64_t end_ms);

}  // namespace ihos
