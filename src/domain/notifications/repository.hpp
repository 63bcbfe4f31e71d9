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
// The user's latest `limit` notifications, newest first.
Result<std::vector<Notification>> OfUser(store::Tx& tx, std::int64_t user_id, int limit);
// Marks the user's notification read (idempotent); false when the user has no such notification.
Result<bool> MarkRead(store::Tx& tx, std::int64_t user_id, std::int64_t id, std::int64_t at);

}  // namespace ihos::domain::notifications::repo
