#pragma once
// An approved prescription row made by SQL (a consultation with the doctor, the doctor's signing
// key, the prescription; no items, no real signature) for store tests of capabilities that refer
// to a prescription (drug orders), without going through signing and the pharmacist's review.
#include <cstdint>
#include <string>

#include "store/database.hpp"

namespace ihos::testing {

struct PrescriptionRowSpec {
  std::int64_t patient_id = 0;
  std::int64_t doctor_user_id = 0;  // with an approved practitioner (InsertPractitioner)
  std::int64_t practitioner_id = 0;
  std::int64_t hospital_id = 0;
  std::int64_t now_ms = 0;  // signed then; expires a day later
  std::string status = "approved";
};

// Returns the prescription's id; rx numbers are unique per call. The doctor's active signing key
// is made on first use and reused. Throws std::runtime_error on a database error.
std::int64_t InsertPrescriptionRow(store::Database& db, const PrescriptionRowSpec& spec);

}  // namespace ihos::testing
