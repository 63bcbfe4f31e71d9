#pragma once
// The chronic-medicine need registry: a patient (or a guardian, or a community worker with the
// patient's consent) registers a need for a formulary drug; ihos matches it to pharmacies with the
// item in stock nearby and tells the patient; pharmacy staff see open needs around their pharmacy
// and answer (can supply / reserve); a need links to a follow-up consultation; unmet needs feed
// the shortage map. See README.md beside this file for the lifecycle, who may do what and the codes.
//
// Thread-safe. Every method blocks on the database (call from the worker pool); Sweep runs on the
// needs sweeper thread.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/consultation/service.hpp"
#include "domain/drugs/service.hpp"
#include "domain/needs/model.hpp"
#include "domain/pharmacy/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::needs {

struct Config {
  std::vector<std::int64_t> match_radii_m = {5000, 10000};  // the next one only when nothing is near
  std::int64_t pharmacy_area_m = 10000;        // pharmacy staff see open needs this far from their pharmacy
  int default_reserve_days = 3;                // a reservation for a need lasts this long (1..max_reserve_days)
  int max_reserve_days = 7;                    // the longest a pharmacy may reserve for a need
  std::int64_t rematch_ms = 10LL * 60 * 1000;  // an open need is matched again after this long
  int lapse_days = 30;                         // an open need nobody closed lapses after this long
};

// How to reach a follow-up consultation for a need: link one the patient already has, or start one
// with a doctor or in a department.
struct ConsultationChoice {
  std::optional<std::int64_t> consultation_id;
  std::optional<std::int64_t> practitioner_id;
  std::string department_code;
  std::string kind = "text";
  std::vector<std::int64_t> proof_upload_ids;  // the patient side's records of the offline diagnosis
};

class NeedService {
 public:
  NeedService(store::Database& db, const Clock& clock, accounts::AccountService& accounts, drugs::DrugService& drugs,
              pharmacy::PharmacyService& pharmacy, consultation::ConsultationService& consultation, Config config);

  // --- registering (the patient, a guardian for a ward, or a community worker) ---
  // A worker's registration (subject_name and subject_phone set) waits for consent: a code is sent
  // by SMS to the phone (the worker enters it) and the patient may confirm in their own app. Errors:
  // validation_failed (fields; drug not in the formulary; coordinates outside China; region);
  // not_found (a patient the actor may not act for); forbidden need_worker_only (subject fields
  // from someone who is not an active community worker); rate_limited sms_too_frequent.
  Result<Need> Register(const Principal& actor, const NeedInput& in, const RequestMeta& meta);
  // Needs of the actor and their wards (as patient / guardian), newest first.
  Result<std::vector<Need>> Mine(const Principal& actor);
  // Needs the actor registered as a community worker. Errors: forbidden need_worker_only.
  Result<std::vector<Need>> Registered(const Principal& actor);
  // Workers' registrations waiting for the actor's consent (by the phone of their account).
  Result<std::vector<Need>> AwaitingMyConsent(const Principal& actor);
  // With its matches and answers. Errors: not_found (anyone but the patient, a guardian, the
  // registering worker, or — while awaiting consent — the owner of the phone).
  Result<Need> Get(const Principal& actor, std::int64_t id);

  // --- consent to a worker's registration ---
  // The worker enters the code the patient received (`code` set), or the patient (the account
  // with the registered phone) confirms or declines in the app (`code` unset). Errors: not_found;
  // conflict need_not_awaiting_consent; invalid_argument sms_code_invalid.
  Result<Need> Consent(const Principal& actor, std::int64_t id, const std::optional<std::string>& code, bool confirm);
  // Sends the code again (the worker). Errors: not_found; conflict need_not_awaiting_consent;
  // rate_limited sms_too_frequent.
  Result<Need> ResendConsentCode(const Principal& actor, std::int64_t id, const RequestMeta& meta);

