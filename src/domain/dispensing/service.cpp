// Drug orders: the patient's side, billing's hooks and the shared transition (declared in
// service.hpp beside this file). The pharmacy's and couriers' side is in staff.cpp.
#include "domain/dispensing/service.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "domain/audit/audit.hpp"
#include "domain/dispensing/pickup.hpp"
#include "domain/dispensing/repository.hpp"
#include "domain/dispensing/rules.hpp"
#include "domain/dispensing/service_internal.hpp"

namespace ihos::domain::dispensing {
using internal::Conflict;
using internal::ModeErrors;
using internal::NotFound;
using internal::OrderAt;
using internal::Ref;
using store::Tx;
using store::TxMode;

namespace {

constexpr int kListLimit = 100;
}  // namespace

namespace internal {

// Field errors of where an order goes.
std::vector<FieldError> ModeErrors(const std::string& mode, const std::string& address, double lat, double lon) {
  std::vector<FieldError> errs;
  if (mode != "delivery" && mode != "pickup") errs.push_back({"mode", "invalid"});
  if (mode == "delivery") {
    if (address.empty()) errs.push_back({"address", "required"});
    if (!std::isfinite(lat) || lat < -90 || lat > 90) errs.push_back({"lat", "out_of_range"});
    if (!std::isfinite(lon) || lon < -180 || lon > 180) errs.push_back({"lon", "out_of_range"});
  }
  return errs;
}

// A new order at pharmacy `p` (open; a delivery address within its radius), without lines.
// Errors: conflict pharmacy_closed, delivery_out_of_range.
Result<Order> OrderAt(const pharmacy::Pharmacy& p, const std::string& mode, const std::string& address, double lat,
                      double lon, const std::string& contact_phone, std::int64_t now) {
  if (p.status != "open") return Conflict("pharmacy_closed", p.name);
  Order o;
  o.pharmacy_id = p.id;
  o.pharmacy_name = p.name;
  o.mode = mode;
  o.contact_phone = contact_phone;
  o.pickup_nonce = crypto::RandomToken(12);
  o.created_at = now;
  if (mode == "delivery") {
    const auto d = DistanceM(lat, lon, p.lat, p.lon);
    if (!p.delivers || d > p.delivery_radius_m)
      return Conflict("delivery_out_of_range", std::to_string(d) + " m > " + std::to_string(p.delivery_radius_m));
    o.address = address;
    o.lat_e6 = ToE6(lat);
    o.lon_e6 = ToE6(lon);
    o.delivery_fee_fen = p.delivery_fee_fen;
  }
  return o;
}

}  // namespace internal

DispensingService::DispensingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                                     prescriptions::PrescriptionService& prescriptions, drugs::DrugService& drugs,
                                     pharmacy::PharmacyService& pharmacies, CourierProvider& courier,
                                     BillingHooks billing, Config config)
    : db_(db),
      clock_(clock),
      accounts_(accounts),
      prescriptions_(prescriptions),
      drugs_(drugs),
      pharmacies_(pharmacies),
      courier_(courier),
      billing_(std::move(billing)),
      config_(config) {}

Result<Order> DispensingService::Reload(Tx& tx, std::int64_t id) {
  auto o = repo::FindOrder(tx, id);
  if (!o) return o.error();
  if (!*o) return NotFound();
  if ((*o)->total_fen() == 0) {
    (*o)->paid = true;
  } else if (billing_.paid) {
    auto p = billing_.paid(tx, id);
    if (!p) return p.error();
    (*o)->paid = *p;
  }
  return std::move(**o);
}

Result<Order> DispensingService::Placed(const Principal& actor, std::int64_t id) {
  if (billing_.open_bill) {
    auto total = Get(actor, id);
    if (total && total->total_fen() > 0)
      if (auto st = billing_.open_bill(actor, id); !st)
        log::Warn("dispensing: opening the bill failed", {{"order", std::to_string(id)}, {"code", st.error().code}});
  }
  return Published(Get(actor, id));
}

