// SQL of the notifications capability (declared in repository.hpp beside this file).
#include "domain/notifications/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::notifications::repo {
namespace {

constexpr const char* kCols =
    "id, user_id, kind, title_zh, title_en, body_zh, body_en, appointment_id, created_at, read_at";

Notification ToNotification(const store::Row& r) {
  Notification n;
  n.id = r.Int(0);
  n.user_id = r.Int(1);
  n.kind = r.Text(2);
  n.title_zh = r.Text(3);
  n.title_en = r.Text(4);
  n.body_zh = r.Text(5);
  n.body_en = r.Text(6);
  n.appointment_id = r.OptInt(7);
  n.created_at = r.Int(8);
  n.read_at = r.OptInt(9);
  return n;
}

}  // namespace

Result<std::int64_t> Insert(store::Tx& tx, const Message& m, std::int64_t created_at) {
  auto rows = tx.Query(
      "INSERT INTO notifications (user_id, kind, title_zh, title_en, body_zh, body_en, appointment_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {m.user_id, m.kind, m.title_zh, m.title_en, m.body_zh, m.body_en, store::OrNull(m.appointment_id), created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::vector<Notification>> OfUser(store::Tx& tx, std::int64_t user_id, std::int64_t now, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kCols +
                           " FROM notifications WHERE user_id = $1 AND created_at <= $3"
                           " ORDER BY created_at DESC, id DESC LIMIT $2",
                       {user_id, std::int64_t{limit}, now});
  if (!rows) return rows.error();
  std::vector<Notification> out;
  for (const auto& r : *rows) out.push_back(ToNotification(r));
  return out;
}

Status DeleteScheduled(store::Tx& tx, std::int64_t appointment_id, const std::string& kind, std::int64_t now) {
  auto n = tx.Exec("DELETE FROM notifications WHERE appointment_id = $1 AND kind = $2 AND created_at > $3",
                   {appointment_id, kind, now});
  if (!n) return n.error();
  return {};
}

Result<bool> MarkRead(store::Tx& tx, std::int64_t user_id, std::int64_t id, std::int64_t at) {
  auto n = tx.Exec("UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2",
                   {id, user_id, at});
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace ihos::domain::notifications::repo
