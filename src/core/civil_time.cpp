#include "core/civil_time.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ihos {
namespace {

bool Digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string Ymd(const std::chrono::year_month_day& ymd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

std::string CivilDateCst(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(unix_ms) + hours(8)));
  return Ymd(year_month_day(day));
}

std::optional<std::int64_t> CstMidnightMs(std::string_view d) {
  using namespace std::chrono;
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return std::nullopt;
  const int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  const unsigned m = static_cast<unsigned>((d[5] - '0') * 10 + (d[6] - '0'));
  const unsigned dd = static_cast<unsigned>((d[8] - '0') * 10 + (d[9] - '0'));
  const year_month_day ymd{year{y}, month{m}, day{dd}};
  if (!ymd.ok()) return std::nullopt;
  return duration_cast<milliseconds>(sys_days(ymd).time_since_epoch() - hours(8)).count();
}

std::optional<std::int64_t> DateToDays(std::string_view d) {
  const auto midnight = CstMidnightMs(d);
  if (!midnight || *midnight + kCstOffsetMs < 0) return std::nullopt;  // before 1970
  return (*midnight + kCstOffsetMs) / kDayMs;
}

std::string DaysToDate(std::int64_t days) {
  using namespace std::chrono;
  return Ymd(year_month_day{sys_days(std::chrono::days(days))});
}

std::string AddDays(const std::string& date, std::int64_t n) { return DaysToDate(*DateToDays(date) + n); }

int WeekdayOf(const std::string& date) {
  // 1970-01-01 was a Thursday (ISO 4).
  const std::int64_t d = *DateToDays(date);
  return static_cast<int>(((d % 7) + 7 + 3) % 7) + 1;
}

std::optional<int> ParseHhmm(std::string_view s, bool end) {
  if (s.size() != 5 || s[2] != ':' || !Digits(s.substr(0, 2)) || !Digits(s.substr(3, 2))) return std::nullopt;
  const int h = ToInt(s.substr(0, 2)), m = ToInt(s.substr(3, 2));
  if (end && h == 24 && m == 0) return 1440;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string FormatHhmm(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::int64_t CstMs(const std::string& date, int minute) {
  return *DateToDays(date) * kDayMs + static_cast<std::int64_t>(minute) * 60000 - kCstOffsetMs;
}

std::string CstTimeOfDay(std::int64_t unix_ms) {
  std::int64_t ms = (unix_ms + kCstOffsetMs) % kDayMs;
  if (ms < 0) ms += kDayMs;
  return FormatHhmm(static_cast<int>(ms / 60000));
}

std::string CstIsoDateTime(std::int64_t unix_ms) {
  using namespace std::chrono;
  const auto t = sys_time<milliseconds>(milliseconds(unix_ms) + hours(8));
  const auto day = floor<days>(t);
  const hh_mm_ss hms(floor<seconds>(t - day));
  char buf[24];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d+08:00", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return Ymd(year_month_day(day)) + buf;
}

std::string WindowText(std::int64_t start_ms, std::int64_t end_ms) {
  std::string end = CstTimeOfDay(end_ms);
  if (end == "00:00" && end_ms > start_ms) end = "24:00";
  return CstTimeOfDay(start_ms) + "–" + end;
}

}  // namespace ihos
