#include "domain/nattest/service.hpp"

#include "core/mask.hpp"
#include "core/regions.hpp"
#include "domain/audit/audit.hpp"
#include "domain/healthcode/rules.hpp"  // ColourName
#include "domain/nattest/repository.hpp"
#include "domain/notifications/service.hpp"

namespace ihos::domain::nattest {
using store::Tx;
using store::TxMode;

namespace {

constexpr int kListLimit = 100;   // my bookings
constexpr int kStaffLimit = 200;  // home visits, pending samples

Error Conflict(const char* code, std::string detail = {}) { return MakeError(Errc::conflict, code, std::move(detail)); }
Error NotFound(const char* code = "not_found") { return MakeError(Errc::not_found, code); }

audit::Entry Audit(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient,
                   std::int64_t booking_id, std::string reason, const RequestMeta& meta) {
  return audit::Entry{now,
                      actor.user_id,
                      actor.AuditRole(),
                      std::move(action),
                      patient,
                      "ServiceRequest",
                      std::to_string(booking_id),
                      std::move(reason),
                      meta.request_id};
}

// Staff see the patient's name masked (张*丰).
Booking ForStaff(Booking b) {
  b.patient_name = MaskName(b.patient_name);
  return b;
}

// Tells the booker and the patient (once when they are the same) in both languages.
Status Notify(Tx& tx, const Booking& b, const notifications::Message& m, std::int64_t at) {
  return notifications::SendToEach(tx, {b.booked_by, b.patient_id}, m, at);
}

// The booking that must exist (read back after a write in the same transaction).
Result<Booking> Reload(Tx& tx, std::int64_t id) {
  auto b = repo::FindBooking(tx, id);
  if (!b) return b.error();
  if (!*b) return NotFound();
  return std::move(**b);
}

}  // namespace

NatTestService::NatTestService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                               healthcode::HealthCodeService& healthcode)
    : db_(db), clock_(clock), accounts_(accounts), healthcode_(healthcode) {}

// ---------------------------------------------------------------- sites and slots

Result<Site> NatTestService::AddSite(const Principal& actor, const SiteInput& in, bool demo) {
  if (auto errs = CheckSite(in); !errs.empty()) return ValidationFailed(std::move(errs));
  return db_.With<Site>(TxMode::write, [&](Tx& tx) -> Result<Site> {
    auto id = repo::InsertSite(tx, in, actor.user_id ? std::optional<std::int64_t>(actor.user_id) : std::nullopt,
                               clock_.NowMs(), demo);
    if (!id) return id.error();
    return Site{*id, in.name, in.kind, in.region_code, in.address, in.opening_hours, demo, 0, in.price_fen};
  });
}

Result<std::vector<Site>> NatTestService::Sites(const std::string& region) {
  if (!region.empty() && !FindRegion(region)) return ValidationFailed({{"region", "region_unknown"}});
  const std::int64_t now = clock_.NowMs();
  const std::string prefix = region.empty() ? "" : RegionPrefix(region);
  return db_.With<std::vector<Site>>(TxMode::read, [&](Tx& tx) {
    // Free places from now to the booking horizon, so the list shows where a test can be had.
    return repo::ActiveSites(tx, prefix, now, AddDays(CivilDateCst(now), kBookAheadDays));
  });
}

Result<std::vector<std::int64_t>> NatTestService::DemoSiteIds() {
  return db_.With<std::vector<std::int64_t>>(TxMode::read, [&](Tx& tx) { return repo::DemoSiteIds(tx); });
}

Result<SlotPlanOutcome> NatTestService::AddSlots(std::int64_t site_id, const SlotPlan& plan) {
  auto planned = PlanSlots(plan, CivilDateCst(clock_.NowMs()));
  if (!planned.errors.empty()) return ValidationFailed(std::move(planned.errors));
  return db_.With<SlotPlanOutcome>(TxMode::write, [&](Tx& tx) -> Result<SlotPlanOutcome> {
    auto active = repo::SiteIsActive(tx, site_id);
    if (!active) return active.error();
    if (!*active) return NotFound();
    SlotPlanOutcome out;
    for (const auto& s : planned.slots) {
      auto added = repo::InsertSlotIfAbsent(tx, site_id, s.date, s.start_at, s.end_at, plan.capacity);
      if (!added) return added.error();
      (*added ? out.created : out.existing) += 1;
    }
    if (out.created + out.existing == 0) return ValidationFailed({{"window_minutes", "window_longer_than_hours"}});
    return out;
  });
}

