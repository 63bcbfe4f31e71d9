// Drug orders: the pharmacy's staff (queue, accept, reject, dispense, pickup scan, failed
// deliveries) and couriers (declared in service.hpp beside this file).
#include <algorithm>
#include <tuple>

#include "domain/dispensing/pickup.hpp"
#include "domain/dispensing/repository.hpp"
#include "domain/dispensing/rules.hpp"
#include "domain/dispensing/service.hpp"
#include "domain/dispensing/service_internal.hpp"
#include "domain/pharmacy/rules.hpp"

namespace ihos::domain::dispensing {
using internal::Conflict;
using internal::NotFound;
using internal::Ref;
using store::Tx;
using store::TxMode;

namespace {

constexpr int kQueueLimit = 200;

}  // namespace

Status DispensingService::CounterDuty(Tx& tx, const Principal& actor, std::int64_t pharmacy_id) {
  auto duty = pharmacies_.StaffDuty(tx, actor.user_id, pharmacy_id);
  if (!duty) return duty.error();
  if (!*duty) return NotFound();
  // Couriers carry orders; they do not accept, dispense or hand them over.
  if (**duty != "counter" && **duty != "manager") return MakeError(Errc::forbidden, "forbidden");
  return {};
}

Result<Order> DispensingService::AsStaff(Tx& tx, const Principal& actor, std::int64_t id) {
  auto o = Reload(tx, id);
  if (!o) return o.error();
  if (auto st = CounterDuty(tx, actor, o->pharmacy_id); !st) return st.error();
  return o;
}

Result<Order> DispensingService::StaffAction(
    const Principal& actor, std::int64_t id,
    const std::function<Result<Order>(store::Tx&, const Order&, std::int64_t)>& body) {
  const std::int64_t now = clock_.NowMs();
  // Every staff step (and SupplyAction's rejection) is published once committed.
  return Published(db_.With<Order>(TxMode::write, [&](Tx& tx) -> Result<Order> {
    auto o = AsStaff(tx, actor, id);
    if (!o) return o.error();
    return body(tx, *o, now);
  }));
}

Result<Order> DispensingService::SupplyAction(
    const Principal& actor, std::int64_t id, const RequestMeta& meta,
    const std::function<Result<Order>(store::Tx&, const Order&, std::int64_t)>& body) {
  std::string refused, drug;
  auto out = StaffAction(actor, id, [&](Tx& tx, const Order& o, std::int64_t now) -> Result<Order> {
    refused.clear();  // the transaction may run again
    if (o.status != "placed" && o.status != "accepted") return body(tx, o, now);
    if (o.kind == "otc") {
      // An OTC order has no prescription; its lines must still be marked OTC (a revocation after the
      // order was placed stops it, as a cancelled prescription does).
      auto refusal = OtcRefusalIn(tx, o);
      if (!refusal) return refusal.error();
      if (refusal->first.empty()) return body(tx, o, now);
      std::tie(refused, drug) = *refusal;
    } else {
      auto refusal = RxRefusalIn(tx, o.prescription_id, now);
      if (!refusal) return refusal.error();
      if (refusal->empty()) return body(tx, o, now);
      refused = *refusal;
    }
    return MoveIn(tx, o, {"placed", "accepted"}, "rejected", refused, &actor, "pharmacy", meta, now);
  });
  if (!out) return out.error();
  if (!refused.empty() && !drug.empty()) {
    Error e = Conflict(refused, drug);
    e.params = {{"name", drug}};
    return e;
  }
  if (!refused.empty()) return Conflict(refused, std::to_string(out->prescription_id));
  return out;
}

Result<std::vector<std::int64_t>> DispensingService::MyPharmacies(const Principal& actor) {
  return db_.With<std::vector<std::int64_t>>(TxMode::read,
                                             [&](Tx& tx) { return pharmacies_.PharmaciesOf(tx, actor.user_id); });
}

Result<std::vector<Order>> DispensingService::Queue(const Principal& actor, std::int64_t pharmacy_id,
                                                    const std::string& status) {
  return db_.With<std::vector<Order>>(TxMode::read, [&](Tx& tx) -> Result<std::vector<Order>> {
    auto duty = pharmacies_.StaffDuty(tx, actor.user_id, pharmacy_id);
    if (!duty) return duty.error();
    if (!*duty) return NotFound();
    std::vector<std::string> statuses;
    if (!status.empty()) statuses.push_back(status);
    auto orders = repo::OrdersOfPharmacy(tx, pharmacy_id, statuses, kQueueLimit);
    if (!orders) return orders.error();
    for (auto& o : *orders) {
      auto full = Reload(tx, o.id);
      if (!full) return full.error();
      o = std::move(*full);
    }
    return std::move(*orders);
  });
}

Result<Order> DispensingService::Accept(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  return SupplyAction(actor, id, meta, [&](Tx& tx, const Order& o, std::int64_t now) -> Result<Order> {
    if (o.status == "placed" && !o.paid) return Conflict("drug_order_unpaid");
    return MoveIn(tx, o, {"placed"}, "accepted", "", &actor, "pharmacy", meta, now);
  });
}

Result<Order> DispensingService::Reject(const Principal& actor, std::int64_t id, const std::string& reason,
                                        const RequestMeta& meta) {
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  return StaffAction(actor, id, [&](Tx& tx, const Order& o, std::int64_t now) -> Result<Order> {
    return MoveIn(tx, o, {"placed", "accepted"}, "rejected", reason, &actor, "pharmacy", meta, now);
  });
}

Result<pharmacy::ScanCheck> DispensingService::BatchCheck(const Principal& actor, std::int64_t id,
                                                          const std::vector<std::string>& batch_codes, bool partial) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<pharmacy::ScanCheck>(TxMode::read, [&](Tx& tx) -> Result<pharmacy::ScanCheck> {
    auto o = AsStaff(tx, actor, id);
    if (!o) return o.error();
    if (o->status != "accepted") return Conflict("drug_order_wrong_status", o->status);
    std::vector<pharmacy::BasketLine> ordered;
    for (const auto& l : o->lines) ordered.push_back({l.formulary_item_id, l.quantity});
    auto check = pharmacies_.CheckScans(tx, o->pharmacy_id, ordered, batch_codes, now);
    if (!check) return check.error();
    if (auto refusal = pharmacy::ScanRefusal(*check, !partial)) return *refusal;
    return check;
  });
}

