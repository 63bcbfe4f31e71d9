#include "domain/prescriptions/service.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/resident_id.hpp"
#include "domain/audit/audit.hpp"
#include "domain/consultation/rules.hpp"
#include "domain/drugs/rules.hpp"
#include "domain/prescriptions/document.hpp"
#include "domain/prescriptions/repository.hpp"
#include "domain/prescriptions/signing.hpp"

namespace ihos::domain::prescriptions {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

Error NotFound() { return MakeError(Errc::not_found, "not_found"); }

audit::Entry Audit(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient_id,
                   const std::string& resource_type, std::int64_t id, std::string reason, const RequestMeta& meta) {
  return audit::Entry{now,           actor.user_id,      actor.AuditRole(), std::move(action), patient_id,
                      resource_type, std::to_string(id), std::move(reason), meta.request_id};
}

// The refusal of a rule: the first blocking hit names the code; every blocking hit is listed.
Error RuleError(const std::vector<RuleHit>& hits) {
  Error e;
  for (const auto& h : hits) {
    if (!h.blocking) continue;
    Violation v{h.code, {{"drug", h.drug}, {"other", h.other}}};
    if (h.line >= 0) v.params.push_back({"line", std::to_string(h.line)});
    if (e.code.empty()) {
      e.errc = Errc::conflict;
      e.code = h.code;
      e.params = v.params;
    }
    e.violations.push_back(std::move(v));
  }
  return e;
}

bool AnyBlocking(const std::vector<RuleHit>& hits) {
  return std::any_of(hits.begin(), hits.end(), [](const RuleHit& h) { return h.blocking; });
}

std::string WarningsJson(const std::vector<RuleHit>& hits) {
  // Kept with the prescription for the pharmacist: the warnings and overridden hits at signing.
  std::string out = "[";
  for (const auto& h : hits) {
    if (h.blocking) continue;
    if (out.size() > 1) out += ",";
    auto esc = [](const std::string& s) {
      std::string r;
      for (char c : s) {
        if (c == '"' || c == '\\') r += '\\';
        r += c;
      }
      return r;
    };
    out += "{\"code\":\"" + esc(h.code) + "\",\"line\":" + std::to_string(h.line) + ",\"drug\":\"" + esc(h.drug) +
           "\",\"other\":\"" + esc(h.other) + "\",\"overridden\":" + (h.overridden ? "true" : "false") + "}";
  }
  return out + "]";
}

bool PractisingToday(const directory::Doctor& d, std::int64_t now) {
  return d.status == "active" && d.licence_expires_on >= CivilDateCst(now);
}

}  // namespace

struct PrescriptionService::Prepared {
  consultation::Consultation consultation;
  directory::Doctor doctor;
  CheckContext ctx;
  std::vector<RuleHit> hits;
};

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

// --- allergies ---

Result<std::vector<Allergy>> PrescriptionService::Allergies(const Principal& actor, std::int64_t patient_id,
                                                            const RequestMeta& meta) {
  return db_.With<std::vector<Allergy>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<Allergy>> {
    auto can = accounts_.CanActFor(tx, actor, patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    if (actor.user_id != patient_id)
      if (auto st = audit::Append(tx, Audit(actor, clock_.NowMs(), "allergy.read", patient_id, "AllergyIntolerance",
                                            patient_id, "guardian", meta));
          !st)
        return st.error();
    return repo::Allergies(tx, patient_id);
  });
}

