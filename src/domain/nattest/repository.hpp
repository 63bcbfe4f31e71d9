#pragma once
// Storage of test sites, slots and bookings: every SQL statement of nucleic-acid test booking,
// the same on both backends. All functions run inside the caller's transaction; errors are
// those of store::Tx.
#include <optional>
#include <string>
#include <vector>

#include "domain/nattest/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::nattest::repo {

// --- sites
Result<std::int64_t> InsertSite(store::Tx& tx, const SiteInput& in, std::optional<std::int64_t> created_by,
                                std::int64_t at, bool demo);
// Active sites whose region code starts with `region_prefix` ("" = all), by region then id,
// each with its free places in slots ending after `from_ms` on dates before `before_date`.
Result<std::vector<Site>> ActiveSites(store::Tx& tx, const std::string& region_prefix, std::int64_t from_ms,
                                      const std::string& before_date);
Result<bool> SiteIsActive(store::Tx& tx, std::int64_t site_id);
// Ids of the demo sites (seed-demo), by id.
Result<std::vector<std::int64_t>> DemoSiteIds(store::Tx& tx);

// --- slots
// Adds the slot unless the site has one with the same start; true when it was added.
Result<bool> InsertSlotIfAbsent(store::Tx& tx, std::int64_t site_id, const std::string& date, std::int64_t start_at,
                                std::int64_t end_at, std::int64_t capacity);
// The site's slots on a date, by start.
Result<std::vector<Slot>> SlotsOn(store::Tx& tx, std::int64_t site_id, const std::string& date);
// A slot of an active site.
Result<std::optional<Slot>> FindOpenSlot(store::Tx& tx, std::int64_t slot_id);
// The one conditional update that takes a place; false when the slot is full.
Result<bool> TakePlace(store::Tx& tx, std::int64_t slot_id);
Status ReleasePlace(store::Tx& tx, std::int64_t slot_id);

// --- bookings
// True when the patient has a booking on the date that is not cancelled.
Result<bool> HasLiveBookingOn(store::Tx& tx, std::int64_t patient_id, const std::string& date);
// Inserts a booking with status booked; returns its id.
Result<std::int64_t> InsertBooking(store::Tx& tx, const NewBooking& b);
Status SetSampleNumber(store::Tx& tx, std::int64_t booking_id, const std::string& sample_no);
Result<std::optional<Booking>> FindBooking(store::Tx& tx, std::int64_t booking_id);
Result<std::optional<Booking>> FindBookingBySample(store::Tx& tx, const std::string& sample_no);
// Bookings of the user, made by the user, or of the user's wards; newest window first.
Result<std::vector<Booking>> BookingsOfUser(store::Tx& tx, std::int64_t user_id, int limit);
// Home visits that wait for someone (booked, window not ended, region under `region_prefix`,
// "" = any) and those `staff_id` accepted; by window start.
Result<std::vector<Booking>> HomeVisitsFor(store::Tx& tx, std::int64_t now_ms, const std::string& region_prefix,
                                           std::int64_t staff_id, int limit);
// Collected samples waiting for a result, oldest collection first.
Result<std::vector<Booking>> CollectedSamples(store::Tx& tx, int limit);

// The conditional status changes: each false when the booking was no longer in the status.
// booked | accepted -> cancelled (by the patient).
Result<bool> CancelBooking(store::Tx& tx, std::int64_t booking_id, const std::string& reason, std::int64_t at);
// booked -> accepted.
Result<bool> AcceptHomeVisit(store::Tx& tx, std::int64_t booking_id, std::int64_t staff_id, std::int64_t at);
// `from` -> collected.
Result<bool> MarkCollected(store::Tx& tx, std::int64_t booking_id, const std::string& from, std::int64_t staff_id,
                           std::int64_t at);
// collected -> resulted, with the health code's fact.
Result<bool> RecordResult(store::Tx& tx, std::int64_t booking_id, const std::string& result, std::int64_t lab_id,
                          std::int64_t at, std::int64_t fact_id);

}  // namespace ihos::domain::nattest::repo
