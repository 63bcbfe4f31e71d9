#pragma once
// Hooks other capabilities call inside their own transactions. The directory's admin
// "suspend practitioner" calls CancelFutureAppointments in the same transaction that sets
// status = 'suspended'; "reinstate" calls ReopenFutureSlots after setting status = 'active'.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "store/database.hpp"

namespace ihos::domain::scheduling {

// Cancels every booked appointment of the practitioner starting after now_ms (cancelled_by
// 'system', cancel_reason = reason_code, a key of core/messages such as
// "practitioner_suspended"), frees their places, closes the practitioner's future slots and
// notifies each patient and booker in zh-CN and en, suggesting another doctor of the same
// department. Returns how many appointments were cancelled.
Result<int> CancelFutureAppointments(store::Tx& tx, std::int64_t practitioner_id, const std::string& reason_code,
                                     std::int64_t now_ms);

// Reopens the practitioner's future slots that their schedule still plans (the periodic roll
// extends them to the horizon). Call after the practitioner is active again.
Status ReopenFutureSlots(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms);

// Billing: the hold on an unpaid booking ended. Cancels the appointment when still booked
// (cancelled_by 'system', reason "appointment_unpaid"), frees its place and tells the patient and
// booker. Returns whether it was cancelled.
Result<bool> ReleaseUnpaidAppointment(store::Tx& tx, std::int64_t appointment_id, std::int64_t now_ms);

}  // namespace ihos::domain::scheduling
