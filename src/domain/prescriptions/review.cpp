#include "domain/prescriptions/service_internal.hpp"

namespace ihos::domain::prescriptions {
using namespace detail;

// --- pharmacists ---

Result<std::vector<Prescription>> PrescriptionService::Queue(const Principal& actor) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<Prescription>>(store::TxMode::write,
                                             [&](store::Tx& tx) -> Result<std::vector<Prescription>> {
                                               auto ph = repo::PharmacistByUser(tx, actor.user_id);
                                               if (!ph) return ph.error();
                                               if (!*ph || (*ph)->status != "active")
                                                 return MakeError(Errc::forbidden, "not_a_pharmacist");
                                               if (auto n = repo::ExpireDue(tx, now); !n) return n.error();
                                               return repo::Queue(tx, (*ph)->hospital_id, 200);
                                             });
}

Result<ReviewContext> PrescriptionService::ForReview(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  auto p = Get(actor, id, meta);
  if (!p) return p.error();
  auto ph = db_.With<std::optional<Pharmacist>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::PharmacistByUser(tx, actor.user_id); });
  if (!ph) return ph.error();
  if (!*ph || (*ph)->hospital_id != p->hospital_id) return MakeError(Errc::forbidden, "not_a_pharmacist");
  auto c = consultations_.ForPrescription(p->consultation_id);
  if (!c) return c.error();
  ReviewContext out;
  out.patient_birth_date = c->patient.birth_date;
  out.chief_complaint = c->intake.chief_complaint;
  if (c->record) out.present_illness = c->record->present_illness;
  // The automatic checks again, as of now (allergies or other prescriptions may have changed).
  const std::int64_t now = clock_.NowMs();
  PrescriptionInput in;
  in.consultation_id = p->consultation_id;
  in.long_term = false;
  in.long_term_assessment = p->long_term_assessment;
  in.patient_confirmed_long = p->patient_confirmed_long;
  in.guardian_present = p->guardian_present;
  in.patient_weight_g = p->patient_weight_g;
  in.valid_days = p->valid_days;
  std::vector<std::int64_t> fids;
  for (const auto& it : p->items) {
    in.items.push_back({it.formulary_id, it.single_dose_milli, it.route, it.frequency, it.days, it.override_reason});
    if (it.days > kDefaultMaxDays) in.long_term = true;
    fids.push_back(it.formulary_id);
  }
  auto formulary = drugs_.FormularyByIds(fids);
  if (!formulary) return formulary.error();
  CheckContext ctx;
  const auto elig = consultation::Eligibility(*c);
  // Review happens after the consultation may have closed: legality is the follow-up decision.
  ctx.follow_up_verified = c->follow_up == "verified";
  ctx.child_under_6 = elig.guardian_required;
  ctx.age_years = AgeOn(c->patient.birth_date, CivilDateCst(now));
  ctx.weight_g = p->patient_weight_g;
  for (const auto& it : p->items)
    for (const auto& f : *formulary)
      if (f.id == it.formulary_id) ctx.formulary.push_back(f);
  auto others = FillPatientContext(p->patient_id, p->id, now, ctx);
  if (!others) return others.error();
  out.allergies = ctx.allergies;
  out.active = std::move(*others);
  if (ctx.formulary.size() == in.items.size()) out.hits = CheckPrescription(in, ctx);
  out.prescription = std::move(*p);
  return out;
}