Result<Allergy> PrescriptionService::AddAllergy(const Principal& actor, std::int64_t patient_id, const AllergyInput& in,
                                                const RequestMeta& meta) {
  if (auto errs = CheckAllergy(in); !errs.empty()) return ValidationFailed(std::move(errs));
  const std::int64_t now = clock_.NowMs();
  return db_.With<Allergy>(store::TxMode::write, [&](store::Tx& tx) -> Result<Allergy> {
    auto can = accounts_.CanActFor(tx, actor, patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    auto id = repo::InsertAllergy(tx, patient_id, in, actor.user_id, std::nullopt, now);
    if (!id) {
      if (id.error().code == "foreign_key_violation") return ValidationFailed({{"drug_id", "invalid_value"}});
      return id.error();
    }
    if (actor.user_id != patient_id)
      if (auto st = audit::Append(
              tx, Audit(actor, now, "allergy.create", patient_id, "AllergyIntolerance", *id, "guardian", meta));
          !st)
        return st.error();
    auto all = repo::Allergies(tx, patient_id);
    if (!all) return all.error();
    for (auto& a : *all)
      if (a.id == *id) return a;
    return NotFound();
  });
}

Status PrescriptionService::RemoveAllergy(const Principal& actor, std::int64_t patient_id, std::int64_t id,
                                          const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto can = accounts_.CanActFor(tx, actor, patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    auto ok = repo::RemoveAllergy(tx, patient_id, id, actor.user_id, now);
    if (!ok) return ok.error();
    if (!*ok) return NotFound();
    if (actor.user_id != patient_id)
      return audit::Append(tx,
                           Audit(actor, now, "allergy.remove", patient_id, "AllergyIntolerance", id, "guardian", meta));
    return {};
  });
}

Result<std::int64_t> PrescriptionService::TreatedPatient(const Principal& actor, std::int64_t consultation_id,
                                                         bool must_be_active) {
  auto c = consultations_.ForPrescription(consultation_id);
  if (!c) return c.error();
  if (!c->practitioner || c->practitioner->user_id != actor.user_id) return NotFound();
  if (must_be_active) {
    if (c->status != "active") return MakeError(Errc::conflict, "consultation_not_active");
    auto d = directory_.MyPractitioner(actor);
    if (!d || !PractisingToday(*d, clock_.NowMs())) return MakeError(Errc::conflict, "practitioner_suspended");
  }
  return c->patient.id;
}

Result<std::vector<Allergy>> PrescriptionService::ConsultationAllergies(const Principal& actor,
                                                                        std::int64_t consultation_id,
                                                                        const RequestMeta& meta) {
  auto patient = TreatedPatient(actor, consultation_id, false);
  if (!patient) return patient.error();
  return db_.With<std::vector<Allergy>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<Allergy>> {
    if (auto st = audit::Append(tx, Audit(actor, clock_.NowMs(), "allergy.read", *patient, "Encounter",
                                          consultation_id, "treatment", meta));
        !st)
      return st.error();
    return repo::Allergies(tx, *patient);
  });
}

Result<Allergy> PrescriptionService::RecordAllergy(const Principal& actor, std::int64_t consultation_id,
                                                   const AllergyInput& in, const RequestMeta& meta) {
  if (auto errs = CheckAllergy(in); !errs.empty()) return ValidationFailed(std::move(errs));
  auto patient = TreatedPatient(actor, consultation_id, true);
  if (!patient) return patient.error();
  const std::int64_t now = clock_.NowMs();
  return db_.With<Allergy>(store::TxMode::write, [&](store::Tx& tx) -> Result<Allergy> {
    auto id = repo::InsertAllergy(tx, *patient, in, actor.user_id, actor.user_id, now);
    if (!id) {
      if (id.error().code == "foreign_key_violation") return ValidationFailed({{"drug_id", "invalid_value"}});
      return id.error();
    }
    if (auto st = audit::Append(tx, Audit(actor, now, "allergy.create", *patient, "AllergyIntolerance", *id,
                                          "treatment", meta));
        !st)
      return st.error();
    auto all = repo::Allergies(tx, *patient);
    if (!all) return all.error();
    for (auto& a : *all)
      if (a.id == *id) return a;
    return NotFound();
  });
}

Result<Allergy> PrescriptionService::ConfirmAllergy(const Principal& actor, std::int64_t consultation_id,
                                                    std::int64_t allergy_id, const RequestMeta& meta) {
  auto patient = TreatedPatient(actor, consultation_id, true);
  if (!patient) return patient.error();
  const std::int64_t now = clock_.NowMs();
  return db_.With<Allergy>(store::TxMode::write, [&](store::Tx& tx) -> Result<Allergy> {
    auto ok = repo::ConfirmAllergy(tx, *patient, allergy_id, actor.user_id);
    if (!ok) return ok.error();
    if (!*ok) return NotFound();
    if (auto st = audit::Append(tx, Audit(actor, now, "allergy.confirm", *patient, "AllergyIntolerance", allergy_id,
                                          "treatment", meta));
        !st)
      return st.error();
    auto all = repo::Allergies(tx, *patient);
    if (!all) return all.error();
    for (auto& a : *all)
      if (a.id == allergy_id) return a;
    return NotFound();
  });
}

