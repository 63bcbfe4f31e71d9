#pragma once
// Health code (健康码): the typed rows of its tables and the results its services return. No JSON,
// no SQL. The rule engine's own types (Colour, RuleSet, Fact, Reason, Evaluation) are in rules.hpp.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/healthcode/rules.hpp"

namespace ihos::domain::healthcode {

// The dev default of the key-encryption passphrase; ihosd logs a warning when it is in use.
inline constexpr char kDevKek[] = "ihos-dev-only-health-code-kek";

struct Config {
  int card_minutes = 5;              // a card's life (exp - nbf)
  std::string kek = kDevKek;         // --healthcode-kek / IHOS_HEALTHCODE_KEK
  std::string issuer;                // base URL in `iss`; empty = http://<listen address>
  int exposure_window_minutes = 60;  // a contact is within +-window of a case's visit
  int exposure_lookback_days = 14;   // which of the case's visits count
};

struct TestResultInput {
  std::string id_number, sample_id, result;  // result: negative | positive
  std::int64_t sampled_at = 0;
};

// ---------------------------------------------------------------- rows

// hc_keys
struct KeyRow {
  std::string kid;
  std::string public_jwk;  // the public JWK as stored (JSON text)
  std::string private_sealed, rid_secret_sealed;
  std::optional<std::int64_t> retired_at;
};

// hc_rule_sets
struct RuleSetRow {
  std::int64_t version = 0;
  std::string body;  // the rule set as stored (JSON text, validated on save)
  std::string note;
  std::int64_t created_at = 0;
  bool demo = false;
};

// hc_facts
struct FactRecord {
  std::int64_t id = 0;
  std::string kind, value;
  std::int64_t occurred_at = 0;
  std::optional<std::string> region_code;
  std::string detail, source;
  std::int64_t entered_at = 0;
  std::optional<std::int64_t> withdrawn_at;
  std::optional<std::string> withdrawn_reason;
  bool demo = false;
};

struct NewFact {
  std::int64_t user_id = 0;
  std::string kind, value;
  std::int64_t occurred_at = 0;
  std::optional<std::string> region_code;
  std::string detail, source;
  std::optional<std::int64_t> entered_by;
  std::int64_t entered_at = 0;
  bool demo = false;  // seeded demo data (ihos seed-demo)
};

// hc_status
struct StatusRow {
  std::string colour;
  std::string reasons;  // the reasons as stored (JSON text)
  std::optional<std::string> changes_on;
  std::int64_t computed_at = 0;
  std::int64_t rule_version = 0;
  std::optional<std::int64_t> next_check_at;
};

// hc_status_history
struct HistoryRow {
  std::int64_t id = 0;
  std::string colour;
  std::optional<std::string> previous_colour;
  std::string reasons;  // JSON text
  std::string cause;
  std::int64_t rule_version = 0;
  std::int64_t at = 0;
};

// hc_appeals joined with the person's name and ID number.
struct AppealRow {
  std::int64_t id = 0, user_id = 0;
  std::string colour, text, status;
  std::optional<std::string> resolution;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::string real_name, id_number;
};

// hc_risk_areas
struct RiskAreaRow {
  std::int64_t id = 0;
  std::string region_code, level, start_date;
  std::optional<std::string> end_date;
  std::string note;
  bool demo = false;
};

// hc_venues
struct VenueRow {
  std::int64_t id = 0;
  std::string name, kind, region_code, address, code;
  bool demo = false;
};

// hc_checkins joined with the venue's name.
struct CheckInRow {
  std::int64_t id = 0, venue_id = 0;
  std::string venue_name;
  std::int64_t at = 0;
  std::string source;
};

// hc_scans
struct ScanRow {
  std::int64_t id = 0;
  std::string gate;
  std::optional<std::int64_t> venue_id;
  std::int64_t at = 0;
  std::string result;
  std::optional<std::string> colour;
};

struct NewScan {
  std::optional<std::int64_t> venue_id;
  std::string gate;
  std::int64_t scanned_by = 0, at = 0;
  std::string result;
  std::optional<std::string> colour;
  std::optional<std::int64_t> user_id;
};

// users: what the health code shows of a person.
struct Identity {
  std::string real_name, id_number, birth_date;
};

// An exposure-search hit: a person checked in near a case's visit.
struct ContactHit {
  std::int64_t user_id = 0;
  std::int64_t first_at = 0;
  std::string venue_name;
};

// What "show my code" reads about a person (status, identity, latest test, revocation).
struct CodeSnap {
  std::optional<StatusRow> status;
  Identity who;
  std::optional<std::pair<std::string, std::int64_t>> test;  // result, sampled_at
  bool has_rid = false;
  std::int64_t not_before = 0;  // the latest revocation: a new card starts at or after it
};

// ---------------------------------------------------------------- results

// A signed card as the person's page shows it. `serialized` is the card's JSON, made once per
// card by json.cpp (a card served again is the same bytes).
struct Card {
  std::string jws, qr_text, qr_svg, kid;
  std::int64_t issued_at = 0, expires_at = 0;  // ms
  mutable std::once_flag serialized_once;
  mutable std::string serialized;
};

struct MyCode {
  StatusRow status;
  std::string name_masked, id_number_masked;
  std::optional<std::pair<std::string, std::int64_t>> latest_test;
  std::shared_ptr<const Card> card;
};

struct MyHistory {
  std::vector<HistoryRow> history;
  std::vector<FactRecord> facts;
};

// A fact added (or withdrawn) and the person's colour after it.
struct FactOutcome {
  std::int64_t fact_id = 0;
  Colour colour = Colour::green;
  std::optional<std::vector<Reason>> reasons;  // set by a declaration
  std::optional<std::string> value;            // set by a fever report: fever | normal
};

struct MaskedPerson {
  std::int64_t user_id = 0;
  std::string name_masked, id_number_masked;
};

struct ExposureOutcome {
  std::int64_t fact_id = 0;
  Colour colour = Colour::green;
  std::vector<MaskedPerson> contacts;
};

struct ImportOutcome {
  std::size_t imported = 0, people = 0;
};

struct PersonView {
  std::int64_t user_id = 0;
  std::string real_name, id_number_masked, birth_date;
  Evaluation evaluation;
  std::vector<FactRecord> facts;
};

struct NewAppeal {
  std::int64_t id = 0;
  std::string colour, text;
};

struct AppealOutcome {
  std::int64_t id = 0;
  std::string status;
  Colour colour = Colour::green;
};

struct SavedRules {
  std::int64_t version = 0;
  int recomputed = 0;
};

struct RiskAreaChange {
  std::int64_t id = 0;
  std::string region_name;              // set by AddRiskArea
  std::optional<std::string> end_date;  // set by EndRiskArea
  int recomputed = 0;
};

struct RiskAreas {
  std::vector<RiskAreaRow> items;
  std::string today;
};

struct CheckedIn {
  std::int64_t id = 0;
  VenueRow venue;
  std::int64_t at = 0;
};

// What a gate learns from a scanned card (see gate.hpp for the result values).
struct Verification {
  std::string result = "malformed";
  std::optional<std::string> colour;
  std::optional<std::string> name_masked, id_number_masked, birth_date;
  std::optional<std::int64_t> issued_at, expires_at;  // ms
  std::optional<std::string> latest_test;             // negative | positive
  std::int64_t scan_id = 0;
  bool checked_in = false;
};

struct Crl {
  std::string kid;
  std::int64_t ctr = 0;
  std::vector<std::string> rids;  // "rid.<unix seconds>"
};

}  // namespace ihos::domain::healthcode