Result<Order> DispensingService::Dispense(const Principal& actor, std::int64_t id, const RequestMeta& meta,
                                          const std::optional<std::vector<std::string>>& batch_codes) {
  return SupplyAction(actor, id, meta, [&](Tx& tx, const Order& o, std::int64_t now) -> Result<Order> {
    auto moved = MoveIn(tx, o, {"accepted"}, "dispensed", "", &actor, "pharmacy", meta, now);
    if (!moved) return moved.error();
    // Scanned at the counter: those boxes; else the ledger picks earliest expiry first.
    auto batches = batch_codes ? pharmacies_.DispenseScanned(tx, Ref(o.id), *batch_codes, actor.user_id, now)
                               : pharmacies_.Dispense(tx, Ref(o.id), actor.user_id, now);
    if (!batches) return batches.error();
    for (const auto& b : *batches)
      if (auto st = repo::InsertBatch(tx, o.id, Batch{b.formulary_item_id, b.batch_no, b.expiry_date, b.quantity}); !st)
        return st.error();
    if (o.kind == "otc") {
      if (o.mode == "delivery")
        if (auto st = courier_.Dispatch(tx, *moved); !st) return st.error();
      return Reload(tx, o.id);
    }
    // The prescription is dispensed when every line of it is, across its orders.
    auto done = repo::DispensedPerLine(tx, o.prescription_id);
    if (!done) return done.error();
    auto prescribed = repo::PrescribedPerLine(tx, o.prescription_id);
    if (!prescribed) return prescribed.error();
    bool all = static_cast<std::int64_t>(done->size()) == o.rx_line_count;
    for (const auto& [line, qty] : *prescribed)
      if (auto it = done->find(line); it == done->end() || it->second < qty) all = false;
    if (all) {
      // Checked and locked above (SupplyAction); false still means it is no longer approved.
      auto m = prescriptions_.MarkDispensed(tx, o.prescription_id);
      if (!m) return m.error();
      if (!*m) return Conflict("rx_not_approved", std::to_string(o.prescription_id));
    }
    if (o.mode == "delivery")
      if (auto st = courier_.Dispatch(tx, *moved); !st) return st.error();
    return Reload(tx, o.id);
  });
}

Result<Order> DispensingService::ScanPickup(const Principal& actor, std::int64_t pharmacy_id, const std::string& code,
                                            const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return Published(db_.With<Order>(TxMode::write, [&](Tx& tx) -> Result<Order> {
    if (auto st = CounterDuty(tx, actor, pharmacy_id); !st) return st.error();
    auto parsed = ParsePickup(code);
    if (!parsed) return Conflict("pickup_code_invalid");
    auto pk = repo::PublicKeyOf(tx, parsed->claim.key_id);
    if (!pk) return pk.error();
    if (!*pk || !pickup::Verify(parsed->message, parsed->signature, **pk)) return Conflict("pickup_code_invalid");
    if (parsed->claim.pharmacy_id != pharmacy_id) return Conflict("pickup_wrong_pharmacy");
    auto o = Reload(tx, parsed->claim.order_id);
    if (!o) return o.error().code == "not_found" ? Conflict("pickup_code_invalid") : o.error();
    if (o->pickup_nonce != parsed->claim.nonce || o->pharmacy_id != pharmacy_id || o->mode != "pickup")
      return Conflict("pickup_code_invalid");
    if (o->pickup_used_at || o->status == "handed_over") return Conflict("pickup_code_used");
    if (o->status != "dispensed") return Conflict("drug_order_wrong_status", o->status);
    auto used = repo::UsePickup(tx, o->id, actor.user_id, now);
    if (!used) return used.error();
    if (!*used) return Conflict("pickup_code_used");
    return MoveIn(tx, *o, {"dispensed"}, "handed_over", "", &actor, "pharmacy", meta, now);
  }));
}

