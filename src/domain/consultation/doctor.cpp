#include "domain/consultation/service_internal.hpp"

namespace ihos::domain::consultation {
using namespace detail;

// --- the doctor ---

Result<Consultation> ConsultationService::Accept(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  bool shared = false;
  std::optional<Message> sys;
  auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    auto mine = MyPractitioner(scheduling_, tx, actor, now);
    if (!mine) return mine.error();
    if (!*mine) return NotFound();
    const Consultation& c = **found;
    if (c.practitioner ? c.practitioner->id != (*mine)->id : !MayTakeShared(*mine, c)) return NotFound();
    shared = !c.practitioner;
    if (c.status != "waiting")
      return Conflict(c.status == "active" && shared ? "already_taken" : "consultation_not_waiting");
    // Pay-first hospitals: a priced consultation is served only once paid.
    if (config_.paid && c.price_fen > 0 && c.practitioner) {
      auto paid = config_.paid(tx, id);
      if (!paid) return paid.error();
      if (!*paid) return Conflict("payment_required");
    }
    auto ok = repo::Take(tx, id, (*mine)->id, now);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("already_taken");
    if (shared && c.kind != "free_clinic") {
      // Priced at the taking doctor's hospital's general outpatient price (RULES.md: insurance).
      if (auto st = repo::SetPrice(tx, id, (*mine)->general_price_fen); !st) return st.error();
    }
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "accepted", std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    if (auto st = audit::Append(tx, AuditEntry(actor, now, "consultation.accept", c.patient.id, id, "treating", meta));
        !st)
      return st.error();
    return Load(tx, id, actor.user_id);
  });
  if (!c) return c.error();
  PublishMessage(*sys);
  PublishStatus(*c);
  PublishQueues(c->department_code, shared ? std::nullopt : std::optional<std::int64_t>(c->practitioner->id));
  return c;
}

Result<Consultation> ConsultationService::DoctorChange(const Principal& actor, std::int64_t id, const RequestMeta&,
                                                       const std::function<Status(store::Tx&, Consultation&)>& change) {
  auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    if (auto st = StillPractising(scheduling_, tx, actor, **found, clock_.NowMs()); !st) return st.error();
    if (auto st = change(tx, **found); !st) return st.error();
    return Load(tx, id, actor.user_id);
  });
  if (c) PublishStatus(*c);
  return c;
}

Result<Consultation> ConsultationService::WriteRecord(const Principal& actor, std::int64_t id, const RecordInput& in,
                                                      const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (c.status == "waiting" || c.status == "cancelled") return Conflict("consultation_not_active");
    auto code = icd10::Get(tx, in.diagnosis_code);
    if (!code) {
      if (code.error().errc == Errc::not_found) return ValidationFailed({{"diagnosis_code", "unknown_code"}});
      return code.error();
    }
    auto last = repo::LatestRecord(tx, id);
    if (!last) return last.error();
    Record r{*last ? (*last)->version + 1 : 1,
             in.chief_complaint,
             in.present_illness,
             code->code,
             code->name_zh,
             in.advice,
             actor.user_id,
             now};
    if (auto st = repo::InsertRecord(tx, id, r); !st) return st;
    return audit::Append(tx, AuditEntry(actor, now, "consultation.record", c.patient.id, id,
                                        "version " + std::to_string(r.version), meta));
  });
}

Result<Consultation> ConsultationService::DecideFollowUp(const Principal& actor, std::int64_t id,
                                                         const std::string& decision, const std::string& note,
                                                         const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  std::optional<Message> sys;
  auto c = DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (c.status != "active") return Conflict("consultation_not_active");
    if (decision == "verified" && (!c.intake.is_follow_up || c.intake.proof_upload_ids.empty()))
      return Conflict("follow_up_proof_missing");
    if (auto st = repo::SetFollowUp(tx, id, decision, note); !st) return st;
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "follow_up:" + decision, std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    return audit::Append(tx, AuditEntry(actor, now, "consultation.follow_up", c.patient.id, id, decision, meta));
  });
  if (c && sys) PublishMessage(*sys);
  return c;
}

Result<Consultation> ConsultationService::Refer(const Principal& actor, std::int64_t id, const std::string& reason,
                                                const std::string& note, std::optional<std::int64_t> slot_id,
                                                const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  // Check first that the actor treats this patient and may still refer, then book, then record.
  auto pre = db_.With<Consultation>(store::TxMode::read, [&](store::Tx& tx) -> Result<Consultation> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    if (IsFinal((*found)->status)) return Conflict("consultation_closed");
    return std::move(**found);
  });
  if (!pre) return pre.error();
  std::optional<std::int64_t> appointment_id;
  if (slot_id) {
    auto a = scheduling_.BookReferral(actor, *slot_id, pre->patient.id, meta);
    if (!a) return a.error();
    appointment_id = a->id;
  }
  std::optional<Message> sys;
  auto c = DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (IsFinal(c.status)) return Conflict("consultation_closed");
    if (auto st = repo::SetReferral(tx, id, reason, note, appointment_id, now); !st) return st;
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "referred:" + reason, std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    return audit::Append(tx, AuditEntry(actor, now, "consultation.refer", c.patient.id, id, reason, meta));
  });
  if (c && sys) PublishMessage(*sys);
  if (c && pre->status == "waiting")
    PublishQueues(c->department_code, std::optional<std::int64_t>(c->practitioner->id));
  return c;
}

