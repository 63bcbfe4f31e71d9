#pragma once
// E-prescriptions and pharmacist review (审方). See README.md beside this file for the rules (each
// with its code and source) and who may do what.
//
// Thread-safe. Every method blocks on the database, and signing runs Argon2id on the PIN: call
// them from the worker pool.
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "domain/accounts/service.hpp"
#include "domain/consultation/service.hpp"
#include "domain/directory/service.hpp"
#include "domain/drugs/service.hpp"
#include "domain/prescriptions/model.hpp"
#include "domain/prescriptions/rules.hpp"
#include "store/database.hpp"

namespace ihos::domain::prescriptions {

struct Config {
  crypto::PasswordProfile pin_profile = crypto::PasswordProfile::interactive;
};

class PrescriptionService {
 public:
  PrescriptionService(store::Database& db, const Clock& clock, drugs::DrugService& drugs,
                      consultation::ConsultationService& consultations, directory::DirectoryService& directory,
                      accounts::AccountService& accounts, Config config);

  // --- allergies (the patient or guardian; the treating doctor of an active consultation) ---
  // Errors: not_found (a patient the actor may not see).
  Result<std::vector<Allergy>> Allergies(const Principal& actor, std::int64_t patient_id, const RequestMeta& meta);
  // Errors: not_found; validation_failed (drug_id unknown / class_code unknown / neither or both).
  Result<Allergy> AddAllergy(const Principal& actor, std::int64_t patient_id, const AllergyInput& in,
                             const RequestMeta& meta);
  // Errors: not_found.
  Status RemoveAllergy(const Principal& actor, std::int64_t patient_id, std::int64_t id, const RequestMeta& meta);

  // --- allergies, the treating doctor of an active consultation (from the questionnaire) ---
  // The patient's allergies (audited). Errors: not_found (not the treating doctor).
  Result<std::vector<Allergy>> ConsultationAllergies(const Principal& actor, std::int64_t consultation_id,
                                                     const RequestMeta& meta);
  // Records an allergy the patient named, confirmed by the doctor. Errors: as AddAllergy; conflict
  // consultation_not_active.
  Result<Allergy> RecordAllergy(const Principal& actor, std::int64_t consultation_id, const AllergyInput& in,
                                const RequestMeta& meta);
  // Confirms an allergy the patient or guardian recorded. Errors: not_found; conflict consultation_not_active.
  Result<Allergy> ConfirmAllergy(const Principal& actor, std::int64_t consultation_id, std::int64_t allergy_id,
                                 const RequestMeta& meta);

  // --- signing keys ---
  // Sets the signing PIN of the actor's role (doctor: an active practitioner; pharmacist: a
  // registered pharmacist): makes a new Ed25519 key sealed by it. Changing the PIN needs the old
  // one. Errors: validation_failed (pin); forbidden not_a_signer; conflict rx_signature_invalid
  // (old PIN wrong).
  Result<SigningKey> SetPin(const Principal& actor, const std::string& role, const std::string& pin,
                            const std::string& old_pin);
  Result<std::vector<SigningKey>> PublicKeys();

