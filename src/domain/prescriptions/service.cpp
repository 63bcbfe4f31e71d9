#include "domain/prescriptions/service_internal.hpp"

namespace ihos::domain::prescriptions {
using namespace detail;

PrescriptionService::PrescriptionService(store::Database& db, const Clock& clock, drugs::DrugService& drugs,
                                         consultation::ConsultationService& consultations,
                                         directory::DirectoryService& directory, accounts::AccountService& accounts,
                                         Config config)
    : db_(db),
      clock_(clock),
      drugs_(drugs),
      consultations_(consultations),
      directory_(directory),
      accounts_(accounts),
      config_(config) {}

// --- the doctor ---

Result<std::vector<Prescription>> PrescriptionService::FillPatientContext(std::int64_t patient_id,
                                                                          std::optional<std::int64_t> exclude_id,
                                                                          std::int64_t now, CheckContext& ctx) {
  auto data = db_.With<std::pair<std::vector<Allergy>, std::vector<Prescription>>>(
      store::TxMode::read, [&](store::Tx& tx) -> Result<std::pair<std::vector<Allergy>, std::vector<Prescription>>> {
        auto a = repo::Allergies(tx, patient_id);
        if (!a) return a.error();
        auto act = repo::ActiveOfPatient(tx, patient_id, now);
        if (!act) return act.error();
        return std::make_pair(std::move(*a), std::move(*act));
      });
  if (!data) return data.error();
  ctx.allergies = std::move(data->first);
  std::vector<Prescription> others;
  std::vector<std::int64_t> active_formulary;
  std::vector<std::pair<std::int64_t, std::string>> active_lines;
  for (auto& rx : data->second) {
    if (exclude_id && rx.id == *exclude_id) continue;
    for (const auto& it : rx.items) {
      active_formulary.push_back(it.formulary_id);
      active_lines.push_back({it.formulary_id, rx.rx_no});
    }
    others.push_back(std::move(rx));
  }
  auto active_f = drugs_.FormularyByIds(active_formulary);
  if (!active_f) return active_f.error();
  for (const auto& [fid, rx_no] : active_lines)
    for (const auto& f : *active_f)
      if (f.id == fid) ctx.active.push_back({f.drug.id, f.drug.name, f.drug.name_en, f.drug.therapeutic_class, rx_no});

  std::vector<std::string> names;
  for (const auto& f : ctx.formulary) names.push_back(f.name_en.empty() ? f.drug.name_en : f.name_en);
  for (const auto& a : ctx.active) names.push_back(a.name_en);
  auto pairs = drugs_.InteractionsAmong(names);
  if (!pairs) return pairs.error();
  ctx.interactions = std::move(*pairs);
  return others;
}

Result<PrescriptionService::Prepared> PrescriptionService::Prepare(const Principal& actor,
                                                                   const PrescriptionInput& in) {
  const std::int64_t now = clock_.NowMs();
  auto c = consultations_.ForPrescription(in.consultation_id);
  if (!c) return c.error();
  // Only the treating doctor; anyone else learns nothing about the consultation.
  if (!c->practitioner || c->practitioner->user_id != actor.user_id) return NotFound();
  auto doctor = directory_.MyPractitioner(actor);
  if (!doctor) return doctor.error();
  // A suspended doctor, or one whose licence has expired, stops practising at once.
  if (!PractisingToday(*doctor, now)) return MakeError(Errc::conflict, "practitioner_suspended");

  std::vector<std::int64_t> ids;
  for (const auto& it : in.items) ids.push_back(it.formulary_id);
  auto found = drugs_.FormularyByIds(ids);
  if (!found) return found.error();
  // Resolve each line in order (a missing id leaves a gap the form check reports).
  std::vector<drugs::FormularyItem> formulary;
  for (const auto& it : in.items) {
    auto f = std::find_if(found->begin(), found->end(), [&](const auto& x) { return x.id == it.formulary_id; });
    formulary.push_back(f == found->end() ? drugs::FormularyItem{} : *f);
  }
  if (auto errs = CheckForm(in, formulary); !errs.empty()) return ValidationFailed(std::move(errs));

  Prepared p;
  p.consultation = std::move(*c);
  p.doctor = std::move(*doctor);
  auto& ctx = p.ctx;
  const auto elig = consultation::Eligibility(p.consultation);
  ctx.follow_up_verified = elig.allowed;
  ctx.child_under_6 = elig.guardian_required;
  ctx.age_years = AgeOn(p.consultation.patient.birth_date, CivilDateCst(now));
  ctx.weight_g = in.patient_weight_g;
  ctx.formulary = formulary;

  // The version being replaced is not "another active prescription".
  if (auto others = FillPatientContext(p.consultation.patient.id, in.previous_id, now, ctx); !others)
    return others.error();
  p.hits = CheckPrescription(in, ctx);
  return p;
}

Result<std::vector<RuleHit>> PrescriptionService::Check(const Principal& actor, const PrescriptionInput& in) {
  auto p = Prepare(actor, in);
  if (!p) return p.error();
  return std::move(p->hits);
}

Result<Prescription> PrescriptionService::Create(const Principal& actor, const PrescriptionInput& in,
                                                 const std::string& pin, const RequestMeta& meta) {
  auto prep = Prepare(actor, in);
  if (!prep) return prep.error();
  if (AnyBlocking(prep->hits)) return RuleError(prep->hits);
  const auto& c = prep->consultation;
  if (!c.record || c.record->diagnosis_code.empty()) return MakeError(Errc::conflict, "rx_record_required");

  // The signer's key, opened with the PIN (Argon2id) before any transaction.
  auto key = db_.With<std::optional<SigningKey>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::ActiveKey(tx, actor.user_id, "doctor"); });
  if (!key) return key.error();
  if (!*key) return MakeError(Errc::conflict, "rx_no_signing_key");
  auto secret = OpenKey(**key, pin);
  if (!secret) return secret.error();

  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  Prescription p;
  p.rx_no = "RX" + today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2) + "-" + crypto::RandomHex(4);
  p.previous_id = in.previous_id;
  p.consultation_id = c.id;
  p.patient_id = c.patient.id;
  p.practitioner_id = prep->doctor.id;
  p.doctor_user_id = actor.user_id;
  p.doctor_name = prep->doctor.name;
  p.hospital_id = prep->doctor.hospital_id;
  p.status = "pending_review";
  p.institution = prep->doctor.hospital_name;
  p.department = prep->doctor.department.name_zh;
  p.patient_name = c.patient.name;
  p.patient_sex = c.patient.sex;
  p.patient_age = PrintedAge(c.patient.birth_date, today);
  p.patient_weight_g = in.patient_weight_g;
  p.diagnosis_code = c.record->diagnosis_code;
  p.diagnosis_name = c.record->diagnosis_name;
  p.issued_on = today;
  p.valid_days = in.valid_days;
  // Valid on the day of issue, extendable to 3 days: until the end of the last CST day.
  p.expires_at = (now + 8 * 3600 * 1000) / kDayMs * kDayMs - 8 * 3600 * 1000 + in.valid_days * kDayMs;
  p.long_term_assessment = in.long_term_assessment;
  p.patient_confirmed_long = in.patient_confirmed_long;
  p.guardian_present = in.guardian_present;
  p.category = CategoryFor(prep->ctx.age_years);
  bool herbal = false;
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const auto& it = in.items[i];
    const auto& f = prep->ctx.formulary[i];
    if (f.drug.kind == "herbal") herbal = true;
    Item item;
    item.line = static_cast<std::int64_t>(i);
    item.formulary_id = f.id;
    item.drug_id = f.drug.id;
    item.generic_name = f.drug.name;
    item.dosage_form = f.drug.dosage_form;
    item.strength = f.strength;
    item.single_dose_milli = it.single_dose_milli;
    item.dose_unit = f.dose_unit;
    item.route = it.route;
    item.frequency = it.frequency;
    item.days = it.days;
    item.quantity = QuantityBoxes(it, f);
    item.package_unit = f.package_unit;
    item.package_size = f.package_size;
    item.price_fen = f.price_fen;
    item.override_reason = it.override_reason;
    p.amount_fen += item.quantity * item.price_fen;
    p.items.push_back(std::move(item));
  }
  p.kind = herbal ? "herbal" : "western";
  p.warnings_json = WarningsJson(prep->hits);
  p.doctor_key_id = (*key)->id;
  p.signed_at = now;
  p.created_at = now;
  p.content_hash = crypto::Blake2bHex(document::CanonicalContent(p));
  p.doctor_signature = signing::Sign(*secret, document::DoctorMessage(p.content_hash));

  return db_.With<Prescription>(store::TxMode::write, [&](store::Tx& tx) -> Result<Prescription> {
    // A new version replaces a rejected or pending one of the same consultation.
    if (in.previous_id) {
      auto prev = repo::Find(tx, *in.previous_id);
      if (!prev) return prev.error();
      if (!*prev || (*prev)->consultation_id != c.id || (*prev)->doctor_user_id != actor.user_id) return NotFound();
      if ((*prev)->status == "pending_review") {
        auto ok = repo::SetStatus(tx, (*prev)->id, "pending_review", "cancelled");
        if (!ok) return ok.error();
        // Reviewed meanwhile (approved or rejected): the doctor answers what the pharmacist decided.
        if (!*ok) return MakeError(Errc::conflict, "rx_not_replaceable");
      } else if ((*prev)->status != "rejected") {
        return MakeError(Errc::conflict, "rx_not_replaceable");
      }
    }
    auto id = repo::InsertPrescription(tx, p);
    if (!id) {
      // One answer per version (prescriptions_one_next): a second new version of the same one is refused.
      if (id.error().code == "unique_violation" && in.previous_id)
        return MakeError(Errc::conflict, "rx_not_replaceable");
      return id.error();
    }
    if (auto st = audit::Append(
            tx, Audit(actor, now, "prescription.sign", p.patient_id, "MedicationRequest", *id, "treatment", meta));
        !st)
      return st.error();
    auto out = repo::Find(tx, *id);
    if (!out) return out.error();
    return **out;
  });
}

