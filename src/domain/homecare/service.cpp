#include "domain/homecare/service.hpp"

#include <algorithm>

#include "core/mask.hpp"
#include "domain/audit/audit.hpp"
#include "domain/homecare/repository.hpp"
#include "domain/homecare/rules.hpp"
#include "domain/notifications/service.hpp"

namespace ihos::domain::homecare {
using store::Tx;
using store::TxMode;

namespace {

constexpr int kListLimit = 100;                 // my orders
constexpr int kOpenScanLimit = 500;             // requested orders scanned for the nurse's area
constexpr int kNurseListLimit = 200;            // the nurse's own orders
constexpr std::int64_t kRecentMs = 7 * kDayMs;  // completed orders stay on the board a week

Error Conflict(const char* code, std::string detail = {}) { return MakeError(Errc::conflict, code, std::move(detail)); }
Error NotFound() { return MakeError(Errc::not_found, "not_found"); }

// The order as `audience` may see it: nurses get the name masked; before acceptance they do not
// get the street address or the phone either.
OrderView ViewFor(homecare::Order o, Audience audience) {
  if (audience != Audience::patient) o.patient_name = MaskName(o.patient_name);
  if (audience == Audience::nurse_open) {
    o.address.clear();
    o.contact_phone.clear();
  }
  return OrderView{std::move(o), audience, std::nullopt};
}

Result<OrderView> WithEvents(Tx& tx, homecare::Order o, Audience audience) {
  auto events = repo::Events(tx, o.id);
  if (!events) return events.error();
  auto v = ViewFor(std::move(o), audience);
  v.events = std::move(*events);
  return v;
}

// The timeline event, the audit entry and the notification of one status change.
Status Record(Tx& tx, const homecare::Order& order, const std::string& status, const Principal& actor,
              const std::string& note, const RequestMeta& meta, std::int64_t now) {
  if (auto st =
          repo::InsertEvent(tx, order.id, actor.user_id, Event{status, ActorRole(order, actor.user_id), note, now});
      !st)
    return st;
  if (auto st =
          audit::Append(tx, audit::Entry{now, actor.user_id, actor.AuditRole(), "homecare." + status, order.patient_id,
                                         "ServiceRequest", std::to_string(order.id), note, meta.request_id});
      !st)
    return st;
  std::vector<std::int64_t> users;
  for (auto u : {order.booked_by, order.patient_id}) {
    if (u == actor.user_id && status == "requested") continue;  // no notice of one's own order
    users.push_back(u);
  }
  return notifications::SendToEach(tx, users, NoticeOf(order, status, note), now);
}

}  // namespace

HomeCareService::HomeCareService(store::Database& db, const Clock& clock, accounts::AccountService& accounts)
    : db_(db), clock_(clock), accounts_(accounts) {}

Result<std::vector<ServiceItem>> HomeCareService::Services() {
  return db_.With<std::vector<ServiceItem>>(TxMode::read, [](Tx& tx) { return repo::ActiveServices(tx); });
}

Result<PriceChange> HomeCareService::SetPrice(const Principal&, const std::string& code, std::int64_t price_fen,
                                              bool active) {
  if (price_fen < 0 || price_fen > 10'000'000) return ValidationFailed({{"price_fen", "out_of_range"}});
  const PriceChange change{code, price_fen, active};
  return db_.With<PriceChange>(TxMode::write, [&](Tx& tx) -> Result<PriceChange> {
    auto set = repo::SetServicePrice(tx, change);
    if (!set) return set.error();
    if (!*set) return NotFound();
    return change;
  });
}

Result<OrderView> HomeCareService::PlaceOrder(const Principal& actor, const OrderInput& in, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto check = CheckOrder(in, now);
  const std::int64_t patient = in.patient_id.value_or(actor.user_id);
  auto id = db_.With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto price = repo::ActiveServicePrice(tx, in.service_code);
    if (!price) return price.error();
    auto errs = check.errors;
    if (!*price) errs.push_back({"service_code", "unknown_service"});
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    auto can = accounts_.CanActFor(tx, actor, patient);
    if (!can) return can.error();
    if (!*can) return NotFound();
    if (auto st = tx.LockChain("homecare:patient:" + std::to_string(patient)); !st) return st.error();
    const std::int64_t day = *CstMidnightMs(in.date);
    auto dup = repo::HasOpenOrder(tx, patient, in.service_code, day, day + kDayMs);
    if (!dup) return dup.error();
    if (*dup) return Conflict("homecare_duplicate", in.date);
    std::string phone = in.contact_phone;
    if (phone.empty()) {
      auto own = repo::AccountPhone(tx, actor.user_id);
      if (!own) return own.error();
      phone = std::move(*own);
    }
    auto id = repo::InsertOrder(tx, NewOrder{patient, actor.user_id, in.service_code, **price, in.region_code,
                                             in.address, phone, check.start_at, check.end_at, in.note, now});
    if (!id) return id.error();
    auto o = repo::FindOrder(tx, *id);
    if (!o) return o.error();
    if (!*o) return NotFound();
    if (auto st = Record(tx, **o, "requested", actor, "", meta, now); !st) return st.error();
    return *id;
  });
  if (!id) return id.error();
  return Get(actor, *id, meta);
}

