#pragma once
// E-prescriptions (FHIR MedicationRequest), allergies (AllergyIntolerance), pharmacist review
// and signing keys. No JSON, no SQL. See README.md beside this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/drugs/model.hpp"

namespace ihos::domain::prescriptions {

struct Allergy {
  std::int64_t id = 0;
  std::int64_t patient_id = 0;
  std::optional<std::int64_t> drug_id;
  std::string drug_name;   // when drug_id
  std::string class_code;  // penicillins, ... when a class
  std::string reaction;
  std::int64_t recorded_by = 0;
  std::optional<std::int64_t> confirmed_by;
  std::int64_t created_at = 0;
};

struct AllergyInput {
  std::optional<std::int64_t> drug_id;
  std::string class_code;
  std::string reaction;
};

// One line of the doctor's input (正文). single_dose_milli is thousandths of the formulary
// line's dose_unit (0.5 g = 500); quantity (boxes) is computed by the server.
struct ItemInput {
  std::int64_t formulary_id = 0;
  std::int64_t single_dose_milli = 0;
  std::string route;      // oral | topical | inhalation | subcutaneous | ...
  std::string frequency;  // qd | bid | tid | qid | q8h | q12h | qn | qw
  std::int64_t days = 0;
  std::string override_reason;  // recorded reason to go ahead despite a high-priority interaction
};

struct PrescriptionInput {
  std::int64_t consultation_id = 0;
  std::vector<ItemInput> items;
  bool long_term = false;               // a long prescription (长期处方) for a stable chronic condition
  std::string long_term_assessment;     // the doctor's recorded assessment (needed past 28 days)
  bool patient_confirmed_long = false;  // the patient's confirmation (needed past 28 days)
  bool guardian_present = false;        // the guardian is present in the consultation (under 6)
  std::optional<std::int64_t> patient_weight_g;
  std::int64_t valid_days = 1;              // 1..3
  std::optional<std::int64_t> previous_id;  // a new version of this prescription
};

struct Item {
  std::int64_t line = 0;
  std::int64_t formulary_id = 0;
  std::int64_t drug_id = 0;
  std::string generic_name;
  std::string dosage_form;
  std::string strength;
  std::int64_t single_dose_milli = 0;
  std::string dose_unit;
  std::string route;
  std::string frequency;
  std::int64_t days = 0;
  std::int64_t quantity = 0;      // boxes
  std::string package_unit;       // the unit inside a box
  std::int64_t package_size = 0;  // units per box
  std::int64_t price_fen = 0;     // per box
  std::string override_reason;
};

struct Prescription {
  std::int64_t id = 0;
  std::string rx_no;
  std::optional<std::int64_t> previous_id;
  std::int64_t consultation_id = 0;
  std::int64_t patient_id = 0;
  std::int64_t practitioner_id = 0;
  std::int64_t doctor_user_id = 0;
  std::string doctor_name;
  std::int64_t hospital_id = 0;
  std::string kind;      // western | herbal
  std::string category;  // ordinary | pediatric | emergency (the paper colour)
  std::string status;    // pending_review | approved | rejected | dispensed | expired | cancelled
  std::string institution;
  std::string department;
  std::string patient_name;
  std::string patient_sex;
  std::string patient_age;
  std::optional<std::int64_t> patient_weight_g;
  std::string diagnosis_code;
  std::string diagnosis_name;
  std::string issued_on;
  std::int64_t valid_days = 1;
  std::int64_t expires_at = 0;
  std::string long_term_assessment;
  bool patient_confirmed_long = false;
  bool guardian_present = false;
  std::int64_t amount_fen = 0;
  std::string content_hash;
  std::int64_t doctor_key_id = 0;
  std::string doctor_signature;
  std::int64_t signed_at = 0;
  std::optional<std::int64_t> pharmacist_user_id;
  std::string pharmacist_name;
  std::optional<std::int64_t> pharmacist_key_id;
  std::string pharmacist_signature;
  std::optional<std::int64_t> reviewed_at;
  std::string reject_reason;
  std::string warnings_json;
  std::int64_t created_at = 0;
  std::vector<Item> items;
};

// A rule hit: `code` is the stable rule code (rx_allergy, ...); `line` the item (0-based) or -1
// for the whole prescription; `drug`/`other` name the drugs; `blocking` false = a warning.
struct RuleHit {
  std::string code;
  int line = -1;
  std::string drug;
  std::string other;
  bool blocking = true;
  bool overridden = false;  // a high-priority interaction with a recorded reason
};

struct ReviewInput {
  std::string outcome;      // approved | rejected
  std::string legality;     // pass | fail
  std::string normativity;  // pass | fail
  std::string suitability;  // pass | fail
  std::string reason;
  std::string pin;
};

struct Review {
  std::int64_t id = 0;
  std::int64_t prescription_id = 0;
  std::int64_t pharmacist_user_id = 0;
  std::string outcome;
  std::string legality;
  std::string normativity;
  std::string suitability;
  std::string reason;
  std::int64_t opened_at = 0;
  std::int64_t decided_at = 0;
};

struct SigningKey {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string role;  // doctor | pharmacist
  std::string public_key;
  std::string sealed_secret;
  std::string pin_salt;
  std::int64_t kdf_ops = 0;
  std::int64_t kdf_mem = 0;
  std::string status;
  std::int64_t created_at = 0;
  std::string owner_name;
};

struct Pharmacist {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t hospital_id = 0;
  std::string licence_number;
  std::string status;
  std::string name;
};

struct PharmacistStats {
  std::int64_t reviewed = 0;
  std::int64_t approved = 0;
  std::int64_t rejected = 0;
  std::int64_t median_review_s = 0;  // signing to decision
};

// What the pharmacist sees beside a prescription (side by side).
struct ReviewContext {
  Prescription prescription;
  std::vector<RuleHit> hits;
  std::vector<Allergy> allergies;
  std::vector<Prescription> active;  // the patient's other active prescriptions
  std::string chief_complaint;
  std::string present_illness;
  std::string patient_birth_date;
};

// The result of verifying a prescription code.
struct Verification {
  bool doctor_signature_valid = false;
  bool pharmacist_signature_valid = false;
  std::string rx_no;
  bool matches_record = false;  // the content and keys are those of the prescription on record
  std::string status;   // the current status (online verification)
  std::string content;  // the signed content (JSON text)
};

}  // namespace ihos::domain::prescriptions
