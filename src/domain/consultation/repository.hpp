#pragma once
// Storage of consultations, messages, read receipts and records. Implemented in
// repository.cpp beside this header, the same SQL on both backends. All functions run inside
// the caller's transaction; errors are those of store::Tx.
#include "domain/consultation/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::consultation::repo {

// The stored row (practitioner, record, queue and unread are not filled).
Result<std::optional<Consultation>> Find(store::Tx& tx, std::int64_t id);
Result<std::int64_t> Insert(store::Tx& tx, const Consultation& c);
// Ids of consultations matching: patient side (patient_id in `patients` or requested_by =
// user), newest first.
Result<std::vector<std::int64_t>> IdsOfPatients(store::Tx& tx, const std::vector<std::int64_t>& patients,
                                                const std::string& status, int limit);
Result<std::vector<std::int64_t>> IdsOfPractitioner(store::Tx& tx, std::int64_t practitioner_id,
                                                    const std::string& status, int limit);
// An open (waiting or active) consultation of the patient with the practitioner, if any.
Result<std::optional<std::int64_t>> OpenWith(store::Tx& tx, std::int64_t patient_id, std::int64_t practitioner_id);
Result<std::optional<std::int64_t>> ByAppointment(store::Tx& tx, std::int64_t appointment_id);

// Conditional status changes: true when the row was in `from` (and, for Take, unassigned or
// assigned to `practitioner_id`).
Result<bool> Take(store::Tx& tx, std::int64_t id, std::int64_t practitioner_id, std::int64_t now);
Result<bool> SetStatus(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                       std::int64_t now);
Status SetFollowUp(store::Tx& tx, std::int64_t id, const std::string& decision, const std::string& note);
Status SetReferral(store::Tx& tx, std::int64_t id, const std::string& reason, const std::string& note,
                   std::optional<std::int64_t> appointment_id, std::int64_t now);
// Sets the rating once; false when already rated.
// Sets the price of the consultation (the taking doctor's hospital's price).
Status SetPrice(store::Tx& tx, std::int64_t id, std::int64_t price_fen);
// The body of the newest system message ("cancelled", "practitioner_suspended", ...), or "".
Result<std::string> LastSystemBody(store::Tx& tx, std::int64_t id);
Result<bool> SetRating(store::Tx& tx, std::int64_t id, int stars, const std::string& comment);

// Takes the next sequence number of the consultation (row-locked until the end of the
// transaction) and touches last_activity_at.
Result<std::int64_t> NextSeq(store::Tx& tx, std::int64_t id, std::int64_t now);
Status InsertMessage(store::Tx& tx, const Message& m);
Result<std::optional<Message>> FindMessage(store::Tx& tx, std::int64_t id, std::int64_t seq);
Result<std::optional<Message>> FindByClientId(store::Tx& tx, std::int64_t id, const std::string& sender_role,
                                              const std::string& client_msg_id);
Result<std::vector<Message>> MessagesAfter(store::Tx& tx, std::int64_t id, std::int64_t after_seq, int limit);
Result<bool> MarkRecalled(store::Tx& tx, std::int64_t id, std::int64_t seq, std::int64_t now);
// True when the upload is a message attachment or an intake proof of the consultation.
Result<bool> AttachedTo(store::Tx& tx, std::int64_t id, std::int64_t upload_id);

Status UpsertRead(store::Tx& tx, std::int64_t id, std::int64_t user_id, std::int64_t seq, std::int64_t now);
Result<std::int64_t> LastRead(store::Tx& tx, std::int64_t id, std::int64_t user_id);
// The furthest read receipt of anyone in the consultation but `user_id` (the patient side: the
// patient and a guardian).
Result<std::int64_t> LastReadOfOthers(store::Tx& tx, std::int64_t id, std::int64_t user_id);
// Messages of the other party (not this side's, not system notes) after `after_seq`.
Result<std::int64_t> CountFromOtherSide(store::Tx& tx, std::int64_t id, const std::string& own_role,
                                        std::int64_t after_seq);

Result<std::optional<Record>> LatestRecord(store::Tx& tx, std::int64_t id);
Status InsertRecord(store::Tx& tx, std::int64_t id, const Record& r);

// 1-based position among waiting consultations of the same queue created before it.
Result<int> QueuePosition(store::Tx& tx, const Consultation& c);
// Waiting consultations of the same queue (for live position updates).
Result<std::vector<Consultation>> Waiting(store::Tx& tx, const std::string& department_code,
                                          std::optional<std::int64_t> practitioner_id);
// Average accepted→closed time of the practitioner's last 20 closed consultations, or nullopt.
Result<std::optional<std::int64_t>> AverageHandlingMs(store::Tx& tx, std::int64_t practitioner_id);
// How many the practitioner accepted / closed since `since_ms`.
Result<std::pair<int, int>> CountsSince(store::Tx& tx, std::int64_t practitioner_id, std::int64_t since_ms);
// Free-clinic consultations waiting in the department's shared queue.
Result<std::vector<std::int64_t>> SharedQueue(store::Tx& tx, const std::string& department_code);

// Sweeper: active ones silent since before `active_before`, waiting ones created before `waiting_before`.
Result<std::vector<std::int64_t>> Stale(store::Tx& tx, const std::string& status, std::int64_t before);

}  // namespace ihos::domain::consultation::repo
