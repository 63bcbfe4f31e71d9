#pragma once
// Storage of schedules, slots and appointments. Implemented in
// repository.cpp beside this header, the same SQL on both backends. All functions run inside
// the caller's transaction; errors are those of store::Tx.
#include "domain/scheduling/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::scheduling::repo {

Result<std::optional<PractitionerInfo>> FindPractitioner(store::Tx& tx, std::int64_t practitioner_id);
Result<std::optional<PractitionerInfo>> FindPractitionerByUser(store::Tx& tx, std::int64_t user_id);
// Practitioners with status active that have a template period or an exception.
Result<std::vector<std::int64_t>> ScheduledPractitioners(store::Tx& tx);

Result<Schedule> LoadSchedule(store::Tx& tx, std::int64_t practitioner_id);
Status ReplaceTemplate(store::Tx& tx, std::int64_t practitioner_id, const std::vector<TemplatePeriod>& periods);
Result<std::int64_t> InsertException(store::Tx& tx, std::int64_t practitioner_id, const Exception& e);
// True when the practitioner's exception existed and was deleted.
Result<bool> DeleteException(store::Tx& tx, std::int64_t practitioner_id, std::int64_t exception_id);

Result<std::optional<Slot>> FindSlot(store::Tx& tx, std::int64_t slot_id);
// The practitioner's slots with start_at in [from_ms, to_ms), by start.
Result<std::vector<Slot>> SlotsBetween(store::Tx& tx, std::int64_t practitioner_id, std::int64_t from_ms,
                                       std::int64_t to_ms);
// Inserts the planned slot, or updates the one with the same (practitioner, service, start).
Status UpsertSlot(store::Tx& tx, std::int64_t practitioner_id, const PlannedSlot& p, const std::string& status);
Status DeleteSlot(store::Tx& tx, std::int64_t slot_id);
Status SetSlotStatus(store::Tx& tx, std::int64_t slot_id, const std::string& status);
// Future slots (start_at > now_ms) of the practitioner to `status`; returns how many changed.
Result<std::int64_t> SetFutureSlotsStatus(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms,
                                          const std::string& status);

// The one conditional update that takes a place: the slot after the update (issued = the new
// queue number), or nullopt when the slot is full or closed.
Result<std::optional<Slot>> TakePlace(store::Tx& tx, std::int64_t slot_id);
Status ReleasePlace(store::Tx& tx, std::int64_t slot_id);

// True when the patient holds a booked appointment overlapping [start_at, end_at).
Result<bool> HasOverlap(store::Tx& tx, std::int64_t patient_id, std::int64_t start_at, std::int64_t end_at);
Result<std::int64_t> InsertAppointment(store::Tx& tx, const NewAppointment& a);
// The start of the practitioner's latest slot starting after now_ms, nullopt when none.
Result<std::optional<std::int64_t>> LatestSlotStart(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms);
Result<std::optional<Appointment>> FindAppointment(store::Tx& tx, std::int64_t id);
// Appointments of these patients, newest start first; `status` "" = any.
Result<std::vector<Appointment>> AppointmentsOfPatients(store::Tx& tx, const std::vector<std::int64_t>& patient_ids,
                                                        const std::string& status, int limit);
// The practitioner's appointments with start_at in [from_ms, to_ms), by start then queue number.
Result<std::vector<Appointment>> AppointmentsOfPractitioner(store::Tx& tx, std::int64_t practitioner_id,
                                                            std::int64_t from_ms, std::int64_t to_ms);
// Booked appointments of the practitioner starting after now_ms.
Result<std::vector<Appointment>> FutureBooked(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms);
// booked -> cancelled; false when it was no longer booked.
Result<bool> CancelAppointment(store::Tx& tx, std::int64_t id, const std::string& by, const std::string& reason,
                               std::int64_t at);
// booked -> fulfilled | noshow; false when it was no longer booked.
Result<bool> CloseAppointment(store::Tx& tx, std::int64_t id, const std::string& status);

}  // namespace ihos::domain::scheduling::repo
