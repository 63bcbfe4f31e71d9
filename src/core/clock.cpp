#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace ihos {

std::string CivilDateCst(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(unix_ms) + hours(8)));
  const year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
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

}  // namespace ihos
