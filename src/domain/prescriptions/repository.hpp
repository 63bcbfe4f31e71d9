#pragma once
// Storage of prescriptions, their items and reviews, allergies, pharmacists and signing keys:
// every SQL statement of the capability. All functions run inside the caller's transaction;
// errors are those of store::Tx.
#include <optional>
#include <string>
#include <utility>

#include "domain/prescriptions/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::prescriptions::repo {

// --- allergies ---
Result<std::vector<Allergy>> Allergies(store::Tx& tx, std::int64_t patient_id);
Result<std::int64_t> InsertAllergy(store::Tx& tx, std::int64_t patient_id, const AllergyInput& in,
                                   std::int64_t recorded_by, std::optional<std::int64_t> confirmed_by,
                                   std::int64_t now);
// Stamps removed_at; false when the patient has no such present allergy.
Result<bool> RemoveAllergy(store::Tx& tx, std::int64_t patient_id, std::int64_t id, std::int64_t by, std::int64_t now);
Result<bool> ConfirmAllergy(store::Tx& tx, std::int64_t patient_id, std::int64_t id, std::int64_t by);

// --- pharmacists ---
Result<std::optional<Pharmacist>> PharmacistByUser(store::Tx& tx, std::int64_t user_id);
Result<std::int64_t> InsertPharmacist(store::Tx& tx, std::int64_t user_id, const std::string& name,
                                      std::int64_t hospital_id, const std::string& licence_number, std::int64_t now);

// --- signing keys ---
Result<std::optional<SigningKey>> ActiveKey(store::Tx& tx, std::int64_t user_id, const std::string& role);
Result<std::optional<SigningKey>> FindKey(store::Tx& tx, std::int64_t id);
Result<std::vector<SigningKey>> AllKeys(store::Tx& tx);
Result<std::int64_t> InsertKey(store::Tx& tx, const SigningKey& k);
Status RetireKey(store::Tx& tx, std::int64_t id);

// --- prescriptions ---
Result<std::int64_t> InsertPrescription(store::Tx& tx, const Prescription& p);
Result<std::optional<Prescription>> Find(store::Tx& tx, std::int64_t id);
Result<std::optional<Prescription>> FindByNumber(store::Tx& tx, const std::string& rx_no);
Result<std::vector<Prescription>> OfConsultation(store::Tx& tx, std::int64_t consultation_id);
Result<std::vector<Prescription>> OfPatients(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit);
// The patient's prescriptions that are still in force at now_ms: pending review or approved and
// not expired, or dispensed with supply left (issued + longest days).
Result<std::vector<Prescription>> ActiveOfPatient(store::Tx& tx, std::int64_t patient_id, std::int64_t now_ms);
// Waiting for review in a hospital, oldest first.
Result<std::vector<Prescription>> Queue(store::Tx& tx, std::int64_t hospital_id, int limit);
// from -> to when the status is still `from`; false when it changed meanwhile.
Result<bool> SetStatus(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to);
// approved -> dispensed (every line handed to the patient); false when no longer approved.
Result<bool> MarkDispensed(store::Tx& tx, std::int64_t id);
// The status and expires_at, the row locked FOR UPDATE on PostgreSQL (SQLite's writer is alone).
Result<std::optional<std::pair<std::string, std::int64_t>>> StatusForUpdate(store::Tx& tx, std::int64_t id);
Result<bool> Approve(store::Tx& tx, std::int64_t id, std::int64_t pharmacist_user_id, std::int64_t key_id,
                     const std::string& signature, std::int64_t now);
Result<bool> Reject(store::Tx& tx, std::int64_t id, std::int64_t pharmacist_user_id, const std::string& reason,
                    std::int64_t now);
// pending_review | approved past expires_at -> expired; returns how many.
Result<std::int64_t> ExpireDue(store::Tx& tx, std::int64_t now_ms);

// --- reviews ---
Result<std::int64_t> InsertReview(store::Tx& tx, const Review& r);
Result<std::vector<Review>> ReviewsOf(store::Tx& tx, std::int64_t prescription_id);
Result<std::vector<Review>> ReviewsBy(store::Tx& tx, std::int64_t pharmacist_user_id, int limit);

}  // namespace ihos::domain::prescriptions::repo
