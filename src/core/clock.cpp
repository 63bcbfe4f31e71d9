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

}  // namespace ihos
