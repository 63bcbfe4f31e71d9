#pragma once
// Makes an approved practitioner by SQL (hospital, uploads, an approved application, the
// practitioners row, the doctor role) for tests of capabilities that need a doctor, without
// going through the directory's application and review flow.
#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace ihos::testing {

struct PractitionerSpec {
  std::string department_code = "internal_medicine";
  std::string title = "attending_physician";
  std::int64_t general_price_fen = 2500;  // the hospital's general outpatient price
  bool free_clinic = false;
  std::string licence_expires_on = "2099-12-31";
  std::string status = "active";
};

struct PractitionerIds {
  std::int64_t practitioner_id = 0;
  std::int64_t hospital_id = 0;
};

// `user_id` must be an existing user. Each call creates a new hospital. Throws
// std::runtime_error on a database error.
PractitionerIds InsertPractitioner(store::Database& db, std::int64_t user_id, const PractitionerSpec& spec = {});

struct SeededPatient {
  std::int64_t id = 0;
  std::string token;  // a live bearer token
};

// `n` adult patients with live sessions, inserted by SQL in one transaction (no Argon2id and no
// registration rate limit: for tests and benches that need hundreds of distinct patients).
// `tag` keeps ID numbers unique across calls on one database. Throws std::runtime_error.
std::vector<SeededPatient> InsertPatients(store::Database& db, int n, const std::string& tag, std::int64_t now_ms);

}  // namespace ihos::testing