  // --- the treating doctor ---
  // Every rule hit for this draft (nothing stored). Errors: not_found (not the treating doctor);
  // validation_failed (form); conflict practitioner_suspended.
  Result<std::vector<RuleHit>> Check(const Principal& actor, const PrescriptionInput& in);
  // Checks again and signs: pending_review. Errors: as Check; conflict <rule code> for the first
  // blocking hit (every hit in the error's violations); rx_record_required; conflict
  // rx_signature_invalid (PIN wrong) / rx_no_signing_key.
  Result<Prescription> Create(const Principal& actor, const PrescriptionInput& in, const std::string& pin,
                              const RequestMeta& meta);
  // pending_review | approved -> cancelled by its doctor. Errors: not_found; conflict rx_not_cancellable.
  Result<Prescription> Cancel(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  Result<std::vector<Prescription>> OfConsultation(const Principal& actor, std::int64_t consultation_id,
                                                   const RequestMeta& meta);

  // --- reading ---
  // The patient or guardian, the prescribing doctor, a pharmacist of the hospital (audited for
  // staff). Errors: not_found.
  Result<Prescription> Get(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // The actor's and wards' prescriptions (or one patient's). Errors: not_found.
  Result<std::vector<Prescription>> Mine(const Principal& actor, std::optional<std::int64_t> patient_id);

  // --- pharmacists ---
  // Errors: forbidden not_a_pharmacist.
  Result<std::vector<Prescription>> Queue(const Principal& actor);
  // Errors: not_found; forbidden not_a_pharmacist.
  Result<ReviewContext> ForReview(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Approve (signed with the pharmacist's PIN) or reject with a reason. Errors: not_found;
  // validation_failed; conflict rx_not_pending, rx_expired, rx_self_review, rx_review_failed_checks
  // (approving with a group marked fail), rx_signature_invalid.
  Result<Prescription> Review(const Principal& actor, std::int64_t id, const ReviewInput& in, const RequestMeta& meta);
  Result<PharmacistStats> Stats(const Principal& actor);

  // --- admin ---
  // Registers a user as a pharmacist of a hospital with their licence. Errors: not_found (user or hospital);
  // unique_violation. Grants the pharmacist role: the registration is the credential review.
  Result<Pharmacist> AddPharmacist(const Principal& admin, std::int64_t user_id, std::int64_t hospital_id,
                                   const std::string& licence_number, const RequestMeta& meta);

  // --- verification (pharmacies) ---
  // Checks both signatures of a QR payload against the published keys and reads the current status.
  // Errors: invalid_argument rx_code_invalid; not_found (no such prescription).
  // The code must match the prescription on record (content hash and both key ids; doctor and
  // pharmacist different people) to be dispensable; audited as a read of the patient's record.
  Result<Verification> Verify(const Principal& actor, const std::string& payload, const RequestMeta& meta);
  // The QR text of a prescription (both signatures once approved).
  static std::string QrPayload(const Prescription& p);

  // --- for the dispensing capability, in its transaction ---
  // approved -> dispensed once every line is dispensed; false when it was no longer approved
  // (cancelled or expired after the order was placed). Errors: those of store::Tx.
  Result<bool> MarkDispensed(store::Tx& tx, std::int64_t id);
  // The prescription's status and expiry read in the caller's transaction, the row locked until it
  // ends on PostgreSQL (a cancel or review waits for the order being supplied); nullopt when none.
  struct DispensingState {
    std::string status;
    std::int64_t expires_at = 0;
  };
  Result<std::optional<DispensingState>> StateForDispensing(store::Tx& tx, std::int64_t id);
  // dispensed -> approved: a supplied order came back (returned delivery), so part of it is owed
  // again; false when it was not dispensed. Errors: those of store::Tx.
  Result<bool> RevertDispensed(store::Tx& tx, std::int64_t id);

  // pending_review | approved past validity -> expired. Returns how many.
  Result<std::int64_t> Sweep();

  const Clock& clock() const { return clock_; }

 private:
  // The patient of a consultation the actor treats and may still act in. Errors: not_found;
  // conflict consultation_not_active, practitioner_suspended.
  Result<std::int64_t> TreatedPatient(const Principal& actor, std::int64_t consultation_id, bool must_be_active);
  // Fills ctx.allergies, ctx.active (the patient's active prescriptions except `exclude_id`) and
  // ctx.interactions among ctx.formulary and those; returns those other active prescriptions.
  Result<std::vector<Prescription>> FillPatientContext(std::int64_t patient_id, std::optional<std::int64_t> exclude_id,
                                                       std::int64_t now, CheckContext& ctx);
  struct Prepared;
  Result<Prepared> Prepare(const Principal& actor, const PrescriptionInput& in);
  // The signer's secret key opened with the PIN. Five wrong PINs per signer in 15 minutes lock
  // signing for the rest of the window (rate_limited too_many_pin_attempts), so a stolen session
  // cannot try PINs. Errors: conflict rx_signature_invalid; rate_limited.
  Result<std::string> OpenKey(const SigningKey& key, const std::string& pin);

  store::Database& db_;
  const Clock& clock_;
  drugs::DrugService& drugs_;
  consultation::ConsultationService& consultations_;
  directory::DirectoryService& directory_;
  accounts::AccountService& accounts_;
  Config config_;
  RateLimiter pin_attempts_{5, 15LL * 60 * 1000};
};

}  // namespace ihos::domain::prescriptions