Result<Prescription> PrescriptionService::Cancel(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Prescription>(store::TxMode::write, [&](store::Tx& tx) -> Result<Prescription> {
    auto p = repo::Find(tx, id);
    if (!p) return p.error();
    if (!*p || (*p)->doctor_user_id != actor.user_id) return NotFound();
    const std::string from = (*p)->status;
    if (from != "pending_review" && from != "approved") return MakeError(Errc::conflict, "rx_not_cancellable");
    auto ok = repo::SetStatus(tx, id, from, "cancelled");
    if (!ok) return ok.error();
    if (!*ok) return MakeError(Errc::conflict, "rx_not_cancellable");
    if (auto st = audit::Append(
            tx, Audit(actor, now, "prescription.cancel", (*p)->patient_id, "MedicationRequest", id, "treatment", meta));
        !st)
      return st.error();
    auto out = repo::Find(tx, id);
    if (!out) return out.error();
    return **out;
  });
}

Result<std::vector<Prescription>> PrescriptionService::OfConsultation(const Principal& actor,
                                                                      std::int64_t consultation_id,
                                                                      const RequestMeta& meta) {
  auto c = consultations_.ForPrescription(consultation_id);
  if (!c) return c.error();
  const bool doctor = c->practitioner && c->practitioner->user_id == actor.user_id;
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<Prescription>>(
      store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<Prescription>> {
        if (!doctor) {
          auto can = accounts_.CanActFor(tx, actor, c->patient.id);
          if (!can) return can.error();
          if (!*can) return NotFound();
        } else if (auto st = audit::Append(tx, Audit(actor, now, "prescription.read", c->patient.id, "Encounter",
                                                     consultation_id, "treatment", meta));
                   !st) {
          return st.error();
        }
        if (auto n = repo::ExpireDue(tx, now); !n) return n.error();
        return repo::OfConsultation(tx, consultation_id);
      });
}