Result<Order> DispensingService::Published(Result<Order> r) {
  if (r && config_.changed) config_.changed(*r);
  return r;
}

void DispensingService::Changed(std::int64_t id) {
  if (!config_.changed) return;
  auto o = db_.With<Order>(TxMode::read, [&](Tx& tx) { return Reload(tx, id); });
  if (!o) {
    log::Warn("dispensing: reading a changed order failed", {{"order", std::to_string(id)}, {"code", o.error().code}});
    return;
  }
  config_.changed(*o);
}

Result<std::optional<Order>> DispensingService::Watch(const Principal& actor, std::string_view topic) {
  const auto colon = topic.find(':');
  if (colon == std::string_view::npos) return NotFound();
  const std::string_view family = topic.substr(0, colon + 1), key = topic.substr(colon + 1);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
  if (key.empty() || ec != std::errc() || end != key.data() + key.size() || id <= 0) return NotFound();
  if (family == "drug-order:") {
    auto o = Get(actor, id);
    if (!o) return o.error();
    return std::optional<Order>(std::move(*o));
  }
  if (family != "pharmacy-orders:") return NotFound();
  return db_.With<std::optional<Order>>(TxMode::read, [&](Tx& tx) -> Result<std::optional<Order>> {
    auto duty = pharmacies_.StaffDuty(tx, actor.user_id, id);
    if (!duty) return duty.error();
    if (!*duty) return NotFound();
    return std::optional<Order>();
  });
}

Result<Order> DispensingService::MoveIn(Tx& tx, const Order& o, const std::vector<std::string>& from,
                                        const std::string& to, const std::string& reason, const Principal* actor,
                                        const std::string& role, const RequestMeta& meta, std::int64_t now) {
  bool moved = false;
  for (const auto& f : from) {
    if (f != o.status || !CanMove(f, to)) continue;
    auto m = repo::Move(tx, o.id, f, to, reason, now);
    if (!m) return m.error();
    moved = *m;
  }
  if (!moved) return Conflict("drug_order_wrong_status", o.status);
  const std::optional<std::int64_t> actor_id = actor ? std::optional(actor->user_id) : std::nullopt;
  if (auto st = repo::InsertEvent(tx, o.id, actor_id, Event{to, role, reason, now}); !st) return st.error();
  // Ended before the medicine reached the patient: the reservation goes back (once: only the move
  // that ended the order gets here, and Release is idempotent per ref).
  if (to == "cancelled" || to == "rejected" || to == "expired")
    if (auto st = pharmacies_.Release(tx, Ref(o.id), now); !st) return st.error();
  if (actor && role != "patient")
    if (auto st =
            audit::Append(tx, audit::Entry{now, actor->user_id, actor->AuditRole(), "drug_order." + to, o.patient_id,
                                           "MedicationDispense", std::to_string(o.id), reason, meta.request_id});
        !st)
      return st.error();
  return Reload(tx, o.id);
}

Result<std::string> DispensingService::RxRefusalIn(Tx& tx, std::int64_t prescription_id, std::int64_t now) {
  auto st = prescriptions_.StateForDispensing(tx, prescription_id);
  if (!st) return st.error();
  if (!*st) return std::string("rx_not_approved");
  return RxRefusal((*st)->status, (*st)->expires_at, now);
}