  // --- the patient side ends it ---
  // to = fulfilled | closed | cancelled; releases every reservation for it. Errors: not_found;
  // conflict need_not_open.
  Result<Need> Finish(const Principal& actor, std::int64_t id, const std::string& to, const std::string& note);
  // Links (or starts) the follow-up consultation with the need's drug in the request. Errors:
  // not_found; conflict need_not_open, need_no_account (a worker's registration the patient has not
  // confirmed in the app); those of ConsultationService::Start / Get.
  Result<Need> LinkConsultation(const Principal& actor, std::int64_t id, const ConsultationChoice& choice,
                                const RequestMeta& meta);

  // --- pharmacy staff ---
  // Open needs within pharmacy_area_m of the pharmacy (default: the actor's first), nearest first.
  // Errors: not_found (not staff of that pharmacy).
  Result<std::pair<pharmacy::Pharmacy, std::vector<NearbyNeed>>> NearPharmacy(const Principal& actor,
                                                                              std::optional<std::int64_t> pharmacy_id);
  // kind = can_supply | reserved (Reserve under "need:<id>:<pharmacy_id>" for `reserve_days`).
  // Errors: not_found (need not open near the pharmacy, or not its staff); validation_failed
  // (quantity above the need's); conflict need_not_open, stock_insufficient.
  Result<Answer> AnswerNeed(const Principal& actor, std::int64_t id, std::int64_t pharmacy_id, const std::string& kind,
                            std::int64_t quantity, const std::string& note, std::optional<int> reserve_days);

  // --- for other capabilities (drug orders), in the caller's transaction ---
  // A drug order (`order_ref`) of the patient meets their open needs of these formulary items:
  // each becomes fulfilled (note: the order's ref) and its held reservations are marked released
  // (exactly once, as in ReleaseAnswer). Returns the pharmacy reservation refs to release; the
  // caller releases them in its own stock reservation (pharmacy Reserve with release_refs), so the
  // boxes a pharmacy held for the need can go to the order.
  Result<std::vector<std::string>> MetByOrder(store::Tx& tx, std::int64_t patient_id,
                                              const std::vector<std::int64_t>& item_ids, const std::string& order_ref,
                                              std::int64_t now);

  // --- health authority and admin ---
  Result<std::vector<ShortageRow>> Shortage(const ShortageQuery& q);
  // Registers (or updates) a community worker by their account's phone. Errors: not_found (no
  // account with that phone); validation_failed (region_code, community).
  Result<Worker> RegisterWorker(const Principal& actor, const std::string& phone, const std::string& community,
                                const std::string& region_code, bool active, const RequestMeta& meta);
  Result<std::vector<Worker>> Workers();
  // The actor's worker record, or nullopt.
  Result<std::optional<Worker>> MyWorker(const Principal& actor);

  // Matches an open need to pharmacies (outside any transaction: Nearby reads on its own) and tells
  // the patient (or the worker) of pharmacies not matched before. Returns how many are matched.
  Result<int> Match(std::int64_t need_id);
  // Matches needs due, releases lapsed reservations, lapses old needs. Returns how many changed.
  Result<int> Sweep();
  // Demo: a community worker and an open need of the patient at (lat, lon) for an item, labelled demo.
  Status SeedDemo(std::int64_t worker_id, std::int64_t admin_id, std::int64_t patient_id, std::int64_t item_id,
                  const std::string& region_code, std::int64_t lat_e6, std::int64_t lon_e6);

  const Clock& clock() const { return clock_; }
  const Config& config() const { return config_; }

 private:
  Result<Need> Load(store::Tx& tx, std::int64_t id, bool with_details);
  // Whether the actor is the patient side of the need: the patient, a guardian, the worker.
  Result<bool> IsPatientSide(store::Tx& tx, const Principal& actor, const Need& n);
  Status ReleaseAll(store::Tx& tx, std::int64_t need_id, std::int64_t now);
  // Releases one held reservation exactly once; false when it was released already.
  Result<bool> ReleaseAnswer(store::Tx& tx, const Answer& a, std::int64_t now);
  Status Notify(store::Tx& tx, const Need& n, const std::string& kind, const std::string& title_zh,
                const std::string& title_en, const std::string& body_zh, const std::string& body_en, std::int64_t now);

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  drugs::DrugService& drugs_;
  pharmacy::PharmacyService& pharmacy_;
  consultation::ConsultationService& consultation_;
  Config config_;
};

}  // namespace ihos::domain::needs