Result<Prescription> PrescriptionService::Review(const Principal& actor, std::int64_t id, const ReviewInput& in,
                                                 const RequestMeta& meta) {
  std::vector<FieldError> errs;
  if (in.outcome == "rejected" && in.reason.empty()) errs.push_back({"reason", "required"});
  if (in.outcome == "approved" && in.pin.empty()) errs.push_back({"pin", "required"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  if (in.outcome == "approved" && (in.legality != "pass" || in.normativity != "pass" || in.suitability != "pass"))
    return MakeError(Errc::conflict, "rx_review_failed_checks");

  auto ph = db_.With<std::optional<Pharmacist>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::PharmacistByUser(tx, actor.user_id); });
  if (!ph) return ph.error();
  if (!*ph || (*ph)->status != "active") return MakeError(Errc::forbidden, "not_a_pharmacist");
  auto current =
      db_.With<std::optional<Prescription>>(store::TxMode::read, [&](store::Tx& tx) { return repo::Find(tx, id); });
  if (!current) return current.error();
  if (!*current || (*current)->hospital_id != (*ph)->hospital_id) return NotFound();
  if ((*current)->doctor_user_id == actor.user_id) return MakeError(Errc::conflict, "rx_self_review");
  // 合法性: the prescriber must still be practising (not suspended, licence valid) to be approved.
  if (in.outcome == "approved") {
    auto prescriber = directory_.PublicDoctor((*current)->practitioner_id);
    if (!prescriber) {
      if (prescriber.error().errc != Errc::not_found) return prescriber.error();
      return MakeError(Errc::conflict, "rx_prescriber_not_practising");
    }
  }

  std::optional<SigningKey> key;
  std::string signature;
  if (in.outcome == "approved") {
    auto k = db_.With<std::optional<SigningKey>>(
        store::TxMode::read, [&](store::Tx& tx) { return repo::ActiveKey(tx, actor.user_id, "pharmacist"); });
    if (!k) return k.error();
    if (!*k) return MakeError(Errc::conflict, "rx_no_signing_key");
    auto secret = OpenKey(**k, in.pin);
    if (!secret) return secret.error();
    key = *k;
    signature =
        signing::Sign(*secret, document::PharmacistMessage((*current)->content_hash, (*current)->doctor_signature));
  }
  const std::int64_t now = clock_.NowMs();
  return db_.With<Prescription>(store::TxMode::write, [&](store::Tx& tx) -> Result<Prescription> {
    auto p = repo::Find(tx, id);
    if (!p) return p.error();
    if (!*p) return NotFound();
    if ((*p)->status != "pending_review") return MakeError(Errc::conflict, "rx_not_pending");
    if ((*p)->expires_at <= now) return MakeError(Errc::conflict, "rx_expired");
    auto ok = in.outcome == "approved" ? repo::Approve(tx, id, actor.user_id, key->id, signature, now)
                                       : repo::Reject(tx, id, actor.user_id, in.reason, now);
    if (!ok) return ok.error();
    if (!*ok) return MakeError(Errc::conflict, "rx_not_pending");
    prescriptions::Review r{
        0, id, actor.user_id, in.outcome, in.legality, in.normativity, in.suitability, in.reason, (*p)->signed_at, now};
    if (auto rid = repo::InsertReview(tx, r); !rid) return rid.error();
    if (auto st = audit::Append(tx, Audit(actor, now, "prescription.review." + in.outcome, (*p)->patient_id,
                                          "MedicationRequest", id, "pharmacist_review", meta));
        !st)
      return st.error();
    auto out = repo::Find(tx, id);
    if (!out) return out.error();
    return **out;
  });
}

Result<PharmacistStats> PrescriptionService::Stats(const Principal& actor) {
  return db_.With<PharmacistStats>(store::TxMode::read, [&](store::Tx& tx) -> Result<PharmacistStats> {
    auto ph = repo::PharmacistByUser(tx, actor.user_id);
    if (!ph) return ph.error();
    if (!*ph) return MakeError(Errc::forbidden, "not_a_pharmacist");
    auto reviews = repo::ReviewsBy(tx, actor.user_id, 1000);
    if (!reviews) return reviews.error();
    PharmacistStats s;
    std::vector<std::int64_t> secs;
    for (const auto& r : *reviews) {
      ++s.reviewed;
      (r.outcome == "approved" ? s.approved : s.rejected)++;
      secs.push_back((r.decided_at - r.opened_at) / 1000);
    }
    if (!secs.empty()) {
      std::nth_element(secs.begin(), secs.begin() + secs.size() / 2, secs.end());
      s.median_review_s = secs[secs.size() / 2];
    }
    return s;
  });
}

// --- admin ---

Result<Pharmacist> PrescriptionService::AddPharmacist(const Principal& admin, std::int64_t user_id,
                                                      std::int64_t hospital_id, const std::string& licence_number,
                                                      const RequestMeta& meta) {
  if (licence_number.size() < 6) return ValidationFailed({{"licence_number", "too_short"}});
  auto hospital = directory_.GetHospital(hospital_id);
  if (!hospital) return hospital.error();
  auto user = accounts_.ReadPatient(admin, user_id, "pharmacist_registration", meta);
  if (!user) return user.error();
  const std::int64_t now = clock_.NowMs();
  // The registration with the licence is the pharmacist's credential review: it, and nothing
  // else, gives the pharmacist role (an admin cannot grant it directly).
  auto registered = db_.With<Pharmacist>(store::TxMode::write, [&](store::Tx& tx) -> Result<Pharmacist> {
    auto id = repo::InsertPharmacist(tx, user_id, user->real_name, hospital_id, licence_number, now);
    if (!id) return id.error();
    if (auto st = accounts_.GrantRoleIn(tx, user_id, "pharmacist", admin.user_id, now); !st) return st.error();
    if (auto st =
            audit::Append(tx, audit::Entry{now, admin.user_id, admin.AuditRole(), "pharmacist.register", std::nullopt,
                                           "Practitioner", std::to_string(*id), "", meta.request_id});
        !st)
      return st.error();
    auto p = repo::PharmacistByUser(tx, user_id);
    if (!p) return p.error();
    return **p;
  });
  if (registered) accounts_.SessionsChanged(user_id);
  return registered;
}

}  // namespace ihos::domain::prescriptions