Result<SiteDay> NatTestService::SiteSlots(std::int64_t site_id, const std::string& date) {
  if (!IsValidIsoDate(date)) return ValidationFailed({{"date", "invalid_date"}});
  const std::int64_t now = clock_.NowMs();
  return db_.With<SiteDay>(TxMode::read, [&](Tx& tx) -> Result<SiteDay> {
    auto active = repo::SiteIsActive(tx, site_id);
    if (!active) return active.error();
    if (!*active) return NotFound();
    auto slots = repo::SlotsOn(tx, site_id, date);
    if (!slots) return slots.error();
    SiteDay day{site_id, date, {}};
    for (auto& s : *slots) {
      const bool bookable = s.capacity - s.booked > 0 && s.end_at > now;
      day.items.push_back({std::move(s), bookable});
    }
    return day;
  });
}

// ---------------------------------------------------------------- booking

Result<Booking> NatTestService::Book(const Principal& actor, std::int64_t patient, const RequestMeta& meta,
                                     const std::function<Result<std::int64_t>(Tx&)>& insert,
                                     const std::string& on_date) {
  const std::int64_t now = clock_.NowMs();
  auto id = db_.With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto can = accounts_.CanActFor(tx, actor, patient);
    if (!can) return can.error();
    if (!*can) return NotFound();
    // One live booking per person per day: the check and the insert are serialised per person
    // (the partial unique index nat_bookings_one_a_day is the backstop).
    if (auto st = tx.LockChain("nat:patient:" + std::to_string(patient)); !st) return st.error();
    auto dup = repo::HasLiveBookingOn(tx, patient, on_date);
    if (!dup) return dup.error();
    if (*dup) return Conflict("nat_booking_exists_today", on_date);
    auto id = insert(tx);
    if (!id) return id.error();
    if (auto st = repo::SetSampleNumber(tx, *id, SampleNumber(on_date, *id)); !st) return st.error();
    if (patient != actor.user_id)
      if (auto st = audit::Append(tx, Audit(actor, now, "nat.booking.create", patient, *id, "guardian", meta)); !st)
        return st.error();
    return *id;
  });
  if (!id) return id.error();
  return db_.With<Booking>(TxMode::read, [&](Tx& tx) { return Reload(tx, *id); });
}

Result<Booking> NatTestService::BookSlot(const Principal& actor, std::int64_t slot_id,
                                         std::optional<std::int64_t> patient_id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  const std::int64_t patient = patient_id.value_or(actor.user_id);
  auto slot = db_.With<std::optional<Slot>>(TxMode::read, [&](Tx& tx) { return repo::FindOpenSlot(tx, slot_id); });
  if (!slot) return slot.error();
  if (!*slot) return NotFound();
  const Slot& s = **slot;
  if (s.end_at <= now) return Conflict("nat_slot_past");
  return Book(
      actor, patient, meta,
      [&](Tx& tx) -> Result<std::int64_t> {
        // The one conditional update that takes a place (as scheduling's TakePlace).
        auto took = repo::TakePlace(tx, slot_id);
        if (!took) return took.error();
        if (!*took) return Conflict("nat_slot_full");
        NewBooking b;
        b.patient_id = patient;
        b.booked_by = actor.user_id;
        b.mode = "site";
        b.site_id = s.site_id;
        b.slot_id = slot_id;
        b.date = s.date;
        b.window_start = s.start_at;
        b.window_end = s.end_at;
        b.created_at = now;
        return repo::InsertBooking(tx, b);
      },
      s.date);
}

Result<Booking> NatTestService::BookHomeVisit(const Principal& actor, const HomeVisitInput& in,
                                              const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto window = CheckHomeVisit(in, now);
  if (!window.errors.empty()) return ValidationFailed(std::move(window.errors));
  const std::int64_t patient = in.patient_id.value_or(actor.user_id);
  return Book(
      actor, patient, meta,
      [&](Tx& tx) {
        NewBooking b;
        b.patient_id = patient;
        b.booked_by = actor.user_id;
        b.mode = "home";
        b.region_code = in.region_code;
        b.address = in.address;
        b.date = in.date;
        b.window_start = window.start_at;
        b.window_end = window.end_at;
        b.created_at = now;
        return repo::InsertBooking(tx, b);
      },
      in.date);
}

Result<std::vector<Booking>> NatTestService::MyBookings(const Principal& actor) {
  return db_.With<std::vector<Booking>>(TxMode::read,
                                        [&](Tx& tx) { return repo::BookingsOfUser(tx, actor.user_id, kListLimit); });
}