Result<Consultation> ConsultationService::Close(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  std::optional<Message> sys;
  auto c = DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (c.status != "active") return Conflict("consultation_not_active");
    auto rec = repo::LatestRecord(tx, id);
    if (!rec) return rec.error();
    if (!*rec) return Conflict("record_required");
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "closed", std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    auto ok = repo::SetStatus(tx, id, "active", "closed", now);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("consultation_not_active");
    return audit::Append(tx, AuditEntry(actor, now, "consultation.close", c.patient.id, id, "", meta));
  });
  if (c && sys) PublishMessage(*sys);
  return c;
}

Result<Message> ConsultationService::RecordCall(const Principal& actor, std::int64_t id, std::int64_t duration_s,
                                                const std::string& note) {
  if (duration_s < 0 || duration_s > 4 * 3600) return ValidationFailed({{"duration_s", "out_of_range"}});
  const std::int64_t now = clock_.NowMs();
  auto m = db_.With<Message>(store::TxMode::write, [&](store::Tx& tx) -> Result<Message> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    if ((*found)->kind != "phone") return Conflict("not_phone_consultation");
    if ((*found)->status != "active") return Conflict("consultation_not_active");
    if (auto st = StillPractising(scheduling_, tx, actor, **found, now); !st) return st.error();
    return Append(tx, id, actor.user_id, "doctor", "call-" + std::to_string(now), "call", note, std::nullopt,
                  duration_s * 1000);
  });
  if (m) PublishMessage(*m);
  return m;
}

Result<CallbackNumber> ConsultationService::GetCallbackNumber(const Principal& actor, std::int64_t id,
                                                              const RequestMeta& meta) {
  return db_.With<CallbackNumber>(store::TxMode::write, [&](store::Tx& tx) -> Result<CallbackNumber> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    const Consultation& c = **found;
    if (c.kind != "phone") return Conflict("not_phone_consultation");
    if (c.status != "active") return Conflict("consultation_not_active");
    if (auto st = StillPractising(scheduling_, tx, actor, c, clock_.NowMs()); !st) return st.error();
    // The one who asked is the one waiting for the call; a ward without a phone of their own is
    // reached through that guardian.
    CallbackNumber out;
    for (std::int64_t user_id : {c.requested_by, c.patient.id}) {
      auto u = accounts_.FindUser(tx, user_id);
      if (!u) return u.error();
      if (*u && (*u)->phone && !(*u)->phone->empty()) {
        out.phone = *(*u)->phone;
        out.name = (*u)->real_name;
        out.relation = user_id == c.patient.id ? "patient" : "guardian";
        break;
      }
    }
    if (out.phone.empty()) return Conflict("no_callback_number");
    out.phone_masked = MaskPhone(out.phone);
    if (auto st = audit::Append(tx, AuditEntry(actor, clock_.NowMs(), "consultation.callback_number", c.patient.id, id,
                                               "phone_callback", meta));
        !st)
      return st.error();
    return out;
  });
}

Result<Workstation> ConsultationService::GetWorkstation(const Principal& actor) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Workstation>(store::TxMode::read, [&](store::Tx& tx) -> Result<Workstation> {
    auto p = scheduling_.FindPractitionerByUser(tx, actor.user_id);
    if (!p) return p.error();
    if (!*p) return MakeError(Errc::not_found, "not_a_practitioner");
    Workstation w;
    w.practitioner_id = (*p)->id;
    auto add = [&](const std::vector<Consultation>& list, bool shared) {
      for (const auto& c : list) {
        const std::int64_t price = shared && c.kind != "free_clinic" ? (*p)->general_price_fen : c.price_fen;
        w.waiting.push_back(WaitingItem{c.id, c.kind, c.patient, c.intake.chief_complaint, c.intake.is_follow_up,
                                        c.child_under_6, shared, price, c.created_at});
      }
    };
    auto mine = repo::Waiting(tx, (*p)->department_code, (*p)->id);
    if (!mine) return mine.error();
    add(*mine, false);
    if ((*p)->status == "active") {
      auto shared = repo::Waiting(tx, (*p)->department_code, std::nullopt);
      if (!shared) return shared.error();
      std::vector<Consultation> mayTake;
      for (auto& c : *shared)
        if (MayTakeShared(*p, c)) mayTake.push_back(std::move(c));
      add(mayTake, true);
    }
    std::sort(w.waiting.begin(), w.waiting.end(),
              [](const WaitingItem& a, const WaitingItem& b) { return a.waiting_since < b.waiting_since; });
    auto active = repo::IdsOfPractitioner(tx, (*p)->id, "active", 200);
    if (!active) return active.error();
    for (auto id : *active) {
      auto c = Load(tx, id, actor.user_id);
      if (!c) return c.error();
      w.active.push_back(std::move(*c));
    }
    const auto midnight = CstMidnightMs(CivilDateCst(now)).value_or(0);
    auto counts = repo::CountsSince(tx, (*p)->id, midnight);
    if (!counts) return counts.error();
    w.today_accepted = counts->first;
    w.today_closed = counts->second;
    return w;
  });
}

}  // namespace ihos::domain::consultation