Result<Order> DispensingService::Redeliver(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  return StaffAction(actor, id, [&](Tx& tx, const Order& o, std::int64_t now) -> Result<Order> {
    auto m = MoveIn(tx, o, {"failed"}, "dispensed", "", &actor, "pharmacy", meta, now);
    if (!m) return m.error();
    if (auto c = repo::SetCourier(tx, o.id, std::nullopt, now); !c) return c.error();
    return Reload(tx, o.id);
  });
}

Result<Order> DispensingService::TakeBack(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  return StaffAction(actor, id, [&](Tx& tx, const Order& o, std::int64_t now) -> Result<Order> {
    auto m = MoveIn(tx, o, {"failed"}, "returned", o.reason, &actor, "pharmacy", meta, now);
    if (!m) return m.error();
    if (auto st = pharmacies_.Return(tx, Ref(o.id), actor.user_id, now); !st) return st.error();
    // What came back is owed again: a dispensed prescription is approved again (so the patient can
    // order it again while it is in date); a partly supplied one is still approved.
    if (o.kind != "otc")
      if (auto r = prescriptions_.RevertDispensed(tx, o.prescription_id); !r) return r.error();
    return Reload(tx, o.id);
  });
}

Result<std::vector<Order>> DispensingService::CourierBoard(const Principal& actor) {
  return db_.With<std::vector<Order>>(TxMode::read, [&](Tx& tx) -> Result<std::vector<Order>> {
    auto mine = pharmacies_.PharmaciesOf(tx, actor.user_id);
    if (!mine) return mine.error();
    std::vector<Order> out;
    for (auto pid : *mine) {
      auto may = courier_.MayCarry(tx, pid, actor.user_id);
      if (!may) return may.error();
      if (!*may) continue;
      auto orders =
          repo::OrdersOfPharmacy(tx, pid, {"dispensed", "assigned", "picked_up", "failed", "delivered"}, kQueueLimit);
      if (!orders) return orders.error();
      for (auto& o : *orders) {
        const bool waiting = o.status == "dispensed" && o.mode == "delivery";
        if (!waiting && o.courier_id != actor.user_id) continue;
        auto full = Reload(tx, o.id);
        if (!full) return full.error();
        out.push_back(std::move(*full));
      }
    }
    return out;
  });
}

Result<Order> DispensingService::CourierMove(const Principal& actor, std::int64_t id, const std::string& to,
                                             const std::string& reason, const RequestMeta& meta) {
  if (to != "assigned" && to != "picked_up" && to != "delivered" && to != "failed")
    return ValidationFailed({{"status", "invalid"}});
  if (to == "failed" && reason.empty()) return ValidationFailed({{"reason", "required"}});
  const std::int64_t now = clock_.NowMs();
  return Published(db_.With<Order>(TxMode::write, [&](Tx& tx) -> Result<Order> {
    auto o = Reload(tx, id);
    if (!o) return o.error();
    auto may = courier_.MayCarry(tx, o->pharmacy_id, actor.user_id);
    if (!may) return may.error();
    if (!*may) return NotFound();
    if (o->mode != "delivery") return Conflict("drug_order_wrong_status", o->status);
    if (to == "assigned") {
      auto m = MoveIn(tx, *o, {"dispensed"}, "assigned", "", &actor, "courier", meta, now);
      if (!m) return m.error();
      if (auto c = repo::SetCourier(tx, o->id, actor.user_id, now); !c) return c.error();
      return Reload(tx, o->id);
    }
    if (o->courier_id != actor.user_id) return NotFound();
    const std::vector<std::string> from = to == "picked_up"   ? std::vector<std::string>{"assigned"}
                                          : to == "delivered" ? std::vector<std::string>{"picked_up"}
                                                              : std::vector<std::string>{"assigned", "picked_up"};
    return MoveIn(tx, *o, from, to, reason, &actor, "courier", meta, now);
  }));
}

}  // namespace ihos::domain::dispensing