Result<Orderable> DispensingService::OrderableOf(const Principal& actor, std::int64_t prescription_id,
                                                 const RequestMeta& meta) {
  auto rx = prescriptions_.Get(actor, prescription_id, meta);
  if (!rx) return rx.error();
  const std::int64_t now = clock_.NowMs();
  return db_.With<Orderable>(TxMode::read, [&](Tx& tx) -> Result<Orderable> {
    auto can = accounts_.CanActFor(tx, actor, rx->patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    auto ordered = repo::OrderedPerLine(tx, rx->id);
    if (!ordered) return ordered.error();
    auto dispensed = repo::DispensedPerLine(tx, rx->id);
    if (!dispensed) return dispensed.error();
    Orderable out{rx->id, rx->rx_no, rx->status, rx->expires_at, RxRefusal(rx->status, rx->expires_at, now), {}};
    for (const auto& i : rx->items) {
      LineProgress l{i.line, i.formulary_id, i.generic_name, i.strength, i.quantity, 0, 0};
      if (auto it = ordered->find(i.line); it != ordered->end()) l.ordered = it->second;
      if (auto it = dispensed->find(i.line); it != dispensed->end()) l.dispensed = it->second;
      out.lines.push_back(std::move(l));
    }
    return out;
  });
}

Result<Order> DispensingService::Place(const Principal& actor, const OrderInput& in, const RequestMeta& meta) {
  auto errs = ModeErrors(in.mode, in.address, in.lat, in.lon);
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  auto rx = prescriptions_.Get(actor, in.prescription_id, meta);
  if (!rx) return rx.error();
  const std::int64_t now = clock_.NowMs();
  std::vector<std::int64_t> ids;
  for (const auto& i : rx->items) ids.push_back(i.formulary_id);
  auto formulary = drugs_.FormularyByIds(ids);
  if (!formulary) return formulary.error();
  std::map<std::int64_t, std::string> item_code;
  for (const auto& f : *formulary) item_code[f.id] = ItemCodeFor(f.drug.reimbursement_class);
  std::map<std::int64_t, std::int64_t> prescribed;
  std::map<std::int64_t, const prescriptions::Item*> item_of;
  for (const auto& i : rx->items) {
    prescribed[i.line] = i.quantity;
    item_of[i.line] = &i;
  }

  auto id = db_.With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto can = accounts_.CanActFor(tx, actor, rx->patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    // One prescription's orders are placed one at a time: what is left of each line is decided once.
    if (auto st = tx.LockChain("drug_order:rx:" + std::to_string(rx->id)); !st) return st.error();
    // Approved and in date now, in the transaction that writes the order (a cancel waits for it).
    auto refusal = RxRefusalIn(tx, rx->id, now);
    if (!refusal) return refusal.error();
    if (!refusal->empty()) return Conflict(*refusal, rx->rx_no);
    auto ordered = repo::OrderedPerLine(tx, rx->id);
    if (!ordered) return ordered.error();
    auto picks = PickLines(prescribed, *ordered, in.lines);
    if (!picks.error.empty()) {
      if (picks.error == "rx_line_unknown") return ValidationFailed({{"lines", "rx_line_unknown"}});
      return Conflict(picks.error, picks.line_no ? std::to_string(picks.line_no) : rx->rx_no);
    }
    auto ph = pharmacies_.FindPharmacy(tx, in.pharmacy_id);
    if (!ph) return ph.error();
    if (!*ph) return ValidationFailed({{"pharmacy_id", "unknown_pharmacy"}});
    auto made = OrderAt(**ph, in.mode, in.address, in.lat, in.lon, in.contact_phone, now);
    if (!made) return made.error();
    Order o = std::move(*made);
    const auto& p = **ph;
    o.patient_id = rx->patient_id;
    o.created_by = actor.user_id;
    o.prescription_id = rx->id;
    o.rx_line_count = static_cast<std::int64_t>(rx->items.size());
    std::vector<pharmacy::BasketLine> basket;
    for (const auto& pk : picks.picks) basket.push_back({item_of[pk.line_no]->formulary_id, pk.quantity});
    auto prices = pharmacies_.Prices(tx, p.id, basket);
    if (!prices) return prices.error();
    for (std::size_t k = 0; k < picks.picks.size(); ++k) {
      const auto* item = item_of[picks.picks[k].line_no];
      if (k >= prices->size() || !(*prices)[k]) return Conflict("pharmacy_item_unavailable", item->generic_name);
      auto code = item_code.find(item->formulary_id);
      o.lines.push_back(OrderLine{item->line, item->formulary_id, item->generic_name, item->strength, item->quantity,
                                  picks.picks[k].quantity, *(*prices)[k],
                                  code == item_code.end() ? "drug.none" : code->second, ""});
      o.items_fen += picks.picks[k].quantity * *(*prices)[k];
    }
    auto id = repo::InsertOrder(tx, o);
    if (!id) return id.error();
    if (auto st = repo::InsertEvent(tx, *id, actor.user_id, Event{"placed", "patient", "", now}); !st)
      return st.error();
    // The patient's open needs of these drugs are met by this order: a reservation a pharmacy
    // holds for them is released inside the order's own reservation (one lock order), so it does
    // not block the order. All of it or nothing (stock_insufficient rolls everything back).
    std::vector<std::string> replaced;
    if (config_.needs_met) {
      std::vector<std::int64_t> items;
      for (const auto& b : basket) items.push_back(b.formulary_item_id);
      auto refs = config_.needs_met(tx, rx->patient_id, items, Ref(*id), now);
      if (!refs) return refs.error();
      replaced = std::move(*refs);
    }
    if (auto st = pharmacies_.Reserve(tx, p.id, Ref(*id), basket, now, replaced); !st) return st.error();
    return *id;
  });
  if (!id) return id.error();
  return Placed(actor, *id);
}

