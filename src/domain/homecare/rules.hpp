#pragma once
// Pure rules of home services: the order's checks, who may cancel, whose area covers an
// address, the wording of status notices. No database, no clock: unit-tested in
// tests/unit/homecare_rules_test.cpp.
#include <cstdint>
#include <string>
#include <vector>

#include "core/civil_time.hpp"  // dates, HH:MM, CstMs, WindowText ("08:00–09:00", "23:00–24:00")
#include "core/error.hpp"
#include "domain/homecare/model.hpp"

namespace ihos::domain::homecare {

inline constexpr int kOrderAheadDays = 30;    // how far ahead an order may be placed
inline constexpr std::size_t kMaxAreas = 20;  // region codes in one nurse's service area

// True when one of the area codes covers `region` (core/regions::Covers: a province, city or
// county code covers everything under it).
bool Covers(const std::vector<std::string>& areas, const std::string& region);

// A mainland mobile number: 11 digits starting with 1.
bool IsPhone(const std::string& s);

// An order checked at `now_ms`, before the catalogue is consulted: the window in milliseconds,
// or its field errors (region_code, address, contact_phone, date, start_time, end_time).
struct OrderCheck {
  std::vector<FieldError> errors;
  std::int64_t start_at = 0, end_at = 0;
};
OrderCheck CheckOrder(const OrderInput& in, std::int64_t now_ms);

// Field errors of a nurse's service area (region_codes: required, too_many_items, region_unknown).
std::vector<FieldError> CheckAreas(const std::vector<std::string>& codes);

// The patient's side may cancel while requested or accepted; after acceptance only with a reason.
bool CanCancel(const std::string& status);
bool CancelNeedsReason(const std::string& status);

// The role the timeline shows for `actor_id` on the order: patient, guardian (the booker) or nurse.
std::string ActorRole(const Order& o, std::int64_t actor_id);

// The notice of a status change (requested, accepted, arrived, completed, cancelled) with the
// optional note, for the patient and the booker; user_id and created_at are left to the caller.
Notice NoticeOf(const Order& o, const std::string& status, const std::string& note);

}  // namespace ihos::domain::homecare