Result<Booking> NatTestService::Cancel(const Principal& actor, std::int64_t booking_id, const std::string& reason,
                                       const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto done = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto found = repo::FindBooking(tx, booking_id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    const Booking& b = **found;
    auto can = accounts_.CanActFor(tx, actor, b.patient_id);
    if (!can) return can.error();
    if (!*can && b.booked_by != actor.user_id) return NotFound();
    if (b.status != "booked" && b.status != "accepted") return Conflict("nat_not_cancellable", b.status);
    if (b.window_start <= now) return Conflict("nat_cancel_too_late");
    auto cancelled = repo::CancelBooking(tx, booking_id, reason, now);
    if (!cancelled) return cancelled.error();
    if (!*cancelled) return Conflict("nat_not_cancellable");
    if (b.slot_id)
      if (auto st = repo::ReleasePlace(tx, *b.slot_id); !st) return st;
    if (b.patient_id != actor.user_id)
      if (auto st = audit::Append(tx, Audit(actor, now, "nat.booking.cancel", b.patient_id, booking_id, reason, meta));
          !st)
        return st;
    return {};
  });
  if (!done) return done.error();
  return db_.With<Booking>(TxMode::read, [&](Tx& tx) { return Reload(tx, booking_id); });
}

Result<std::optional<Booking>> NatTestService::BillingFactsOf(Tx& tx, std::int64_t booking_id) {
  return repo::FindBooking(tx, booking_id);
}

// ---------------------------------------------------------------- nurse, lab

Result<std::vector<Booking>> NatTestService::HomeVisits(const Principal& staff, const std::string& region) {
  if (!region.empty() && !FindRegion(region)) return ValidationFailed({{"region", "region_unknown"}});
  const std::int64_t now = clock_.NowMs();
  const std::string prefix = region.empty() ? "" : RegionPrefix(region);
  auto rows = db_.With<std::vector<Booking>>(
      TxMode::read, [&](Tx& tx) { return repo::HomeVisitsFor(tx, now, prefix, staff.user_id, kStaffLimit); });
  if (!rows) return rows.error();
  std::vector<Booking> out;
  for (auto& b : *rows) {
    // The street address only to the one who accepted the visit; others see the region.
    if (b.status != "accepted") b.address.clear();
    out.push_back(ForStaff(std::move(b)));
  }
  return out;
}

Result<Booking> NatTestService::AcceptHomeVisit(const Principal& staff, std::int64_t booking_id,
                                                const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Booking>(TxMode::write, [&](Tx& tx) -> Result<Booking> {
    auto found = repo::FindBooking(tx, booking_id);
    if (!found) return found.error();
    if (!*found || (*found)->mode != "home") return NotFound();
    const Booking& b = **found;
    if (b.patient_id == staff.user_id) return Conflict("nat_own_booking");
    auto accepted = repo::AcceptHomeVisit(tx, booking_id, staff.user_id, now);
    if (!accepted) return accepted.error();
    if (!*accepted) return Conflict(b.status == "cancelled" ? "nat_not_cancellable" : "nat_already_accepted", b.status);
    if (auto st = audit::Append(tx, Audit(staff, now, "nat.home_visit.accept", b.patient_id, booking_id, "", meta));
        !st)
      return st.error();
    const std::string when = b.date + " " + WindowText(b.window_start, b.window_end);
    notifications::Message n{
        0,
        "nat_home_accepted",
        "上门核酸已接单",
        "Home test visit accepted",
        "您预约的上门核酸采样（" + when + "）已由医护人员接单，请按时在家等候。",
        "Your home nucleic-acid test visit (" + when + " CST) was accepted; please be at home then.",
        std::nullopt};
    if (auto st = Notify(tx, b, n, now); !st) return st.error();
    auto again = Reload(tx, booking_id);
    if (!again) return again.error();
    return ForStaff(std::move(*again));
  });
}

Result<Booking> NatTestService::Sample(const Principal& staff, const std::string& sample_no, const RequestMeta& meta) {
  if (!IsSampleNumber(sample_no)) return NotFound("nat_sample_not_found");
  const std::int64_t now = clock_.NowMs();
  return db_.With<Booking>(TxMode::write, [&](Tx& tx) -> Result<Booking> {
    auto found = repo::FindBookingBySample(tx, sample_no);
    if (!found) return found.error();
    if (!*found) return NotFound("nat_sample_not_found");
    const Booking& b = **found;
    // Every audited staff read says why (RULES.md): the sampler checks the tube's booking before
    // collecting, the only purpose this read serves. A reason code the access log translates.
    if (auto st = audit::Append(tx, Audit(staff, now, "nat.sample.read", b.patient_id, b.id, "nat_sample_check", meta));
        !st)
      return st.error();
    return ForStaff(b);
  });
}

