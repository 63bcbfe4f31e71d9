#include "domain/needs/service.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "core/regions.hpp"
#include "domain/needs/repository.hpp"
#include "domain/needs/rules.hpp"
#include "domain/needs/service_internal.hpp"
#include "domain/notifications/service.hpp"

namespace ihos::domain::needs {
using internal::Conflict;
using internal::NotFound;

namespace {
constexpr int kListLimit = 100;
constexpr int kMetByOrderLimit = 200;  // a patient's needs looked at when an order meets them
}  // namespace

NeedService::NeedService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                         drugs::DrugService& drugs, pharmacy::PharmacyService& pharmacy,
                         consultation::ConsultationService& consultation, Config config)
    : db_(db),
      clock_(clock),
      accounts_(accounts),
      drugs_(drugs),
      pharmacy_(pharmacy),
      consultation_(consultation),
      config_(std::move(config)) {}

Result<Need> NeedService::Load(store::Tx& tx, std::int64_t id, bool with_details) {
  auto n = repo::FindNeed(tx, id);
  if (!n) return n.error();
  if (!*n) return NotFound();
  Need need = std::move(**n);
  if (!with_details) return need;
  if (need.consent) {
    auto u = accounts_.FindUser(tx, need.consent->by);
    if (!u) return u.error();
    if (*u) need.consent->by_name = (*u)->real_name;
  }
  auto m = repo::MatchesOf(tx, id);
  if (!m) return m.error();
  need.matches = std::move(*m);
  auto a = repo::AnswersOf(tx, id);
  if (!a) return a.error();
  for (auto& ans : *a) {
    auto p = pharmacy_.FindPharmacy(tx, ans.pharmacy_id);
    if (!p) return p.error();
    if (*p) {
      ans.pharmacy_phone = (*p)->phone;
      ans.pharmacy_address = (*p)->address;
    }
  }
  need.answers = std::move(*a);
  return need;
}

Result<bool> NeedService::IsPatientSide(store::Tx& tx, const Principal& actor, const Need& n) {
  if (n.registered_by == actor.user_id) return true;
  if (!n.patient_id) return false;
  return accounts_.CanActFor(tx, actor, *n.patient_id);
}

Status NeedService::Notify(store::Tx& tx, const Need& n, const std::string& kind, const std::string& title_zh,
                           const std::string& title_en, const std::string& body_zh, const std::string& body_en,
                           std::int64_t now) {
  std::vector<std::int64_t> to;
  if (n.patient_id) to.push_back(*n.patient_id);
  to.push_back(n.registered_by);
  return notifications::SendToEach(tx, to, notifications::Message{0, kind, title_zh, title_en, body_zh, body_en, {}},
                                   now);
}