// --- reading ---

Result<Prescription> PrescriptionService::Get(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Prescription>(store::TxMode::write, [&](store::Tx& tx) -> Result<Prescription> {
    if (auto n = repo::ExpireDue(tx, now); !n) return n.error();
    auto p = repo::Find(tx, id);
    if (!p) return p.error();
    if (!*p) return NotFound();
    std::string reason;
    if ((*p)->doctor_user_id == actor.user_id) {
      reason = "treatment";
    } else {
      auto ph = repo::PharmacistByUser(tx, actor.user_id);
      if (!ph) return ph.error();
      if (*ph && (*ph)->hospital_id == (*p)->hospital_id && (*ph)->status == "active") {
        reason = "pharmacist_review";
      } else {
        auto can = accounts_.CanActFor(tx, actor, (*p)->patient_id);
        if (!can) return can.error();
        if (!*can) return NotFound();
        if (actor.user_id != (*p)->patient_id) reason = "guardian";
      }
    }
    if (!reason.empty())
      if (auto st = audit::Append(
              tx, Audit(actor, now, "prescription.read", (*p)->patient_id, "MedicationRequest", id, reason, meta));
          !st)
        return st.error();
    return **p;
  });
}

Result<std::vector<Prescription>> PrescriptionService::Mine(const Principal& actor,
                                                            std::optional<std::int64_t> patient_id) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<Prescription>>(store::TxMode::write,
                                             [&](store::Tx& tx) -> Result<std::vector<Prescription>> {
                                               if (auto n = repo::ExpireDue(tx, now); !n) return n.error();
                                               std::vector<std::int64_t> ids{actor.user_id};
                                               if (patient_id && *patient_id != actor.user_id) {
                                                 auto can = accounts_.CanActFor(tx, actor, *patient_id);
                                                 if (!can) return can.error();
                                                 if (!*can) return NotFound();
                                                 ids = {*patient_id};
                                               }
                                               return repo::OfPatients(tx, ids, 100);
                                             });
}

