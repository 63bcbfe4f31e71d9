#include "domain/notifications/service.hpp"

#include <algorithm>

#include "domain/notifications/repository.hpp"

namespace ihos::domain::notifications {

Result<std::int64_t> Send(store::Tx& tx, const Message& m, std::int64_t at) { return repo::Insert(tx, m, at); }

Status SendToEach(store::Tx& tx, const std::vector<std::int64_t>& users, const Message& m, std::int64_t at) {
  std::vector<std::int64_t> sent;
  for (auto u : users) {
    if (std::find(sent.begin(), sent.end(), u) != sent.end()) continue;
    sent.push_back(u);
    Message to = m;
    to.user_id = u;
    if (auto id = repo::Insert(tx, to, at); !id) return id.error();
  }
  return {};
}

NotificationService::NotificationService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Status WithdrawScheduled(store::Tx& tx, std::int64_t appointment_id, const std::string& kind, std::int64_t now) {
  return repo::DeleteScheduled(tx, appointment_id, kind, now);
}

Result<std::vector<Notification>> NotificationService::Mine(const Principal& actor) {
  return db_.With<std::vector<Notification>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::OfUser(tx, actor.user_id, clock_.NowMs(), kListLimit); });
}

Status NotificationService::MarkRead(const Principal& actor, std::int64_t id) {
  const std::int64_t now = clock_.NowMs();
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto ok = repo::MarkRead(tx, actor.user_id, id, now);
    if (!ok) return ok.error();
    if (!*ok) return MakeError(Errc::not_found, "not_found");
    return {};
  });
}

}  // namespace ihos::domain::notifications
