#include "domain/scheduling/rules.hpp"

#include <algorithm>

#include "core/civil_time.hpp"

namespace ihos::domain::scheduling {
namespace {

std::string Field(std::size_t i, const char* name) { return "periods[" + std::to_string(i) + "]." + name; }

bool Overlaps(int a0, int a1, int b0, int b1) { return a0 < b1 && b0 < a1; }

}  // namespace

const std::vector<std::string>& Services() {
  static const std::vector<std::string> kServices = {"text", "phone", "video", "offline"};
  return kServices;
}

bool IsOnline(std::string_view service) { return service == "text" || service == "phone" || service == "video"; }

std::vector<FieldError> ValidateTemplate(const std::vector<TemplatePeriod>& ps, bool volunteer) {
  std::vector<FieldError> errs;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const auto& p = ps[i];
    if (p.weekday < 1 || p.weekday > 7) errs.push_back({Field(i, "weekday"), "invalid_value"});
    if (p.end_minute <= p.start_minute) errs.push_back({Field(i, "end_time"), "end_before_start"});
    if (p.capacity < 1 || p.capacity > kMaxCapacity) errs.push_back({Field(i, "capacity"), "capacity_range"});
    if (p.price_fen < 0 || p.price_fen > kMaxPriceFen) errs.push_back({Field(i, "price_fen"), "price_range"});
    if (p.free_clinic && !volunteer) errs.push_back({Field(i, "free_clinic"), "free_clinic_not_volunteer"});
    if (p.service == "offline" && !p.free_clinic && p.price_fen <= 0)
      errs.push_back({Field(i, "price_fen"), "offline_price_required"});
    for (std::size_t j = 0; j < i; ++j) {
      const auto& q = ps[j];
      if (q.weekday == p.weekday && q.service == p.service &&
          Overlaps(p.start_minute, p.end_minute, q.start_minute, q.end_minute)) {
        errs.push_back({Field(i, "start_time"), "period_overlap"});
        break;
      }
    }
  }
  return errs;
}

std::vector<FieldError> ValidateException(const Exception& e, bool volunteer, const std::string& today,
                                          int max_days_ahead) {
  std::vector<FieldError> errs;
  const auto d = DateToDays(e.date);
  const auto t = DateToDays(today);
  if (!d) {
    errs.push_back({"date", "date_format"});
  } else if (*d < *t) {
    errs.push_back({"date", "date_past"});
  } else if (*d > *t + max_days_ahead) {
    errs.push_back({"date", "date_too_far"});
  }
  if (e.end_minute <= e.start_minute) errs.push_back({"end_time", "end_before_start"});
  if (e.kind == "extra") {
    if (!e.service) errs.push_back({"service", "required"});
    if (!e.capacity) {
      errs.push_back({"capacity", "required"});
    } else if (*e.capacity < 1 || *e.capacity > kMaxCapacity) {
      errs.push_back({"capacity", "capacity_range"});
    }
    if (e.price_fen && (*e.price_fen < 0 || *e.price_fen > kMaxPriceFen)) errs.push_back({"price_fen", "price_range"});
    if (e.free_clinic && !volunteer) errs.push_back({"free_clinic", "free_clinic_not_volunteer"});
    if (e.service && *e.service == "offline" && !e.free_clinic && e.price_fen.value_or(0) <= 0)
      errs.push_back({"price_fen", "offline_price_required"});
  }
  return errs;
}

std::int64_t PriceOf(const std::string& service, std::int64_t offline_price_fen, bool free_clinic,
                     std::int64_t general_price_fen) {
  if (free_clinic) return 0;
  return IsOnline(service) ? general_price_fen : offline_price_fen;
}

std::vector<PlannedSlot> Plan(const Schedule& s, const PractitionerInfo& p, const std::string& from, int days) {
  std::vector<PlannedSlot> out;
  for (int k = 0; k < days; ++k) {
    const std::string date = AddDays(from, k);
    const int wd = WeekdayOf(date);
    std::vector<const Exception*> leaves;
    for (const auto& e : s.exceptions)
      if (e.date == date && e.kind == "leave") leaves.push_back(&e);
    for (const auto& t : s.periods) {
      if (t.weekday != wd) continue;
      const bool on_leave = std::any_of(leaves.begin(), leaves.end(), [&](const Exception* e) {
        return (!e->service || *e->service == t.service) &&
               Overlaps(t.start_minute, t.end_minute, e->start_minute, e->end_minute);
      });
      if (on_leave) continue;
      const bool free = t.free_clinic && p.free_clinic;
      out.push_back({date, t.service, CstMs(date, t.start_minute), CstMs(date, t.end_minute), t.capacity,
                     PriceOf(t.service, t.price_fen, free, p.general_price_fen), free});
    }
    for (const auto& e : s.exceptions) {
      if (e.date != date || e.kind != "extra" || !e.service || !e.capacity) continue;
      const bool free = e.free_clinic && p.free_clinic;
      out.push_back({date, *e.service, CstMs(date, e.start_minute), CstMs(date, e.end_minute), *e.capacity,
                     PriceOf(*e.service, e.price_fen.value_or(0), free, p.general_price_fen), free});
    }
  }
  std::sort(out.begin(), out.end(), [](const PlannedSlot& a, const PlannedSlot& b) {
    return a.start_at != b.start_at ? a.start_at < b.start_at : a.service < b.service;
  });
  return out;
}

std::optional<std::pair<std::size_t, std::size_t>> FirstOverlap(const std::vector<PlannedSlot>& plan) {
  for (std::size_t i = 0; i < plan.size(); ++i)
    for (std::size_t j = i + 1; j < plan.size() && plan[j].start_at < plan[i].end_at; ++j)
      if (plan[j].service == plan[i].service) return std::make_pair(i, j);
  return std::nullopt;
}

bool PatientMayCancel(std::int64_t start_at, std::int64_t now_ms, std::int64_t cutoff_ms) {
  return now_ms < start_at - cutoff_ms;
}

std::optional<std::int64_t> ReminderAt(std::int64_t start_at, std::int64_t now_ms) {
  constexpr std::int64_t kHour = 3600LL * 1000;
  for (const std::int64_t ahead : {24 * kHour, 2 * kHour})
    if (start_at - ahead > now_ms) return start_at - ahead;
  return std::nullopt;
}

}  // namespace ihos::domain::scheduling
