#pragma once
// Pure rules of nucleic-acid test booking: the sample number and its check digit, the checks
// of sites, slot plans and home-visit requests. No database, no clock: unit-tested in
// tests/unit/nattest_rules_test.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_time.hpp"  // dates, HH:MM, CstMs, WindowText ("08:00–09:00", "23:00–24:00")
#include "core/error.hpp"
#include "core/regions.hpp"
#include "domain/nattest/model.hpp"

namespace ihos::domain::nattest {

inline constexpr int kBookAheadDays = 14;    // how far ahead a test may be booked
inline constexpr int kSlotPlanMaxDays = 31;  // one slot plan covers at most a month

// The code prefix of "under this region", as the repository's LIKE filter takes it: 110000 -> 11,
// 110100 -> 1101, a county (or an unknown code) itself. core/regions::CoveredPrefix, owned.
inline std::string RegionPrefix(const std::string& code) { return std::string(CoveredPrefix(code)); }

// "N" + booking date (8 digits) + booking id (7 digits) + a check digit (ISO 7064 MOD 11-10
// over the 15 digits), e.g. N2026112300004275: what the tube label's barcode holds.
std::string SampleNumber(const std::string& date, std::int64_t booking_id);
bool IsSampleNumber(const std::string& s);

// Field errors of a new site: name, kind, region_code (region_unknown), address.
std::vector<FieldError> CheckSite(const SiteInput& in);

// One window of a slot plan.
struct PlannedSlot {
  std::string date;
  std::int64_t start_at = 0, end_at = 0;
};
// The windows of a plan made on `today`, or its field errors (from_date, days, start_time,
// end_time, window_minutes, capacity). A plan whose hours are shorter than one window gives no
// windows and no error (the service answers window_longer_than_hours).
struct PlanCheck {
  std::vector<FieldError> errors;
  std::vector<PlannedSlot> slots;
};
PlanCheck PlanSlots(const SlotPlan& plan, const std::string& today);

// A home-visit request checked at `now_ms`: the window in milliseconds, or its field errors
// (region_code, address, date, start_time, end_time).
struct WindowCheck {
  std::vector<FieldError> errors;
  std::int64_t start_at = 0, end_at = 0;
};
WindowCheck CheckHomeVisit(const HomeVisitInput& in, std::int64_t now_ms);

// The status in which a booking is ready for sampling: site bookings when booked, home visits
// once a nurse accepted them.
std::string ReadyForCollection(const std::string& mode);

}  // namespace ihos::domain::nattest
