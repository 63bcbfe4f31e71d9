#pragma once
#include <functional>
// Online consultation: start with a questionnaire, wait in a queue, chat with a gap-free
// message sequence, the doctor's record, follow-up decision, referral, close, rating. See
// README.md beside this file for the invariants and who may do what.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Events for
// live clients are published on the bus after the transaction committed.
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/events.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/consultation/model.hpp"
#include "domain/directory/service.hpp"
#include "domain/scheduling/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::consultation {

struct Config {
  std::int64_t inactivity_close_ms = 24LL * 3600 * 1000;  // an active consultation silent this long is closed
  std::int64_t waiting_expiry_ms = 48LL * 3600 * 1000;    // one never accepted is cancelled after this long
  std::int64_t default_handling_ms = 8LL * 60 * 1000;     // the estimate before a doctor has history
  // Pay-first hospitals (先付费后服务): a priced consultation with a chosen doctor cannot be accepted
  // until `paid` says so (billing, wired in app/). Unset: 先诊疗后付费, the patient pays after.
  std::function<Result<bool>(store::Tx&, std::int64_t consultation_id)> paid;
};

// What billing charges for a consultation and whether it ended unserved.
struct BillingFacts {
  std::int64_t patient_id = 0;
  std::string kind;
  std::string status;
  std::string follow_up;           // unverified | verified | advice_only
  bool claimed_follow_up = false;  // the patient says follow-up and uploaded the offline record
  bool from_appointment = false;   // booked through an appointment: paid with the appointment
  std::string title;               // "<department> <doctor>"
  std::int64_t price_fen = 0;
  std::optional<std::int64_t> practitioner_id;  // its hospital's grade decides the insurance ratio
  std::string end_reason;  // "" while it may still be served; patient_cancelled | practitioner_suspended | not_taken
};

class ConsultationService {
 public:
  ConsultationService(store::Database& db, const Clock& clock, events::Bus& bus, accounts::AccountService& accounts,
                      directory::DirectoryService& directory, scheduling::SchedulingService& scheduling, Config config);

