// OTC (非处方药) drug orders: no prescription, lines a pharmacist marked OTC (declared in
// service.hpp beside this file; the rules are the drugs capability's otc_rules).
#include <algorithm>

#include "core/civil_time.hpp"
#include "core/log.hpp"
#include "core/resident_id.hpp"
#include "domain/dispensing/repository.hpp"
#include "domain/dispensing/service.hpp"
#include "domain/dispensing/service_internal.hpp"
#include "domain/drugs/otc_rules.hpp"

namespace ihos::domain::dispensing {
using internal::Conflict;
using internal::ModeErrors;
using internal::NotFound;
using internal::OrderAt;
using internal::Ref;
using store::Tx;
using store::TxMode;

namespace {

// Lines of one OTC order, at most (a basket, not a stockpile; ihos policy).
constexpr std::size_t kMaxOtcLines = 10;

}  // namespace

Result<Order> DispensingService::PlaceOtc(const Principal& actor, const OtcOrderInput& in,
                                          const RequestMeta& /*meta*/) {
  auto errs = ModeErrors(in.mode, in.address, in.lat, in.lon);
  std::vector<std::int64_t> ids;
  if (in.lines.empty()) errs.push_back({"lines", "required"});
  if (in.lines.size() > kMaxOtcLines) errs.push_back({"lines", "too_many"});
  for (const auto& l : in.lines) {
    if (l.quantity < 1) errs.push_back({"lines", "out_of_range"});
    if (std::find(ids.begin(), ids.end(), l.formulary_item_id) != ids.end()) errs.push_back({"lines", "duplicate"});
    ids.push_back(l.formulary_item_id);
  }
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  auto formulary = drugs_.FormularyByIds(ids);
  if (!formulary) return formulary.error();
  if (formulary->size() != ids.size()) return ValidationFailed({{"lines", "not_found"}});
  const std::int64_t patient = in.patient_id ? in.patient_id : actor.user_id;
  const std::int64_t now = clock_.NowMs();

  auto id = db_.With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto can = accounts_.CanActFor(tx, actor, patient);
    if (!can) return can.error();
    if (!*can) return NotFound();
    // The OTC state now, in the order's transaction: a mark revoked a moment ago is not sold.
    auto marks = drugs_.OtcStateIn(tx, ids);
    if (!marks) return marks.error();
    // The patient's age (a ward's, when a guardian buys) for the lines' minimum age (the insert's).
    auto person = accounts_.FindUser(tx, patient);
    if (!person) return person.error();
    if (!*person) return NotFound();
    const std::string& born = (*person)->birth_date;
    const int age = born.size() >= 10 ? AgeOn(born, CivilDateCst(now)) : -1;  // -1: unknown
    bool advice = false;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const auto& f = (*formulary)[k];
      auto m = marks->find(f.id);
      const std::optional<drugs::OtcMark> mark = m == marks->end() ? std::nullopt : std::optional(m->second);
      // Acknowledged per line: a basket changed after ticking does not carry the tick to a new 甲类 line.
      const auto& acks = in.advice_acknowledged_items;
      const bool acknowledged = std::find(acks.begin(), acks.end(), f.id) != acks.end();
      const auto refusal = drugs::OtcLineRefusal(f.drug, mark, in.lines[k].quantity, acknowledged);
      if (!refusal.empty()) {
        // The message names the drug (and the limit), so the buyer knows which line to change.
        Error e = Conflict(refusal, f.drug.name);
        e.params = {{"name", f.drug.name}};
        if (refusal == "otc_quantity_limit") e.params.push_back({"max", std::to_string(drugs::OtcMaxPerOrder(*mark))});
        return e;
      }
      // Unknown age (no birth date on record) is refused too: the line's insert sets a minimum.
      if (f.min_age_years > 0 && age < f.min_age_years) {
        Error e = Conflict("otc_min_age", f.drug.name);
        e.params = {{"name", f.drug.name}, {"min", std::to_string(f.min_age_years)}};
        return e;
      }
      if (mark->otc_class == "A") advice = true;
    }
    auto ph = pharmacies_.FindPharmacy(tx, in.pharmacy_id);
    if (!ph) return ph.error();
    if (!*ph) return ValidationFailed({{"pharmacy_id", "unknown_pharmacy"}});
    auto made = OrderAt(**ph, in.mode, in.address, in.lat, in.lon, in.contact_phone, now);
    if (!made) return made.error();
    Order o = std::move(*made);
    o.kind = "otc";
    o.patient_id = patient;
    o.created_by = actor.user_id;
    o.rx_line_count = static_cast<std::int64_t>(ids.size());
    std::vector<pharmacy::BasketLine> basket;
    for (const auto& l : in.lines) basket.push_back({l.formulary_item_id, l.quantity});
    auto prices = pharmacies_.Prices(tx, o.pharmacy_id, basket);
    if (!prices) return prices.error();
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const auto& f = (*formulary)[k];
      if (k >= prices->size() || !(*prices)[k]) return Conflict("pharmacy_item_unavailable", f.drug.name);
      // Self-pay: without a prescription no insurance settles it (drug.none).
      o.lines.push_back(OrderLine{static_cast<std::int64_t>(k + 1), f.id, f.drug.name, f.strength, 0,
                                  in.lines[k].quantity, *(*prices)[k], "drug.none", marks->at(f.id).otc_class,
                                  marks->at(f.id).id});
      o.items_fen += in.lines[k].quantity * *(*prices)[k];
    }
    auto id = repo::InsertOrder(tx, o);
    if (!id) return id.error();
    // The buyer's acknowledgement of the pharmacist's advice (甲类) is kept on the timeline.
    if (auto st = repo::InsertEvent(tx, *id, actor.user_id,
                                    Event{"placed", "patient", advice ? "otc_advice_acknowledged" : "", now});
        !st)
      return st.error();
    std::vector<std::string> replaced;
    if (config_.needs_met) {
      auto refs = config_.needs_met(tx, patient, ids, Ref(*id), now);
      if (!refs) return refs.error();
      replaced = std::move(*refs);
    }
    if (auto st = pharmacies_.Reserve(tx, o.pharmacy_id, Ref(*id), basket, now, replaced); !st) return st.error();
    return *id;
  });
  if (!id) return id.error();
  return Placed(actor, *id);
}

Result<std::pair<std::string, std::string>> DispensingService::OtcRefusalIn(Tx& tx, const Order& o) {
  std::vector<std::int64_t> ids;
  for (const auto& l : o.lines) ids.push_back(l.formulary_item_id);
  auto marks = drugs_.OtcStateIn(tx, ids);
  if (!marks) return marks.error();
  for (const auto& l : o.lines) {
    auto m = marks->find(l.formulary_item_id);
    if (m == marks->end() || m->second.action != "mark") return std::pair{std::string("otc_not_marked"), l.name};
  }
  return std::pair{std::string(), std::string()};
}

}  // namespace ihos::domain::dispensing
