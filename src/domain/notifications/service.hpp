#pragma once
// Notifications: what a user is told, in zh-CN and en. Other capabilities send them inside
// their own transaction (Send), so a notice commits or rolls back with the change it reports;
// the addressee lists and marks them read over HTTP (api.hpp). See README.md beside this file.
//
// Thread-safe. Methods of NotificationService block on the database: call them from the
// worker pool.
#include <cstdint>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/notifications/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::notifications {

inline constexpr int kListLimit = 100;  // a user sees their latest 100

// Writes `m` in the caller's transaction `tx`, created at `at` (the caller's clock). Returns the
// new notification's id. Errors: those of store::Tx.
Result<std::int64_t> Send(store::Tx& tx, const Message& m, std::int64_t at);
// Sends `m` to each of `users` once (duplicates skipped, order kept), m.user_id being ignored:
// the patient and the booker of the same change. Errors: those of store::Tx.
Status SendToEach(store::Tx& tx, const std::vector<std::int64_t>& users, const Message& m, std::int64_t at);

// Withdraws the notifications of `kind` about the appointment that are not due yet (a reminder
// of an appointment cancelled meanwhile), in the caller's transaction. Errors: those of store::Tx.
Status WithdrawScheduled(store::Tx& tx, std::int64_t appointment_id, const std::string& kind, std::int64_t now);

class NotificationService {
 public:
  NotificationService(store::Database& db, const Clock& clock);

  // The actor's latest kListLimit notifications that are due (a reminder shows from its time on),
  // newest first. Errors: those of the store.
  Result<std::vector<Notification>> Mine(const Principal& actor);
  // Marks one of the actor's notifications read (idempotent; the first read time is kept).
  // Errors: not_found (no such notification of the actor's).
  Status MarkRead(const Principal& actor, std::int64_t id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace ihos::domain::notifications