Result<std::vector<OrderView>> HomeCareService::MyOrders(const Principal& actor) {
  return db_.With<std::vector<OrderView>>(TxMode::read, [&](Tx& tx) -> Result<std::vector<OrderView>> {
    auto orders = repo::OrdersOfUser(tx, actor.user_id, kListLimit);
    if (!orders) return orders.error();
    std::vector<OrderView> out;
    for (auto& o : *orders) {
      auto v = WithEvents(tx, std::move(o), Audience::patient);
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
    return out;
  });
}

Result<OrderView> HomeCareService::Get(const Principal& actor, std::int64_t id, const RequestMeta&) {
  return db_.With<OrderView>(TxMode::read, [&](Tx& tx) -> Result<OrderView> {
    auto found = repo::FindOrder(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    auto& o = **found;
    if (o.nurse_id == actor.user_id) return WithEvents(tx, std::move(o), Audience::nurse_assigned);
    if (o.booked_by != actor.user_id) {
      auto can = accounts_.CanActFor(tx, actor, o.patient_id);
      if (!can) return can.error();
      if (!*can) return NotFound();
    }
    return WithEvents(tx, std::move(o), Audience::patient);
  });
}

Result<OrderView> HomeCareService::Cancel(const Principal& actor, std::int64_t id, const std::string& reason,
                                          const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto done = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto found = repo::FindOrder(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    const auto& o = **found;
    if (o.booked_by != actor.user_id) {
      auto can = accounts_.CanActFor(tx, actor, o.patient_id);
      if (!can) return can.error();
      if (!*can) return NotFound();
    }
    if (!CanCancel(o.status)) return Conflict("homecare_not_cancellable", o.status);
    if (CancelNeedsReason(o.status) && reason.empty()) return ValidationFailed({{"reason", "required"}});
    auto cancelled = repo::CancelOrder(tx, id, o.status, reason, now);
    if (!cancelled) return cancelled.error();
    if (!*cancelled) return Conflict("homecare_not_cancellable");
    return Record(tx, o, "cancelled", actor, reason, meta, now);
  });
  if (!done) return done.error();
  return Get(actor, id, meta);
}

Result<std::vector<std::string>> HomeCareService::Areas(const Principal& nurse) {
  return db_.With<std::vector<std::string>>(TxMode::read, [&](Tx& tx) { return repo::NurseAreas(tx, nurse.user_id); });
}

Result<std::vector<std::string>> HomeCareService::SetAreas(const Principal& nurse,
                                                           const std::vector<std::string>& codes) {
  if (auto errs = CheckAreas(codes); !errs.empty()) return ValidationFailed(std::move(errs));
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) { return repo::ReplaceNurseAreas(tx, nurse.user_id, codes); });
  if (!st) return st.error();
  return Areas(nurse);
}