Result<Need> NeedService::Register(const Principal& actor, const NeedInput& in, const RequestMeta& meta) {
  const bool by_worker = in.subject_name.has_value() || in.subject_phone.has_value();
  std::vector<FieldError> errs;
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "unknown_region"});
  if (!in.lat_e6 || !in.lon_e6)
    errs.push_back({"lat", "required"});
  else if (!InChina(*in.lat_e6, *in.lon_e6))
    errs.push_back({"lat", "out_of_range"});
  if (by_worker) {
    if (!in.subject_name || in.subject_name->empty()) errs.push_back({"subject_name", "required"});
    if (!in.subject_phone || !IsMobile(*in.subject_phone)) errs.push_back({"subject_phone", "invalid"});
    if (in.patient_id) errs.push_back({"patient_id", "not_allowed"});
  }
  auto item = drugs_.GetFormulary(in.formulary_item_id);
  if (!item) {
    if (item.error().errc != Errc::not_found) return item.error();
    errs.push_back({"formulary_item_id", "not_in_formulary"});
  }
  if (!errs.empty()) return ValidationFailed(std::move(errs));

  const std::int64_t now = clock_.NowMs();
  Need n;
  n.formulary_item_id = item->id;
  n.drug_name = item->drug.name + " " + item->strength;
  n.quantity = in.quantity;
  n.region_code = in.region_code;
  n.address = in.address;
  n.lat_e6 = *in.lat_e6;
  n.lon_e6 = *in.lon_e6;
  n.days_left = in.days_left;
  n.marked_urgent = in.marked_urgent;
  n.urgency = UrgencyOf(in.days_left, in.marked_urgent);
  n.condition = in.condition;
  n.icd10_code = in.icd10_code;
  n.needs_prescription = in.needs_prescription;
  n.registered_by = actor.user_id;
  n.created_at = n.updated_at = now;
  auto id = db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    if (by_worker) {
      auto w = repo::FindWorker(tx, actor.user_id);
      if (!w) return w.error();
      if (!*w || !(*w)->active) return MakeError(Errc::forbidden, "need_worker_only");
      n.registered_as = "worker";
      n.subject_name = *in.subject_name;
      n.subject_phone = *in.subject_phone;
      n.status = "awaiting_consent";
    } else {
      const std::int64_t patient_id = in.patient_id.value_or(actor.user_id);
      auto can = accounts_.CanActFor(tx, actor, patient_id);
      if (!can) return can.error();
      if (!*can) return NotFound();
      auto u = accounts_.FindUser(tx, patient_id);
      if (!u) return u.error();
      if (!*u) return NotFound();
      n.patient_id = patient_id;
      n.subject_name = (*u)->real_name;
      n.registered_as = patient_id == actor.user_id ? "patient" : "guardian";
      n.status = "open";
      n.consent = needs::Consent{"self", now, actor.user_id, ""};
    }
    return repo::InsertNeed(tx, n);
  });
  if (!id) return id.error();
  if (by_worker) {
    // After the commit: a refused send (too frequent) leaves the registration to be resent.
    auto sent = accounts_.sms_codes().Issue(n.subject_phone, internal::ConsentPurpose(*id), meta.client_addr);
    if (!sent) log::Warn("need consent code not sent", {{"need_id", *id}, {"code", sent.error().code}});
  } else if (auto m = Match(*id); !m) {
    log::Warn("need match failed", {{"need_id", *id}, {"code", m.error().code}});
  }
  return db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, *id, true); });
}

Result<std::vector<Need>> NeedService::Mine(const Principal& actor) {
  return db_.With<std::vector<Need>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Need>> {
    std::vector<std::int64_t> ids{actor.user_id};
    auto wards = accounts_.Wards(tx, actor.user_id);
    if (!wards) return wards.error();
    for (const auto& w : *wards) {
      auto can = accounts_.CanActFor(tx, actor, w.user.id);
      if (!can) return can.error();
      if (*can) ids.push_back(w.user.id);
    }
    return repo::NeedsOfPatients(tx, ids, kListLimit);
  });
}

Result<std::vector<Need>> NeedService::Registered(const Principal& actor) {
  return db_.With<std::vector<Need>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Need>> {
    auto w = repo::FindWorker(tx, actor.user_id);
    if (!w) return w.error();
    if (!*w) return MakeError(Errc::forbidden, "need_worker_only");
    return repo::NeedsRegisteredBy(tx, actor.user_id, kListLimit);
  });
}

Result<std::vector<Need>> NeedService::AwaitingMyConsent(const Principal& actor) {
  return db_.With<std::vector<Need>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Need>> {
    auto u = accounts_.FindUser(tx, actor.user_id);
    if (!u) return u.error();
    if (!*u || !(*u)->phone) return std::vector<Need>{};
    return repo::AwaitingConsent(tx, *(*u)->phone);
  });
}

Result<Need> NeedService::Get(const Principal& actor, std::int64_t id) {
  return db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) -> Result<Need> {
    auto n = Load(tx, id, true);
    if (!n) return n.error();
    auto side = IsPatientSide(tx, actor, *n);
    if (!side) return side.error();
    if (*side) return n;
    if (n->status == "awaiting_consent") {
      auto u = accounts_.FindUser(tx, actor.user_id);
      if (!u) return u.error();
      if (*u && (*u)->phone && *(*u)->phone == n->subject_phone) return n;
    }
    return NotFound();
  });
}

