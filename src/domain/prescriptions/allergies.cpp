#include "domain/prescriptions/service_internal.hpp"

namespace ihos::domain::prescriptions {
using namespace detail;

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
    if (auto st = audit::Append(tx, Audit(actor, clock_.NowMs(), "allergy.read", *patient, "Encounter", consultation_id,
                                          "treatment", meta));
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
    if (auto st = audit::Append(
            tx, Audit(actor, now, "allergy.create", *patient, "AllergyIntolerance", *id, "treatment", meta));
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
    if (auto st = audit::Append(
            tx, Audit(actor, now, "allergy.confirm", *patient, "AllergyIntolerance", allergy_id, "treatment", meta));
        !st)
      return st.error();
    auto all = repo::Allergies(tx, *patient);
    if (!all) return all.error();
    for (auto& a : *all)
      if (a.id == allergy_id) return a;
    return NotFound();
  });
}

}  // namespace ihos::domain::prescriptions