// --- keys ---

Result<std::string> PrescriptionService::OpenKey(const SigningKey& key, const std::string& pin) {
  const std::string who = std::to_string(key.user_id) + ":" + key.role;
  if (auto wait = pin_attempts_.Attempt(who, clock_.NowMs())) {
    Error e = MakeError(Errc::rate_limited, "too_many_pin_attempts");
    e.retry_after_s = static_cast<int>((*wait + 999) / 1000);
    return e;
  }
  auto secret = signing::Open({key.public_key, key.sealed_secret, key.pin_salt, key.kdf_ops, key.kdf_mem}, pin);
  if (!secret) return MakeError(Errc::conflict, "rx_signature_invalid");
  pin_attempts_.Forgive(who);
  return std::move(*secret);
}

Result<SigningKey> PrescriptionService::SetPin(const Principal& actor, const std::string& role, const std::string& pin,
                                               const std::string& old_pin) {
  if (!signing::PinWellFormed(pin)) return ValidationFailed({{"pin", "pin_format"}});
  // Who may sign: an active, licensed practitioner (doctor) or a registered pharmacist.
  std::string name = actor.real_name;
  if (role == "doctor") {
    auto d = directory_.MyPractitioner(actor);
    if (!d || !PractisingToday(*d, clock_.NowMs())) return MakeError(Errc::forbidden, "not_a_signer");
    name = d->name;
  } else {
    auto ph = db_.With<std::optional<Pharmacist>>(
        store::TxMode::read, [&](store::Tx& tx) { return repo::PharmacistByUser(tx, actor.user_id); });
    if (!ph) return ph.error();
    if (!*ph || (*ph)->status != "active") return MakeError(Errc::forbidden, "not_a_signer");
    name = (*ph)->name;
  }
  auto current = db_.With<std::optional<SigningKey>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::ActiveKey(tx, actor.user_id, role); });
  if (!current) return current.error();
  if (*current) {
    if (auto opened = OpenKey(**current, old_pin); !opened) return opened.error();
  }
  // Argon2id outside the transaction; a new key on every PIN (the old one stays published, retired,
  // so what it signed still verifies).
  const auto sealed = signing::NewKey(pin, config_.pin_profile);
  return db_.With<SigningKey>(store::TxMode::write, [&](store::Tx& tx) -> Result<SigningKey> {
    auto again = repo::ActiveKey(tx, actor.user_id, role);
    if (!again) return again.error();
    if (again->has_value() != current->has_value() || (*again && (*again)->id != (*current)->id))
      return MakeError(Errc::conflict, "rx_signature_invalid");
    if (*again)
      if (auto st = repo::RetireKey(tx, (*again)->id); !st) return st.error();
    SigningKey k;
    k.user_id = actor.user_id;
    k.role = role;
    k.owner_name = name;
    k.public_key = sealed.public_key;
    k.sealed_secret = sealed.sealed_secret;
    k.pin_salt = sealed.pin_salt;
    k.kdf_ops = sealed.kdf_ops;
    k.kdf_mem = sealed.kdf_mem;
    k.created_at = clock_.NowMs();
    auto id = repo::InsertKey(tx, k);
    if (!id) return id.error();
    k.id = *id;
    k.status = "active";
    return k;
  });
}

Result<std::vector<SigningKey>> PrescriptionService::PublicKeys() {
  return db_.With<std::vector<SigningKey>>(store::TxMode::read, [&](store::Tx& tx) { return repo::AllKeys(tx); });
}

