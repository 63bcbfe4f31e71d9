#pragma once
// Storage of notifications (the `notifications` table). Implemented in repository.cpp beside
// this header, the same SQL on both backends. All functions run inside the caller's
// transaction; errors are those of store::Tx. Only the notifications capability includes this
// header; others call service.hpp.
#include <vector>

#include "domain/notifications/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::notifications::repo {

// The new notification's id.
Result<std::int64_t> Insert(store::Tx& tx, const Message& m, std::int64_t created_at);
// The user's latest `limit` notifications due by `now` (a reminder is written ahead, with its
// future time), newest first.
Result<std::vector<Notification>> OfUser(store::Tx& tx, std::int64_t user_id, std::int64_t now, int limit);
// Deletes the notifications of `kind` about the appointment that are not due yet (after `now`).
Status DeleteScheduled(store::Tx& tx, std::int64_t appointment_id, const std::string& kind, std::int64_t now);
// Marks the user's notification read (idempotent); false when the user has no such notification.
Result<bool> MarkRead(store::Tx& tx, std::int64_t user_id, std::int64_t id, std::int64_t at);

}  // namespace ihos::domain::notifications::repo