Result<bool> HomeCareService::Paid(Tx& tx, const homecare::Order& o) {
  if (o.price_fen == 0 || !paid_) return true;  // explicitly free, or billing not wired
  return paid_(tx, o.id);
}

Result<std::optional<homecare::Order>> HomeCareService::BillingFactsOf(Tx& tx, std::int64_t id) {
  return repo::FindOrder(tx, id);
}

Result<NurseBoard> HomeCareService::Board(const Principal& nurse) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<NurseBoard>(TxMode::read, [&](Tx& tx) -> Result<NurseBoard> {
    NurseBoard board;
    auto areas = repo::NurseAreas(tx, nurse.user_id);
    if (!areas) return areas.error();
    board.areas = std::move(*areas);
    if (!board.areas.empty()) {
      auto open = repo::OpenOrders(tx, now, nurse.user_id, kOpenScanLimit);
      if (!open) return open.error();
      for (auto& o : *open) {
        if (!Covers(board.areas, o.region_code)) continue;
        // A priced order waits for its payment before any nurse sees it (README: Payment).
        auto paid = Paid(tx, o);
        if (!paid) return paid.error();
        if (*paid) board.open.push_back(ViewFor(std::move(o), Audience::nurse_open));
      }
    }
    auto mine = repo::NurseOrders(tx, nurse.user_id, now - kRecentMs, kNurseListLimit);
    if (!mine) return mine.error();
    for (auto& o : *mine) {
      auto v = WithEvents(tx, std::move(o), Audience::nurse_assigned);
      if (!v) return v.error();
      board.mine.push_back(std::move(*v));
    }
    return board;
  });
}

Result<OrderView> HomeCareService::Accept(const Principal& nurse, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto found = repo::FindOrder(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    const auto& o = **found;
    if (o.patient_id == nurse.user_id || o.booked_by == nurse.user_id) return Conflict("homecare_own_order");
    auto areas = repo::NurseAreas(tx, nurse.user_id);
    if (!areas) return areas.error();
    if (!Covers(*areas, o.region_code)) return Conflict("homecare_outside_area", o.region_code);
    if (o.status == "requested") {
      auto paid = Paid(tx, o);
      if (!paid) return paid.error();
      if (!*paid) return Conflict("homecare_payment_required");
    }
    auto accepted = repo::AcceptOrder(tx, id, nurse.user_id, now);
    if (!accepted) return accepted.error();
    if (!*accepted)
      return Conflict(o.status == "cancelled" ? "homecare_wrong_status" : "homecare_already_taken", o.status);
    return Record(tx, o, "accepted", nurse, "", meta, now);
  });
  if (!st) return st.error();
  return Get(nurse, id, meta);
}

Result<OrderView> HomeCareService::Transition(const Principal& nurse, std::int64_t id,
                                              const std::vector<std::string>& from, const std::string& to,
                                              const std::string& note, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto found = repo::FindOrder(tx, id);
    if (!found) return found.error();
    // Only the nurse who accepted it sees the order here; to anyone else it does not exist.
    if (!*found || (*found)->nurse_id != nurse.user_id) return NotFound();
    const auto& o = **found;
    if (std::find(from.begin(), from.end(), o.status) == from.end()) return Conflict("homecare_wrong_status", o.status);
    auto moved = repo::AdvanceOrder(tx, id, o.status, to, note, nurse.user_id, now);
    if (!moved) return moved.error();
    if (!*moved) return Conflict("homecare_wrong_status");
    return Record(tx, o, to, nurse, note, meta, now);
  });
  if (!st) return st.error();
  return Get(nurse, id, meta);
}

Result<OrderView> HomeCareService::Arrive(const Principal& nurse, std::int64_t id, const RequestMeta& meta) {
  return Transition(nurse, id, {"accepted"}, "arrived", "", meta);
}

Result<OrderView> HomeCareService::Complete(const Principal& nurse, std::int64_t id, const std::string& service_note,
                                            const RequestMeta& meta) {
  if (service_note.empty()) return ValidationFailed({{"service_note", "required"}});
  return Transition(nurse, id, {"arrived"}, "completed", service_note, meta);
}

}  // namespace ihos::domain::homecare