Result<std::vector<Order>> DispensingService::Mine(const Principal& actor) {
  return db_.With<std::vector<Order>>(TxMode::read, [&](Tx& tx) -> Result<std::vector<Order>> {
    // The actor and the wards the actor may still act for (guardianship ends at 18).
    std::vector<std::int64_t> patients{actor.user_id};
    auto wards = accounts_.Wards(tx, actor.user_id);
    if (!wards) return wards.error();
    for (const auto& w : *wards) {
      auto can = accounts_.CanActFor(tx, actor, w.user.id);
      if (!can) return can.error();
      if (*can) patients.push_back(w.user.id);
    }
    auto orders = repo::OrdersOfPatients(tx, patients, kListLimit);
    if (!orders) return orders.error();
    for (auto& o : *orders) {
      auto full = Reload(tx, o.id);
      if (!full) return full.error();
      o = std::move(*full);
    }
    return std::move(*orders);
  });
}

Result<Order> DispensingService::Get(const Principal& actor, std::int64_t id) {
  return db_.With<Order>(TxMode::read, [&](Tx& tx) -> Result<Order> {
    auto o = Reload(tx, id);
    if (!o) return o.error();
    if (o->created_by == actor.user_id || o->courier_id == actor.user_id) return o;
    auto can = accounts_.CanActFor(tx, actor, o->patient_id);
    if (!can) return can.error();
    if (*can) return o;
    auto duty = pharmacies_.StaffDuty(tx, actor.user_id, o->pharmacy_id);
    if (!duty) return duty.error();
    if (*duty) return o;
    return NotFound();
  });
}

Result<Order> DispensingService::Cancel(const Principal& actor, std::int64_t id, const std::string& reason,
                                        const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return Published(db_.With<Order>(TxMode::write, [&](Tx& tx) -> Result<Order> {
    auto o = Reload(tx, id);
    if (!o) return o.error();
    if (o->created_by != actor.user_id) {
      auto can = accounts_.CanActFor(tx, actor, o->patient_id);
      if (!can) return can.error();
      if (!*can) return NotFound();
    }
    return MoveIn(tx, *o, {"placed", "accepted"}, "cancelled", reason, &actor, "patient", meta, now);
  }));
}

Result<std::pair<std::int64_t, std::string>> DispensingService::SigningKey(Tx& tx) {
  auto k = repo::SigningKey(tx);
  if (!k) return k.error();
  if (*k) return std::move(**k);
  if (auto st = tx.LockChain("drug_pickup_keys"); !st) return st.error();
  k = repo::SigningKey(tx);
  if (!k) return k.error();
  if (*k) return std::move(**k);
  auto pair = pickup::NewKeyPair();
  auto id = repo::InsertKey(tx, pair.public_key, pair.secret_key, clock_.NowMs());
  if (!id) return id.error();
  return std::pair{*id, pair.secret_key};
}

