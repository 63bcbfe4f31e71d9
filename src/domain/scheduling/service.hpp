#pragma once
// Scheduling: doctors' weekly templates and exceptions, the slots materialised from them,
// booking with queue numbers, cancellation and no-shows (people are told through the
// notifications capability). See README.md beside
// this file for the invariants and who may do what.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool.
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/scheduling/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::scheduling {

struct Config {
  int horizon_days = 14;                              // slots are materialised this many CST days ahead
  std::int64_t cancel_cutoff_ms = 2LL * 3600 * 1000;  // patients cancel until this long before the start
  int exception_days_ahead = 90;                      // how far ahead leave and extra shifts may be set
};

class SchedulingService {
 public:
  SchedulingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts, Config config);

  // --- the doctor's own schedule (actor: a user with an active practitioners row) ---
  // Errors: not_found not_a_practitioner; conflict practitioner_suspended.
  Result<Schedule> GetSchedule(const Principal& actor);
  // Replaces the whole weekly template and re-materialises the slots. Errors: validation_failed
  // (periods[i].*); conflict extra_shift_overlap, slot_has_bookings, capacity_below_booked.
  Result<Schedule> ReplaceTemplate(const Principal& actor, const std::vector<TemplatePeriod>& periods);
  // Errors: validation_failed (date, start_time, end_time, service, capacity, price_fen,
  // free_clinic); conflict slot_has_bookings (leave over booked slots).
  Result<Exception> AddException(const Principal& actor, Exception e);
  // Errors: not_found; conflict slot_has_bookings (an extra shift with bookings).
  Status DeleteException(const Principal& actor, std::int64_t id);
  // The doctor's slots of one CST date with their appointments (each listed patient audited).
  Result<std::vector<DaySlot>> Day(const Principal& actor, const std::string& date, const RequestMeta& meta);

  // --- public ---
  // Slots of a bookable practitioner on CST dates [from, from + days). Errors: not_found.
  Result<std::vector<Slot>> DoctorSlots(std::int64_t practitioner_id, const std::string& from, int days);

  // --- booking ---
  // Books a place on the slot for the actor or a ward. Errors: not_found (no such slot, or a
  // patient the actor may not act for); conflict slot_full, slot_closed, slot_past,
  // appointment_overlap, practitioner_unavailable, cannot_book_self.
  Result<Appointment> Book(const Principal& actor, std::int64_t slot_id, std::optional<std::int64_t> patient_id,
                           const RequestMeta& meta);
  // The referring doctor books an offline slot for their consultation's patient (分级诊疗). The
  // caller (the consultation capability) has checked that the actor treats the patient.
  // Errors: as Book.
  Result<Appointment> BookReferral(const Principal& doctor, std::int64_t slot_id, std::int64_t patient_id,
                                   const RequestMeta& meta);
  // The actor's and wards' appointments, or one patient's (self or ward). Errors: not_found.
  Result<std::vector<Appointment>> PatientAppointments(const Principal& actor, std::optional<std::int64_t> patient_id,
                                                       const std::string& status, const RequestMeta& meta);
  // For the patient, a guardian or the doctor. Errors: not_found.
  Result<Appointment> GetAppointment(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Patient/guardian before start - cut-off; the doctor any time with a reason. Errors:
  // not_found; conflict appointment_not_booked, cancel_cutoff_passed; validation_failed
  // (reason required for the doctor).
  Result<Appointment> Cancel(const Principal& actor, std::int64_t id, const std::string& reason,
                             const RequestMeta& meta);
  // The doctor: after the start. Errors: not_found; conflict appointment_not_booked,
  // appointment_not_started.
  Result<Appointment> MarkNoShow(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // The doctor. Errors: not_found; conflict appointment_not_booked.
  Result<Appointment> Fulfil(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Whether `actor_id` may cancel `a` now (shown to clients as can_cancel).
  bool CanCancel(std::int64_t actor_id, const Appointment& a) const;

  // --- for other capabilities, in the caller's transaction `tx` (errors: those of store::Tx) ---
  // A practitioner (any status) by id or by user, nullopt when there is none.
  Result<std::optional<PractitionerInfo>> FindPractitioner(store::Tx& tx, std::int64_t id);
  Result<std::optional<PractitionerInfo>> FindPractitionerByUser(store::Tx& tx, std::int64_t user_id);
  // Any appointment by id, nullopt when there is none; the caller checks who may see it.
  Result<std::optional<Appointment>> FindAppointment(store::Tx& tx, std::int64_t id);

  // Rolls every scheduled, active practitioner's slots forward to the horizon (call at start
  // and on a timer, e.g. hourly). One transaction per practitioner; a practitioner whose plan
  // conflicts with bookings is logged and skipped. Returns how many practitioners were rolled.
  Result<int> RollSlots();

  const Clock& clock() const { return clock_; }
  const Config& config() const { return config_; }

 private:
  Result<Appointment> BookFor(const Principal& actor, std::int64_t slot_id, std::int64_t patient, bool referral,
                              const RequestMeta& meta);
  Result<PractitionerInfo> ActivePractitioner(store::Tx& tx, const Principal& actor, bool require_active);
  Result<Appointment> DoctorTransition(const Principal& actor, std::int64_t id, const std::string& status,
                                       const RequestMeta& meta);

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  Config config_;
};

// Re-materialises one practitioner's slots for CST dates [today, today + days) from the
// template and exceptions, inside the caller's write transaction (serialised per practitioner
// with LockChain). Idempotent. Future slots (start after now) that leave the plan are deleted
// when no appointment was ever made on them, closed otherwise. Errors: conflict
// slot_has_bookings (a slot leaving the plan has booked appointments) or capacity_below_booked.
Status Materialise(store::Tx& tx, const PractitionerInfo& p, std::int64_t now_ms, int days);

// True when patients may see and book the practitioner on `today` (active, licence valid).
bool Bookable(const PractitionerInfo& p, const std::string& today);

}  // namespace ihos::domain::scheduling