// --- the doctor ---

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

  auto data = db_.With<std::pair<std::vector<Allergy>, std::vector<Prescription>>>(
      store::TxMode::read, [&](store::Tx& tx) -> Result<std::pair<std::vector<Allergy>, std::vector<Prescription>>> {
        auto a = repo::Allergies(tx, p.consultation.patient.id);
        if (!a) return a.error();
        auto act = repo::ActiveOfPatient(tx, p.consultation.patient.id, now);
        if (!act) return act.error();
        return std::make_pair(std::move(*a), std::move(*act));
      });
  if (!data) return data.error();
  ctx.allergies = std::move(data->first);
  // The version being replaced is not "another active prescription".
  std::vector<std::int64_t> active_formulary;
  std::vector<std::pair<std::int64_t, std::string>> active_lines;
  for (const auto& rx : data->second) {
    if (in.previous_id && rx.id == *in.previous_id) continue;
    for (const auto& it : rx.items) {
      active_formulary.push_back(it.formulary_id);
      active_lines.push_back({it.formulary_id, rx.rx_no});
    }
  }
  auto active_f = drugs_.FormularyByIds(active_formulary);
  if (!active_f) return active_f.error();
  for (const auto& [fid, rx_no] : active_lines)
    for (const auto& f : *active_f)
      if (f.id == fid) ctx.active.push_back({f.drug.id, f.drug.name, f.drug.name_en, f.drug.therapeutic_class, rx_no});

  std::vector<std::string> names;
  for (const auto& f : formulary) names.push_back(f.name_en.empty() ? f.drug.name_en : f.name_en);
  for (const auto& a : ctx.active) names.push_back(a.name_en);
  auto pairs = drugs_.InteractionsAmong(names);
  if (!pairs) return pairs.error();
  ctx.interactions = std::move(*pairs);
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
      } else if ((*prev)->status != "rejected") {
        return MakeError(Errc::conflict, "rx_not_replaceable");
      }
    }
    auto id = repo::InsertPrescription(tx, p);
    if (!id) return id.error();
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
  auto data = db_.With<std::pair<std::vector<Allergy>, std::vector<Prescription>>>(
      store::TxMode::read, [&](store::Tx& tx) -> Result<std::pair<std::vector<Allergy>, std::vector<Prescription>>> {
        auto a = repo::Allergies(tx, p->patient_id);
        if (!a) return a.error();
        auto act = repo::ActiveOfPatient(tx, p->patient_id, now);
        if (!act) return act.error();
        return std::make_pair(std::move(*a), std::move(*act));
      });
  if (!data) return data.error();
  ctx.allergies = data->first;
  out.allergies = std::move(data->first);
  std::vector<std::int64_t> afids;
  for (auto& rx : data->second) {
    if (rx.id == p->id) continue;
    for (const auto& it : rx.items) afids.push_back(it.formulary_id);
    out.active.push_back(std::move(rx));
  }
  auto af = drugs_.FormularyByIds(afids);
  if (!af) return af.error();
  for (const auto& f : *af)
    ctx.active.push_back({f.drug.id, f.drug.name, f.drug.name_en, f.drug.therapeutic_class, ""});
  std::vector<std::string> names;
  for (const auto& f : ctx.formulary) names.push_back(f.name_en.empty() ? f.drug.name_en : f.name_en);
  for (const auto& a : ctx.active) names.push_back(a.name_en);
  auto pairs = drugs_.InteractionsAmong(names);
  if (!pairs) return pairs.error();
  ctx.interactions = std::move(*pairs);
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
  if (std::find(user->roles.begin(), user->roles.end(), "pharmacist") == user->roles.end())
    return MakeError(Errc::conflict, "not_a_pharmacist_role");
  const std::int64_t now = clock_.NowMs();
  return db_.With<Pharmacist>(store::TxMode::write, [&](store::Tx& tx) -> Result<Pharmacist> {
    auto id = repo::InsertPharmacist(tx, user_id, user->real_name, hospital_id, licence_number, now);
    if (!id) return id.error();
    if (auto st =
            audit::Append(tx, audit::Entry{now, admin.user_id, admin.AuditRole(), "pharmacist.register", std::nullopt,
                                           "Practitioner", std::to_string(*id), "", meta.request_id});
        !st)
      return st.error();
    auto p = repo::PharmacistByUser(tx, user_id);
    if (!p) return p.error();
    return **p;
  });
}

// --- verification ---

std::string PrescriptionService::QrPayload(const Prescription& p) { return document::QrPayload(p); }

Result<Verification> PrescriptionService::Verify(const std::string& payload) {
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
    return v;
  });
}

Result<std::int64_t> PrescriptionService::Sweep() {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) { return repo::ExpireDue(tx, now); });
}

}  // namespace ihos::domain::prescriptions
