#pragma once
// The chronic-medicine need registry (慢病用药需求登记): needs, consent, matches, pharmacies'
// answers, community workers and the shortage map. No JSON, no SQL. See README.md beside this file.
// FHIR: a need is close to a MedicationRequest with intent "proposal" (or a CommunicationRequest).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::needs {

// A community worker (社区工作者/网格员), registered by a health_authority user or an admin.
struct Worker {
  std::int64_t user_id = 0;
  std::string name;
  std::string community;
  std::string region_code;
  std::string region_name;
  bool active = true;
  std::int64_t registered_by = 0;
  std::int64_t registered_at = 0;
  bool demo = false;
};

struct Consent {
  std::string method;  // self | sms_code | in_app
  std::int64_t at = 0;
  std::int64_t by = 0;  // the user who gave or recorded it
  std::string by_name;
};

// A pharmacy that had the item in stock near the need at the last match.
struct Match {
  std::int64_t pharmacy_id = 0;
  std::string pharmacy_name;
  std::int64_t distance_m = 0;
  std::int64_t available = 0;
  std::int64_t matched_at = 0;
};

// A pharmacy's answer.
struct Answer {
  std::int64_t id = 0;
  std::int64_t need_id = 0;
  std::int64_t pharmacy_id = 0;
  std::string pharmacy_name;
  std::string pharmacy_phone;  // filled for the patient side
  std::string pharmacy_address;
  std::int64_t answered_by = 0;
  std::string kind;  // can_supply | reserved
  std::int64_t quantity = 0;
  std::string note;
  std::optional<std::int64_t> reserved_until;
  std::optional<std::int64_t> released_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct Need {
  std::int64_t id = 0;
  std::optional<std::int64_t> patient_id;
  std::string subject_name;
  std::string subject_phone;  // stored in full; served masked
  std::int64_t registered_by = 0;
  std::string registered_as;  // patient | guardian | worker
  std::int64_t formulary_item_id = 0;
  std::string drug_name;
  std::int64_t quantity = 0;
  std::string region_code;
  std::string address;
  std::int64_t lat_e6 = 0;
  std::int64_t lon_e6 = 0;
  int days_left = 0;
  bool marked_urgent = false;
  std::string urgency;  // urgent | normal
  std::string condition;
  std::string icd10_code;
  bool needs_prescription = false;
  std::string status;  // awaiting_consent | open | fulfilled | closed | cancelled | lapsed
  std::optional<Consent> consent;
  std::optional<std::int64_t> consultation_id;
  std::optional<std::int64_t> matched_at;
  std::optional<std::int64_t> match_radius_m;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> closed_at;
  std::string close_note;
  bool demo = false;
  // Filled on reads that show them:
  std::vector<Match> matches;
  std::vector<Answer> answers;
};

// What a patient, guardian or worker registers.
struct NeedInput {
  std::optional<std::int64_t> patient_id;  // a ward (guardian); default the actor (patient)
  // A worker registering for an elderly patient: the patient's name and phone (the consent code
  // goes there). Set = a worker's registration.
  std::optional<std::string> subject_name;
  std::optional<std::string> subject_phone;
  std::int64_t formulary_item_id = 0;
  std::int64_t quantity = 1;
  std::string region_code;
  std::string address;
  std::optional<std::int64_t> lat_e6;  // absent: the region's centre (supplied by the caller)
  std::optional<std::int64_t> lon_e6;
  int days_left = 0;
  bool marked_urgent = false;
  std::string condition;
  std::string icd10_code;
  bool needs_prescription = false;
};

// An open need as a pharmacy sees it: no name, no phone.
struct NearbyNeed {
  std::int64_t id = 0;
  std::int64_t formulary_item_id = 0;
  std::string drug_name;
  std::int64_t quantity = 0;
  std::string region_code;
  std::string region_name;
  std::int64_t distance_m = 0;
  int days_left = 0;
  std::string urgency;
  bool needs_prescription = false;
  std::int64_t created_at = 0;
  bool matched = false;  // this pharmacy had it in stock at the last match
  std::optional<Answer> my_answer;
  bool demo = false;
};

// One row of the shortage map: unmet (open) needs of one region and drug.
struct ShortageRow {
  std::string region_code;
  std::string region_name;
  std::int64_t formulary_item_id = 0;
  std::string drug_name;
  std::int64_t needs = 0;
  std::int64_t urgent = 0;
  std::int64_t unmatched = 0;  // no pharmacy nearby had it in stock at the last match
  std::int64_t quantity = 0;   // boxes asked
  std::int64_t avg_days_waiting_x10 = 0;
  std::int64_t max_days_waiting = 0;
  // Sum and minimum of created_at, for rolling rows up (not served).
  std::int64_t sum_created = 0;
  std::int64_t min_created = 0;
};

struct ShortageQuery {
  std::string level = "province";  // province | city | county: the rows are rolled up to it
  std::string region_code;         // only needs under this region ("" all)
  std::optional<std::int64_t> formulary_item_id;
  std::string urgency;  // "" | urgent | normal
};

}  // namespace ihos::domain::needs
