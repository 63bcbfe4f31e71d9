#include "domain/consultation/service_internal.hpp"

namespace ihos::domain::consultation {
using namespace detail;

// --- staff ---

Result<std::pair<Consultation, std::vector<Message>>> ConsultationService::StaffRead(const Principal& actor,
                                                                                     std::int64_t id,
                                                                                     const std::string& reason,
                                                                                     const RequestMeta& meta) {
  using Out = std::pair<Consultation, std::vector<Message>>;
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  return db_.With<Out>(store::TxMode::write, [&](store::Tx& tx) -> Result<Out> {
    auto c = Load(tx, id, 0);
    if (!c) return c.error();
    // Counselling is between the counsellor and the patient only.
    if (c->kind == "counselling") return NotFound();
    if (auto st = audit::Append(
            tx, AuditEntry(actor, clock_.NowMs(), "consultation.staff_read", c->patient.id, id, reason, meta));
        !st)
      return st.error();
    auto ms = repo::MessagesAfter(tx, id, 0, 5000);
    if (!ms) return ms.error();
    return Out{std::move(*c), std::move(*ms)};
  });
}

Result<PrescriptionEligibility> ConsultationService::Eligibility(std::int64_t id) {
  return db_.With<PrescriptionEligibility>(store::TxMode::read, [&](store::Tx& tx) -> Result<PrescriptionEligibility> {
    auto c = repo::Find(tx, id);
    if (!c) return c.error();
    if (!*c) return NotFound();
    return consultation::Eligibility(**c);
  });
}

Result<Consultation> ConsultationService::ForPrescription(std::int64_t id) {
  return db_.With<Consultation>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, id, 0); });
}

Result<int> ConsultationService::EndForSuspension(store::Tx& tx, std::int64_t practitioner_id, std::int64_t) {
  // Active ones are closed and waiting ones assigned to the doctor are cancelled, each with a
  // system notice the patient sees (the doctor stopped practising; a fee paid is refunded; ask
  // again in the department). Free-clinic consultations not yet taken stay in the queue.
  int ended = 0;
  for (const auto& [status, to] : {std::pair<std::string, std::string>{"active", "closed"}, {"waiting", "cancelled"}}) {
    auto ids = repo::IdsOfPractitioner(tx, practitioner_id, status, 10000);
    if (!ids) return ids.error();
    for (auto id : *ids) {
      auto ok = repo::SetStatus(tx, id, status, to, clock_.NowMs());
      if (!ok) return ok.error();
      if (!*ok) continue;
      auto m =
          Append(tx, id, std::nullopt, "system", "", "system", "practitioner_suspended", std::nullopt, std::nullopt);
      if (!m) return m.error();
      ++ended;
    }
  }
  return ended;
}

Result<int> ConsultationService::Sweep() {
  const std::int64_t now = clock_.NowMs();
  int changed = 0;
  auto sweep = [&](const std::string& status, std::int64_t before, const std::string& to, const std::string& code) {
    auto ids = db_.With<std::vector<std::int64_t>>(store::TxMode::read,
                                                   [&](store::Tx& tx) { return repo::Stale(tx, status, before); });
    if (!ids) return Status(ids.error());
    for (auto id : *ids) {
      std::optional<Message> sys;
      auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
        auto ok = repo::SetStatus(tx, id, status, to, now);
        if (!ok) return ok.error();
        if (!*ok) return NotFound();  // changed meanwhile: nothing to do
        auto m = Append(tx, id, std::nullopt, "system", "", "system", code, std::nullopt, std::nullopt);
        if (!m) return m.error();
        sys = *m;
        return Load(tx, id, 0);
      });
      if (!c) continue;
      ++changed;
      PublishMessage(*sys);
      PublishStatus(*c);
    }
    return Status{};
  };
  if (auto st = sweep("active", now - config_.inactivity_close_ms, "closed", "auto_closed"); !st) return st.error();
  if (auto st = sweep("waiting", now - config_.waiting_expiry_ms, "cancelled", "expired"); !st) return st.error();
  return changed;
}

Result<std::vector<std::string>> ConsultationService::Subscribe(const Principal& actor, std::string_view topic,
                                                                std::int64_t after_seq) {
  using Out = std::vector<std::string>;
  const auto colon = topic.find(':');
  const std::string family(topic.substr(0, colon + 1));
  const std::string key(topic.substr(colon + 1));
  return db_.With<Out>(store::TxMode::read, [&](store::Tx& tx) -> Result<Out> {
    if (family == "consultation:") {
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
      if (ec != std::errc() || end != key.data() + key.size() || key.empty()) return NotFound();
      auto a = Authorize(tx, actor, id, false);
      if (!a) return a.error();
      auto ms = repo::MessagesAfter(tx, id, std::max<std::int64_t>(after_seq, 0), 1000);
      if (!ms) return ms.error();
      Out out;
      for (auto& m : *ms)
        out.push_back(Event(json::object{{"kind", "message"}, {"message", MessageJson(Redacted(std::move(m)))}}));
      if (ms->size() == 1000) out.push_back(Event(json::object{{"kind", "gap"}, {"after_seq", ms->back().seq}}));
      return out;
    }
    auto mine = MyPractitioner(scheduling_, tx, actor, clock_.NowMs());
    if (!mine) return mine.error();
    if (family == "workstation:" && *mine && std::to_string((*mine)->id) == key) return Out{};
    if (family == "free-clinic:" && IsVolunteerOf(*mine, key)) return Out{};
    if (family == "department-queue:" && *mine && (*mine)->department_code == key) return Out{};
    return NotFound();
  });
}

std::string MessageEventJson(const Message& m) {
  return Event(json::object{{"kind", "message"}, {"message", MessageJson(m)}});
}

}  // namespace ihos::domain::consultation

namespace ihos::domain::consultation {

Result<std::optional<BillingFacts>> ConsultationService::BillingFactsOf(store::Tx& tx, std::int64_t id) {
  auto found = repo::Find(tx, id);
  if (!found) return found.error();
  if (!*found) return std::optional<BillingFacts>();
  const Consultation& c = **found;
  BillingFacts f;
  f.patient_id = c.patient.id;
  f.kind = c.kind;
  f.status = c.status;
  f.follow_up = c.follow_up;
  f.claimed_follow_up = c.intake.is_follow_up && !c.intake.proof_upload_ids.empty();
  f.from_appointment = c.appointment_id.has_value();
  f.price_fen = c.price_fen;
  if (c.practitioner) f.practitioner_id = c.practitioner->id;
  auto dept = directory_.FindDepartment(tx, c.department_code);
  if (!dept) return dept.error();
  f.title = (*dept ? (*dept)->name_zh : c.department_code) + (c.practitioner ? " " + c.practitioner->name : "");
  if (c.status == "cancelled" || c.status == "closed") {
    auto why = repo::LastSystemBody(tx, id);
    if (!why) return why.error();
    if (c.status == "cancelled")
      f.end_reason = *why == "practitioner_suspended" ? "practitioner_suspended"
                     : *why == "expired"              ? "not_taken"
                                                      : "patient_cancelled";
    else if (*why == "practitioner_suspended")
      f.end_reason = "practitioner_suspended";  // cut short by the doctor's suspension
  }
  return std::optional<BillingFacts>(std::move(f));
}

}  // namespace ihos::domain::consultation