// --- verification ---

std::string PrescriptionService::QrPayload(const Prescription& p) { return document::QrPayload(p); }

Result<Verification> PrescriptionService::Verify(const Principal& actor, const std::string& payload,
                                                 const RequestMeta& meta) {
  auto parsed = document::ParseQr(payload);
  if (!parsed) return MakeError(Errc::invalid_argument, "rx_code_invalid");
  const std::int64_t now = clock_.NowMs();
  return db_.With<Verification>(store::TxMode::write, [&](store::Tx& tx) -> Result<Verification> {
    if (auto n = repo::ExpireDue(tx, now); !n) return n.error();
    Verification v;
    v.rx_no = parsed->rx_no;
    v.content = parsed->content;
    const std::string hash = crypto::Blake2bHex(parsed->content);
    auto dk = repo::FindKey(tx, parsed->doctor_key_id);
    if (!dk) return dk.error();
    v.doctor_signature_valid =
        *dk && (*dk)->role == "doctor" &&
        signing::Verify((*dk)->public_key, document::DoctorMessage(hash), parsed->doctor_signature);
    auto pk = repo::FindKey(tx, parsed->pharmacist_key_id);
    if (!pk) return pk.error();
    v.pharmacist_signature_valid =
        *pk && (*pk)->role == "pharmacist" &&
        signing::Verify((*pk)->public_key, document::PharmacistMessage(hash, parsed->doctor_signature),
                        parsed->pharmacist_signature);
    auto p = repo::FindByNumber(tx, parsed->rx_no);
    if (!p) return p.error();
    if (!*p) return NotFound();
    v.status = (*p)->status;
    // The code must be the prescription on record, signed by its own doctor's and pharmacist's keys
    // (two different people): valid signatures over other content under a real number are a forgery.
    v.matches_record = hash == (*p)->content_hash && parsed->doctor_key_id == (*p)->doctor_key_id &&
                       (*p)->pharmacist_key_id && parsed->pharmacist_key_id == *(*p)->pharmacist_key_id && *dk && *pk &&
                       (*dk)->user_id != (*pk)->user_id;
    // A staff read of the patient's prescription: in the patient's access log.
    if (auto st = audit::Append(tx, Audit(actor, now, "prescription.verify", (*p)->patient_id, "MedicationRequest",
                                          (*p)->id, "dispensing_check", meta));
        !st)
      return st.error();
    return v;
  });
}

Result<std::int64_t> PrescriptionService::Sweep() {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) { return repo::ExpireDue(tx, now); });
}

Result<bool> PrescriptionService::MarkDispensed(store::Tx& tx, std::int64_t id) { return repo::MarkDispensed(tx, id); }

Result<std::optional<PrescriptionService::DispensingState>> PrescriptionService::StateForDispensing(store::Tx& tx,
                                                                                                    std::int64_t id) {
  auto row = repo::StatusForUpdate(tx, id);
  if (!row) return row.error();
  if (!*row) return std::optional<DispensingState>();
  return std::optional<DispensingState>(DispensingState{(*row)->first, (*row)->second});
}

Result<bool> PrescriptionService::RevertDispensed(store::Tx& tx, std::int64_t id) {
  return repo::SetStatus(tx, id, "dispensed", "approved");
}

}  // namespace ihos::domain::prescriptions