Result<std::string> DispensingService::PickupCode(const Principal& actor, std::int64_t id) {
  return db_.With<std::string>(TxMode::write, [&](Tx& tx) -> Result<std::string> {
    auto o = Reload(tx, id);
    if (!o) return o.error();
    // The patient's side only: staff holding the code could mark it handed over without the patient.
    if (o->created_by != actor.user_id) {
      auto can = accounts_.CanActFor(tx, actor, o->patient_id);
      if (!can) return can.error();
      if (!*can) return NotFound();
    }
    if (o->mode != "pickup" || IsEnded(o->status)) return Conflict("drug_order_wrong_status", o->status);
    auto key = SigningKey(tx);
    if (!key) return key.error();
    return pickup::Sign(PickupClaim{key->first, o->id, o->pharmacy_id, o->pickup_nonce}, key->second);
  });
}

Result<std::vector<PublicKey>> DispensingService::PickupKeys() {
  return db_.With<std::vector<PublicKey>>(TxMode::read, [](Tx& tx) { return repo::PublicKeys(tx); });
}

// --- billing ---

Result<std::optional<Order>> DispensingService::ForBilling(Tx& tx, std::int64_t id) { return repo::FindOrder(tx, id); }

Status DispensingService::ReleaseUnpaid(Tx& tx, std::int64_t id, std::int64_t now) {
  auto o = repo::FindOrder(tx, id);
  if (!o) return o.error();
  if (!*o || (*o)->status != "placed") return {};
  auto m = MoveIn(tx, **o, {"placed"}, "expired", "unpaid", nullptr, "system", RequestMeta{}, now);
  if (!m && m.error().code != "drug_order_wrong_status") return m.error();
  return {};
}

// Expires placed orders never billed, then cancels paid orders not accepted within
// Config::accept_timeout_ms (billing refunds them); returns how many orders it ended.
Result<int> DispensingService::Sweep() {
  const std::int64_t now = clock_.NowMs();
  auto due = db_.With<std::vector<std::int64_t>>(
      TxMode::read, [&](Tx& tx) { return repo::PlacedBefore(tx, now - config_.unbilled_expiry_ms, 100); });
  if (!due) return due.error();
  int n = 0;
  for (auto id : *due) {
    bool paid = false;
    auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
      if (billing_.paid) {
        auto p = billing_.paid(tx, id);
        if (!p) return p.error();
        paid = *p;
        if (paid) return {};  // paid and waiting for the pharmacy: the accept timeout's (below)
      }
      return ReleaseUnpaid(tx, id, now);
    });
    if (st && !paid) {
      ++n;
      Changed(id);
    }
  }
  if (config_.accept_timeout_ms <= 0) return n;
  // Paid and never accepted in time: cancelled by the system, the reservation released (MoveIn);
  // billing's sweeper refunds the ended order once ("not_accepted"). Unpaid ones are the hold's.
  auto late = db_.With<std::vector<std::int64_t>>(
      TxMode::read, [&](Tx& tx) { return repo::PlacedBefore(tx, now - config_.accept_timeout_ms, 100); });
  if (!late) return late.error();
  for (auto id : *late) {
    bool ended = false;
    auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
      auto o = Reload(tx, id);
      if (!o) return o.error();
      if (o->status != "placed" || !o->paid) return {};  // moved on meanwhile, or the hold's
      auto m = MoveIn(tx, *o, {"placed"}, "cancelled", kAcceptTimeout, nullptr, "system", RequestMeta{}, now);
      if (!m) return m.error();
      ended = true;
      return {};
    });
    if (st && ended) {
      ++n;
      Changed(id);
    }
  }
  return n;
}

}  // namespace ihos::domain::dispensing
