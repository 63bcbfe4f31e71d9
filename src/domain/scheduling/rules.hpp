#pragma once
// Pure scheduling rules: validation of template periods and exceptions, prices, and the plan
// of slots a schedule produces. No database. Dates and times of day: core/civil_time.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.hpp"
#include "core/error.hpp"
#include "domain/scheduling/model.hpp"

namespace ihos::domain::scheduling {

inline constexpr int kMaxCapacity = 500;
inline constexpr std::int64_t kMaxPriceFen = 10'000'000;  // 100 000 yuan: anything above is a typo

const std::vector<std::string>& Services();
bool IsOnline(std::string_view service);  // text, phone, video

// Field errors of a full template (fields "periods[i].start_time", ...): times, capacity,
// price, free clinic only for a volunteer, and no two periods of the same service on the same
// weekday overlapping ("period_overlap").
std::vector<FieldError> ValidateTemplate(const std::vector<TemplatePeriod>& periods, bool volunteer);

// Field errors of a new exception (fields date, start_time, service, capacity, price_fen,
// free_clinic); `today` and `max_days_ahead` bound the date.
std::vector<FieldError> ValidateException(const Exception& e, bool volunteer, const std::string& today,
                                          int max_days_ahead);

// The price of a period: free clinic 0; online services the hospital's general outpatient
// price (RULES.md: Medical insurance); offline visits the doctor's price.
std::int64_t PriceOf(const std::string& service, std::int64_t offline_price_fen, bool free_clinic,
                     std::int64_t general_price_fen);

// The slots the schedule produces on dates [from, from + days). Template periods on a date
// are dropped when a leave exception of that date overlaps them (for the leave's service, or
// every service when it names none); extra shifts are added. Sorted by start, then service.
std::vector<PlannedSlot> Plan(const Schedule& s, const PractitionerInfo& p, const std::string& from, int days);

// Index pairs of planned slots of the same service that overlap in time (empty when none).
std::optional<std::pair<std::size_t, std::size_t>> FirstOverlap(const std::vector<PlannedSlot>& plan);

// When the reminder of an appointment starting at `start_at`, booked at `now_ms`, is shown: a day
// before the start; when booked later than that, two hours before; none when even that has passed.
std::optional<std::int64_t> ReminderAt(std::int64_t start_at, std::int64_t now_ms);

// Patients (and guardians) may cancel until `cutoff_ms` before the start.
bool PatientMayCancel(std::int64_t start_at, std::int64_t now_ms, std::int64_t cutoff_ms);

}  // namespace ihos::domain::scheduling
