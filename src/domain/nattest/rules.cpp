#include "domain/nattest/rules.hpp"

#include <algorithm>
#include <cstdio>

#include "core/clock.hpp"
#include "core/day_window.hpp"
#include "core/regions.hpp"

namespace ihos::domain::nattest {
namespace {

int Mod11_10(const std::string& digits) {
  int p = 10;
  for (char c : digits) {
    int s = (p + (c - '0')) % 10;
    if (s == 0) s = 10;
    p = (2 * s) % 11;
  }
  return (11 - p) % 10;
}

}  // namespace

std::string SampleNumber(const std::string& date, std::int64_t booking_id) {
  char id[32];
  std::snprintf(id, sizeof id, "%07lld", static_cast<long long>(booking_id));
  std::string digits = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) + id;
  return "N" + digits + static_cast<char>('0' + Mod11_10(digits));
}

bool IsSampleNumber(const std::string& s) {
  if (s.size() < 17 || s.size() > 24 || s[0] != 'N') return false;
  if (!std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return Mod11_10(s.substr(1, s.size() - 2)) == s.back() - '0';
}

std::vector<FieldError> CheckSite(const SiteInput& in) {
  std::vector<FieldError> errs;
  if (in.name.empty()) errs.push_back({"name", "required"});
  if (in.kind != "hospital" && in.kind != "sampling_point") errs.push_back({"kind", "invalid_value"});
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "region_unknown"});
  if (in.address.empty()) errs.push_back({"address", "required"});
  return errs;
}

PlanCheck PlanSlots(const SlotPlan& plan, const std::string& today) {
  PlanCheck out;
  auto& errs = out.errors;
  if (!IsValidIsoDate(plan.from_date))
    errs.push_back({"from_date", "invalid_date"});
  else if (plan.from_date < today)
    errs.push_back({"from_date", "date_past"});
  if (plan.days < 1 || plan.days > kSlotPlanMaxDays) errs.push_back({"days", "out_of_range"});
  auto start = ParseHhmm(plan.start_time, false);
  auto end = ParseHhmm(plan.end_time, true);
  if (!start) errs.push_back({"start_time", "time_format"});
  if (!end) errs.push_back({"end_time", "time_format"});
  if (start && end && *end <= *start) errs.push_back({"end_time", "end_before_start"});
  if (plan.window_minutes < 10 || plan.window_minutes > 240) errs.push_back({"window_minutes", "out_of_range"});
  if (plan.capacity < 1 || plan.capacity > 10000) errs.push_back({"capacity", "out_of_range"});
  if (!errs.empty()) return out;
  for (int d = 0; d < plan.days; ++d) {
    const std::string date = AddDays(plan.from_date, d);
    for (int m = *start; m + plan.window_minutes <= *end; m += plan.window_minutes)
      out.slots.push_back({date, CstMs(date, m), CstMs(date, m + plan.window_minutes)});
  }
  return out;
}

WindowCheck CheckHomeVisit(const HomeVisitInput& in, std::int64_t now) {
  WindowCheck out;
  auto& errs = out.errors;
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "region_unknown"});
  if (in.address.empty()) errs.push_back({"address", "required"});
  if (auto w = CheckDayWindow(in.date, in.start_time, in.end_time, now, kBookAheadDays, errs)) {
    out.start_at = w->start_at;
    out.end_at = w->end_at;
  }
  return out;
}

std::string ReadyForCollection(const std::string& mode) { return mode == "site" ? "booked" : "accepted"; }

}  // namespace ihos::domain::nattest