Result<Booking> NatTestService::Collect(const Principal& staff, const std::string& sample_no, const RequestMeta& meta) {
  if (!IsSampleNumber(sample_no)) return NotFound("nat_sample_not_found");
  const std::int64_t now = clock_.NowMs();
  return db_.With<Booking>(TxMode::write, [&](Tx& tx) -> Result<Booking> {
    auto found = repo::FindBookingBySample(tx, sample_no);
    if (!found) return found.error();
    if (!*found) return NotFound("nat_sample_not_found");
    const Booking& b = **found;
    const std::string ready = ReadyForCollection(b.mode);
    if (b.status != ready) return Conflict("nat_not_collectable", b.status);
    if (CivilDateCst(now) < b.date) return Conflict("nat_booking_not_today", b.date);
    // A priced test is paid before its sample is taken (README: Payment).
    if (b.price_fen > 0 && paid_) {
      auto paid = paid_(tx, b.id);
      if (!paid) return paid.error();
      if (!*paid) return Conflict("nat_payment_required");
    }
    auto collected = repo::MarkCollected(tx, b.id, ready, staff.user_id, now);
    if (!collected) return collected.error();
    if (!*collected) return Conflict("nat_not_collectable");
    if (auto st = audit::Append(tx, Audit(staff, now, "nat.sample.collect", b.patient_id, b.id, sample_no, meta)); !st)
      return st.error();
    auto again = Reload(tx, b.id);
    if (!again) return again.error();
    return ForStaff(std::move(*again));
  });
}

Result<std::vector<Booking>> NatTestService::PendingSamples(const Principal&) {
  auto rows =
      db_.With<std::vector<Booking>>(TxMode::read, [&](Tx& tx) { return repo::CollectedSamples(tx, kStaffLimit); });
  if (!rows) return rows.error();
  std::vector<Booking> out;
  for (auto& b : *rows) {
    b.address.clear();  // the lab needs the sample, not where it was taken
    out.push_back(ForStaff(std::move(b)));
  }
  return out;
}

Result<RecordedResult> NatTestService::EnterResult(const Principal& lab, const std::string& sample_no,
                                                   const std::string& result, const RequestMeta& meta) {
  if (result != "negative" && result != "positive") return ValidationFailed({{"result", "invalid_value"}});
  if (!IsSampleNumber(sample_no)) return NotFound("nat_sample_not_found");
  const std::int64_t now = clock_.NowMs();
  std::vector<std::int64_t> recomputed;
  auto out = db_.With<RecordedResult>(TxMode::write, [&](Tx& tx) -> Result<RecordedResult> {
    healthcode::RecomputedScope scope(recomputed);
    auto found = repo::FindBookingBySample(tx, sample_no);
    if (!found) return found.error();
    if (!*found) return NotFound("nat_sample_not_found");
    const Booking& b = **found;
    if (b.status == "resulted") return Conflict("nat_already_resulted");
    if (b.status != "collected") return Conflict("nat_not_collected", b.status);
    // The health code's own lab-result path: fact, audit, recomputed colour — same transaction.
    healthcode::TestResultInput in{"", sample_no, result, b.collected_at.value_or(0)};
    auto fact = healthcode_.facts().AddTestResultTx(tx, lab, b.patient_id, in, meta);
    if (!fact) return fact.error();
    RecordedResult rec;
    rec.fact_id = fact->fact_id;
    rec.colour = std::string(healthcode::ColourName(fact->colour));
    auto recorded = repo::RecordResult(tx, b.id, result, lab.user_id, now, rec.fact_id);
    if (!recorded) return recorded.error();
    if (!*recorded) return Conflict("nat_already_resulted");
    const bool neg = result == "negative";
    notifications::Message n{0,
                             "nat_result",
                             neg ? "核酸检测结果：阴性" : "核酸检测结果：阳性",
                             neg ? "Nucleic-acid test: negative" : "Nucleic-acid test: positive",
                             "样本 " + sample_no + "（" + b.date + " 采样）的结果已出：" + (neg ? "阴性" : "阳性") +
                                 "。健康码已按规则更新。",
                             "The result of sample " + sample_no + " (sampled " + b.date + ") is " + result +
                                 ". Your health code was updated by the rules.",
                             std::nullopt};
    if (auto st = Notify(tx, b, n, now); !st) return st.error();
    auto again = Reload(tx, b.id);
    if (!again) return again.error();
    rec.booking = ForStaff(std::move(*again));
    return rec;
  });
  healthcode_.Invalidate(recomputed);  // the new colour shows at once in this process
  return out;
}

}  // namespace ihos::domain::nattest
