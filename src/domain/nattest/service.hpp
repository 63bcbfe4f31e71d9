#pragma once
// Nucleic-acid test booking (核酸检测预约): test sites, their daily slots with a capacity,
// bookings at a site or at home (上门核酸), samples with a printable sample number, and the
// lab's result, which becomes a health-code fact through FactsService::AddTestResultTx in
// the same transaction. See README.md beside this file for the invariants and who may do what.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Results are
// the structs of model.hpp as the actor may see them (staff get masked names; the street address
// of a home visit only once they accepted it); json.cpp encodes them. Errors: those named per
// method, and the store's.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/healthcode/service.hpp"
#include "domain/nattest/model.hpp"
#include "domain/nattest/rules.hpp"
#include "store/database.hpp"

namespace ihos::domain::nattest {

class NatTestService {
 public:
  NatTestService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                 healthcode::HealthCodeService& healthcode);

  // Whether a booking's test was paid (billing, wired in app/). Unset: every test is free to collect.
  using PaidCheck = std::function<Result<bool>(store::Tx&, std::int64_t booking_id)>;
  void SetPaidCheck(PaidCheck paid) { paid_ = std::move(paid); }
  // For billing, in its transaction: the booking (patient, price, status, who cancelled), or nullopt.
  Result<std::optional<Booking>> BillingFactsOf(store::Tx& tx, std::int64_t booking_id);

  // --- sites (health authority, admin)
  // Errors: validation_failed (name, kind, region_code: unknown_region, address).
  Result<Site> AddSite(const Principal& actor, const SiteInput& in, bool demo = false);
  // Active sites, optionally under a region (a province, city or county code covers its
  // children), with their free places. Errors: validation_failed (region: region_unknown).
  Result<std::vector<Site>> Sites(const std::string& region);
  // Ids of the demo sites (seed-demo).
  Result<std::vector<std::int64_t>> DemoSiteIds();
  // Adds the slots of the plan that do not exist yet (same site and start); existing slots keep
  // their capacity and bookings. Errors: not_found; validation_failed (from_date, days,
  // start_time, end_time, window_minutes, capacity; window_minutes window_longer_than_hours).
  Result<SlotPlanOutcome> AddSlots(std::int64_t site_id, const SlotPlan& plan);
  // The site's slots on a CST date with free places; windows that have ended are not bookable.
  // Errors: not_found; validation_failed (date).
  Result<SiteDay> SiteSlots(std::int64_t site_id, const std::string& date);

  // --- the patient (or guardian for a ward)
  // Takes a place on the slot (never over capacity). Errors: not_found (slot, or a patient the
  // actor may not act for); conflict nat_slot_full, nat_slot_past, nat_booking_exists_today.
  Result<Booking> BookSlot(const Principal& actor, std::int64_t slot_id, std::optional<std::int64_t> patient_id,
                           const RequestMeta& meta);
  // A home visit: address (region + detail) and a time window on a date. Errors: not_found;
  // validation_failed; conflict nat_booking_exists_today.
  Result<Booking> BookHomeVisit(const Principal& actor, const HomeVisitInput& in, const RequestMeta& meta);
  // The actor's and their wards' test bookings with samples and results, newest first.
  Result<std::vector<Booking>> MyBookings(const Principal& actor);
  // Before the window starts, while not collected; frees the slot place. Errors: not_found;
  // conflict nat_not_cancellable, nat_cancel_too_late.
  Result<Booking> Cancel(const Principal& actor, std::int64_t booking_id, const std::string& reason,
                         const RequestMeta& meta);

  // --- nurse, lab
  // Home visits waiting for someone (status booked), optionally under a region, and those the
  // actor accepted that are not collected yet. Errors: validation_failed (region).
  Result<std::vector<Booking>> HomeVisits(const Principal& staff, const std::string& region);
  // Errors: not_found; conflict nat_own_booking, nat_already_accepted, nat_not_cancellable (cancelled).
  Result<Booking> AcceptHomeVisit(const Principal& staff, std::int64_t booking_id, const RequestMeta& meta);
  // One sample by its number (masked name), audited. Errors: not_found "nat_sample_not_found".
  Result<Booking> Sample(const Principal& staff, const std::string& sample_no, const RequestMeta& meta);
  // Marks the sample taken (now). Errors: not_found; conflict nat_not_collectable (cancelled,
  // already collected, a home visit nobody accepted), nat_booking_not_today (before its date),
  // nat_payment_required (a priced test not paid yet).
  Result<Booking> Collect(const Principal& staff, const std::string& sample_no, const RequestMeta& meta);
  // Collected samples waiting for a result, oldest first (masked names, no address).
  Result<std::vector<Booking>> PendingSamples(const Principal& lab);
  // The result of a collected sample: recorded on the booking and as the health code's nat_test
  // fact (sampled at collection), colour recomputed, patient notified. Errors: not_found;
  // conflict nat_not_collected, nat_already_resulted; validation_failed.
  Result<RecordedResult> EnterResult(const Principal& lab, const std::string& sample_no, const std::string& result,
                                     const RequestMeta& meta);

 private:
  // Checks the actor may book for `patient`, one live booking a day, inserts the booking made by
  // `insert` (which returns its id) and gives it its sample number.
  Result<Booking> Book(const Principal& actor, std::int64_t patient, const RequestMeta& meta,
                       const std::function<Result<std::int64_t>(store::Tx&)>& insert, const std::string& on_date);

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  healthcode::HealthCodeService& healthcode_;
  PaidCheck paid_;
};

}  // namespace ihos::domain::nattest
