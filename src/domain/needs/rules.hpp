#pragma once
// Pure rules of the need registry: urgency, the lifecycle, distances, masking, the shortage
// map's roll-up. No I/O; unit-tested in tests/unit/needs_rules_test.cpp.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/needs/model.hpp"

namespace ihos::domain::needs {

// A need is urgent with this many days of medicine left or fewer (or when the patient says so).
inline constexpr int kUrgentDaysLeft = 3;

// "urgent" when days_left <= kUrgentDaysLeft or the patient marked it, else "normal".
std::string UrgencyOf(int days_left, bool marked_urgent);

// Whether a need may move from `from` to `to`:
// awaiting_consent -> open | cancelled; open -> fulfilled | closed | cancelled | lapsed.
bool CanMove(std::string_view from, std::string_view to);
// fulfilled, closed, cancelled, lapsed.
bool IsFinal(std::string_view status);

// Great-circle distance in metres between two points given in micro-degrees.
std::int64_t DistanceM(std::int64_t lat1_e6, std::int64_t lon1_e6, std::int64_t lat2_e6, std::int64_t lon2_e6);
// Half the side, in micro-degrees of latitude and of longitude at `lat_e6`, of a box holding every
// point within `radius_m` (a cheap prefilter before DistanceM).
std::int64_t LatSpanE6(std::int64_t radius_m);
std::int64_t LonSpanE6(std::int64_t radius_m, std::int64_t lat_e6);
// Coordinates inside China's bounding box (GCJ-02 is only defined there).
bool InChina(std::int64_t lat_e6, std::int64_t lon_e6);

// 138****0002 (the first 3 and last 4 digits).
std::string MaskPhone(std::string_view phone);
// An 11-digit mainland mobile number starting with 1.
bool IsMobile(std::string_view phone);

// Whole days between `from_ms` and `now_ms` (0 when negative).
std::int64_t DaysBetween(std::int64_t from_ms, std::int64_t now_ms);

// The code of the region at `level` (province | city | county) that holds `county_code`; the code
// itself when it is already at or above that level or unknown.
std::string RegionAt(std::string_view county_code, std::string_view level);

// Rolls county rows up to `level`, summing counts and recomputing the days waiting at `now_ms`;
// sorted by needs (then urgent) descending, then region code and drug.
std::vector<ShortageRow> RollUp(const std::vector<ShortageRow>& rows, std::string_view level, std::int64_t now_ms);

}  // namespace ihos::domain::needs