Result<Need> NeedService::Consent(const Principal& actor, std::int64_t id, const std::optional<std::string>& code,
                                  bool confirm) {
  const std::int64_t now = clock_.NowMs();
  auto pre = db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, id, false); });
  if (!pre) return pre.error();
  if (pre->registered_as != "worker") return NotFound();
  if (code) {
    // The worker enters the code the patient read out: proof that the phone's owner agreed.
    if (pre->registered_by != actor.user_id) return NotFound();
    if (pre->status != "awaiting_consent") return Conflict("need_not_awaiting_consent");
    if (auto st = accounts_.sms_codes().Verify(pre->subject_phone, internal::ConsentPurpose(id), *code); !st)
      return st.error();
  }
  auto done = db_.With<bool>(store::TxMode::write, [&](store::Tx& tx) -> Result<bool> {
    auto n = Load(tx, id, false);
    if (!n) return n.error();
    std::optional<std::int64_t> account;
    if (!code) {
      // The patient in their own app: the account's phone is the one the worker registered.
      auto u = accounts_.FindUser(tx, actor.user_id);
      if (!u) return u.error();
      if (!*u || !(*u)->phone || *(*u)->phone != n->subject_phone) return NotFound();
      account = actor.user_id;
    }
    if (n->status != "awaiting_consent") return Conflict("need_not_awaiting_consent");
    if (!confirm) {
      auto moved = repo::SetStatus(tx, id, "awaiting_consent", "cancelled", "consent_declined", now);
      if (!moved) return moved.error();
      if (auto st = Notify(tx, *n, "need_consent_declined", "用药需求登记未获同意", "Medicine need: consent declined",
                           n->subject_name + " 拒绝了 " + n->drug_name + " 的用药需求登记。",
                           n->subject_name + " declined the registration of the need for " + n->drug_name + ".", now);
          !st)
        return st.error();
      return false;
    }
    auto ok =
        repo::RecordConsent(tx, id, needs::Consent{code ? "sms_code" : "in_app", now, actor.user_id, ""}, account);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("need_not_awaiting_consent");
    return true;
  });
  if (!done) return done.error();
  if (*done)
    if (auto m = Match(id); !m) log::Warn("need match failed", {{"need_id", id}, {"code", m.error().code}});
  return db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, id, true); });
}

Result<Need> NeedService::ResendConsentCode(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  auto n = db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, id, true); });
  if (!n) return n.error();
  if (n->registered_as != "worker" || n->registered_by != actor.user_id) return NotFound();
  if (n->status != "awaiting_consent") return Conflict("need_not_awaiting_consent");
  auto sent = accounts_.sms_codes().Issue(n->subject_phone, internal::ConsentPurpose(id), meta.client_addr);
  if (!sent) return sent.error();
  return n;
}

Status NeedService::ReleaseAll(store::Tx& tx, std::int64_t need_id, std::int64_t now) {
  auto held = repo::HeldReservations(tx, need_id);
  if (!held) return held.error();
  for (const auto& a : *held)
    if (auto mine = ReleaseAnswer(tx, a, now); !mine) return mine.error();
  return {};
}

Result<bool> NeedService::ReleaseAnswer(store::Tx& tx, const Answer& a, std::int64_t now) {
  // Exactly once: only the update that finds released_at empty releases the stock.
  auto mine = repo::MarkReleased(tx, a.id, now);
  if (!mine) return mine.error();
  if (!*mine) return false;
  if (auto st = pharmacy_.Release(tx, internal::ReserveRef(a.need_id, a.pharmacy_id, a.updated_at), now); !st)
    return st.error();
  // A reservation made under the first, per-pharmacy reference (idempotent when there is none).
  if (auto st = pharmacy_.Release(tx, internal::LegacyReserveRef(a.need_id, a.pharmacy_id), now); !st)
    return st.error();
  return true;
}