  // --- patient side (the patient or their guardian) ---
  // Errors: validation_failed; not_found (patient, appointment, practitioner or department
  // unknown or not the actor's); conflict practitioner_unavailable, appointment_not_booked,
  // appointment_offline, consultation_exists, consultation_open, kind_mismatch,
  // no_free_clinic_doctor, cannot_consult_self.
  Result<Consultation> Start(const Principal& actor, const StartInput& in, const RequestMeta& meta);
  // Errors: not_found; conflict consultation_not_waiting.
  Result<Consultation> Cancel(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Errors: not_found; conflict consultation_not_finished, already_rated; validation_failed.
  Result<Consultation> Rate(const Principal& actor, std::int64_t id, int stars, const std::string& comment,
                            const RequestMeta& meta);

  // --- both sides ---
  // `as` = "patient" (mine and my wards') or "doctor" (mine and the free clinic queue I may take).
  Result<std::vector<Consultation>> List(const Principal& actor, const std::string& as, const std::string& status);
  // Errors: not_found (also for anyone who is not a party).
  Result<Consultation> Get(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Messages after `after_seq`, ascending, at most `limit`. Errors: not_found.
  Result<std::vector<Message>> Messages(const Principal& actor, std::int64_t id, std::int64_t after_seq, int limit);
  // Stores the message once (a retry with the same client_msg_id returns the stored one:
  // .second = false). Errors: not_found; validation_failed; conflict consultation_closed,
  // consultation_not_active, upload_not_usable.
  Result<std::pair<Message, bool>> Send(const Principal& actor, std::int64_t id, const MessageInput& in);
  // Errors: not_found; conflict recall_window_passed.
  Result<Message> Recall(const Principal& actor, std::int64_t id, std::int64_t seq);
  // Errors: not_found; validation_failed (seq beyond the last).
  Status MarkRead(const Principal& actor, std::int64_t id, std::int64_t seq);
  // Publishes a typing hint (not stored). Errors: not_found.
  Status Typing(const Principal& actor, std::int64_t id);
  // A file attached to the consultation (a message's image or voice, an intake proof), for the
  // parties and for staff with a reason (audited). Errors: not_found.
  Result<std::pair<std::string, std::string>> File(const Principal& actor, std::int64_t id, std::int64_t upload_id,
                                                   const RequestMeta& meta);

  // --- the doctor ---
  // Errors: not_found; conflict consultation_not_waiting, already_taken.
  Result<Consultation> Accept(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Errors: not_found; validation_failed (diagnosis_code unknown); conflict consultation_closed.
  Result<Consultation> WriteRecord(const Principal& actor, std::int64_t id, const RecordInput& in,
                                   const RequestMeta& meta);
  // decision verified | advice_only. Errors: not_found; conflict consultation_not_active,
  // follow_up_proof_missing.
  Result<Consultation> DecideFollowUp(const Principal& actor, std::int64_t id, const std::string& decision,
                                      const std::string& note, const RequestMeta& meta);
  // Stops and refers offline; with a slot, books that offline appointment for the patient.
  // Errors: not_found; conflict consultation_closed; those of scheduling booking.
  Result<Consultation> Refer(const Principal& actor, std::int64_t id, const std::string& reason,
                             const std::string& note, std::optional<std::int64_t> slot_id, const RequestMeta& meta);
  // Errors: not_found; conflict consultation_not_active, record_required.
  Result<Consultation> Close(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // A phone callback, recorded as an event message. Errors: not_found; conflict
  // consultation_not_active, not_phone_consultation.
  Result<Message> RecordCall(const Principal& actor, std::int64_t id, std::int64_t duration_s, const std::string& note);
  // The number to call back on a phone consultation, for its assigned doctor while it is
  // active; audited (consultation.callback_number). Errors: not_found (anyone else); conflict
  // not_phone_consultation, consultation_not_active, no_callback_number (no phone on file).
  Result<CallbackNumber> GetCallbackNumber(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Errors: not_found not_a_practitioner.
  Result<Workstation> GetWorkstation(const Principal& actor);

  // --- staff ---
  // An audited read with a reason (never counselling). Errors: not_found; validation_failed.
  Result<std::pair<Consultation, std::vector<Message>>> StaffRead(const Principal& actor, std::int64_t id,
                                                                  const std::string& reason, const RequestMeta& meta);

  // For the prescription capability. Errors: not_found.
  Result<PrescriptionEligibility> Eligibility(std::int64_t id);
  // For the prescription capability: the consultation with its newest record, unaudited (the
  // caller audits its own reads). Errors: not_found.
  Result<Consultation> ForPrescription(std::int64_t id);

  // For billing, in its transaction: nullopt when there is no such consultation.
  Result<std::optional<BillingFacts>> BillingFactsOf(store::Tx& tx, std::int64_t id);

  // For the directory's suspension hook, in its transaction: the suspended doctor's active
  // consultations are closed and the waiting ones assigned to them cancelled, each with a system
  // notice ("practitioner_suspended"). Returns how many.
  Result<int> EndForSuspension(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms);

  // Closes consultations silent past inactivity_close_ms and cancels waiting ones past
  // waiting_expiry_ms; returns how many changed. Called by the Sweeper.
  Result<int> Sweep();

  // --- live events (WebSocket topics) ---
  // Whether the actor may follow `topic` and the events after `after_seq` to send first.
  Result<std::vector<std::string>> Subscribe(const Principal& actor, std::string_view topic, std::int64_t after_seq);

  const Clock& clock() const { return clock_; }

 private:
  struct Access;
  Result<Access> Authorize(store::Tx& tx, const Principal& actor, std::int64_t id, bool allow_queue_peek);
  Result<Consultation> Load(store::Tx& tx, std::int64_t id, std::int64_t viewer_id);
  Result<Message> Append(store::Tx& tx, std::int64_t id, std::optional<std::int64_t> sender, const std::string& role,
                         const std::string& client_msg_id, const std::string& kind, const std::string& body,
                         std::optional<std::int64_t> upload_id, std::optional<std::int64_t> duration_ms);
  Result<Consultation> DoctorChange(const Principal& actor, std::int64_t id, const RequestMeta& meta,
                                    const std::function<Status(store::Tx&, Consultation&)>& change);
  void PublishMessage(const Message& m, std::int64_t viewer_for_recall = 0);
  void PublishStatus(const Consultation& c);
  void PublishQueues(const std::string& department_code, std::optional<std::int64_t> practitioner_id);

  store::Database& db_;
  const Clock& clock_;
  events::Bus& bus_;
  accounts::AccountService& accounts_;
  directory::DirectoryService& directory_;
  scheduling::SchedulingService& scheduling_;
  Config config_;
};

// The JSON of a message event as live clients receive it ("kind":"message").
std::string MessageEventJson(const Message& m);

}  // namespace ihos::domain::consultation