Result<std::vector<std::string>> NeedService::MetByOrder(store::Tx& tx, std::int64_t patient_id,
                                                         const std::vector<std::int64_t>& item_ids,
                                                         const std::string& order_ref, std::int64_t now) {
  std::vector<std::string> refs;
  auto mine = repo::NeedsOfPatients(tx, {patient_id}, kMetByOrderLimit);
  if (!mine) return mine.error();
  for (const auto& n : *mine) {
    if (n.status != "open" || std::find(item_ids.begin(), item_ids.end(), n.formulary_item_id) == item_ids.end())
      continue;
    auto moved = repo::SetStatus(tx, n.id, "open", "fulfilled", order_ref, now);
    if (!moved) return moved.error();
    if (!*moved) continue;
    auto held = repo::HeldReservations(tx, n.id);
    if (!held) return held.error();
    for (const auto& a : *held) {
      auto once = repo::MarkReleased(tx, a.id, now);
      if (!once) return once.error();
      if (!*once) continue;
      refs.push_back(internal::ReserveRef(a.need_id, a.pharmacy_id, a.updated_at));
      refs.push_back(internal::LegacyReserveRef(a.need_id, a.pharmacy_id));
    }
  }
  return refs;
}

Result<Need> NeedService::Finish(const Principal& actor, std::int64_t id, const std::string& to,
                                 const std::string& note) {
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto n = Load(tx, id, false);
    if (!n) return n.error();
    auto side = IsPatientSide(tx, actor, *n);
    if (!side) return side.error();
    if (!*side) return NotFound();
    if (!CanMove(n->status, to)) return Conflict("need_not_open");
    auto moved = repo::SetStatus(tx, id, n->status, to, note, now);
    if (!moved) return moved.error();
    if (!*moved) return Conflict("need_not_open");
    return ReleaseAll(tx, id, now);
  });
  if (!st) return st.error();
  return db_.With<Need>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, id, true); });
}

Result<Need> NeedService::LinkConsultation(const Principal& actor, std::int64_t id, const ConsultationChoice& choice,
                                           const RequestMeta& meta) {
  auto n = Get(actor, id);
  if (!n) return n.error();
  if (n->status == "awaiting_consent" && n->registered_by != actor.user_id) return NotFound();
  if (n->status != "open") return Conflict("need_not_open");
  if (!n->patient_id) return Conflict("need_no_account");
  std::int64_t cid = 0;
  if (choice.consultation_id) {
    auto c = consultation_.Get(actor, *choice.consultation_id, meta);
    if (!c) return c.error();
    if (c->patient.id != *n->patient_id) return NotFound();
    cid = c->id;
  } else {
    consultation::StartInput in;
    in.kind = choice.kind;
    if (*n->patient_id != actor.user_id) in.patient_id = n->patient_id;
    in.practitioner_id = choice.practitioner_id;
    in.department_code = choice.department_code;
    in.intake.chief_complaint = "慢病续方：" + n->drug_name + "，" + std::to_string(n->quantity) + " 盒（用药需求 #" +
                                std::to_string(n->id) + "）";
    in.intake.history = n->condition + (n->icd10_code.empty() ? "" : " (" + n->icd10_code + ")");
    in.intake.medications = n->drug_name + "，余药 " + std::to_string(n->days_left) + " 天";
    in.intake.is_follow_up = true;
    in.intake.proof_upload_ids = choice.proof_upload_ids;
    auto c = consultation_.Start(actor, in, meta);
    if (!c) return c.error();
    cid = c->id;
  }
  auto st = db_.Transact(store::TxMode::write,
                         [&](store::Tx& tx) { return repo::SetConsultation(tx, id, cid, clock_.NowMs()); });
  if (!st) return st.error();
  return Get(actor, id);
}

}  // namespace ihos::domain::needs
