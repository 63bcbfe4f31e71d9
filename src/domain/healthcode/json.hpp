#pragma once
// The health code's JSON, and only here: the API bodies made from the services' structs, the
// stored JSON texts (reasons, JWK), and the card's payload (SMART Health Card claims) both ways.
// Pure functions; thread-safe.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/regions.hpp"
#include "domain/healthcode/model.hpp"

namespace ihos::domain::healthcode {

boost::json::array ReasonsJson(const std::vector<Reason>& reasons);
// The reasons as stored in hc_status.reasons / hc_status_history.reasons.
std::string ReasonsText(const std::vector<Reason>& reasons);

// The public key's coordinates from a stored JWK; nullopt when it has none.
std::optional<std::pair<std::string, std::string>> JwkXY(const std::string& public_jwk);

// The card's JWS payload (minified JSON): minimal FHIR Patient + Observation, `vc.rid`, nbf/exp.
std::string CardPayload(const std::string& issuer, int card_minutes, const std::string& masked_name,
                        const std::string& masked_id, const std::string& birth_date, Colour colour,
                        const std::optional<std::pair<std::string, std::int64_t>>& test, const std::string& rid,
                        std::int64_t now_s);

// The claims a gate reads from a verified card's payload. Parsing stops at the first claim that is
// missing or of the wrong type; what was read before it stays set.
struct CardClaims {
  bool complete = false;     // every claim read
  bool right_issuer = true;  // false: `iss` is not ours (nothing after it is read)
  std::string rid;
  std::optional<std::string> colour;
  std::optional<std::string> name_masked, id_number_masked, birth_date;
  std::optional<std::int64_t> nbf, exp;  // seconds
  std::optional<std::string> latest_test;
};
// Never throws: untrusted input is read with if_contains/try_as.
CardClaims ParseCardPayload(const std::string& payload_json, const std::string& issuer);

// --- API bodies
const std::string& CardJson(const Card& card);  // serialized once per card
std::string MyCodeBody(const MyCode& c);
boost::json::object ToJson(const MyHistory& h);
boost::json::object ToJson(const FactOutcome& o);
boost::json::object ToJson(const ExposureOutcome& o);
boost::json::object ToJson(const ImportOutcome& o);
boost::json::object ToJson(const PersonView& p);
boost::json::object ToJson(const NewAppeal& a);
boost::json::object ToJson(const AppealOutcome& a);
boost::json::object ToJson(const std::vector<AppealRow>& appeals);
boost::json::object ToJson(const std::vector<RuleSetRow>& versions);
boost::json::object ToJson(const SavedRules& s);
boost::json::object ToJson(const std::vector<const Region*>& regions);
boost::json::object ToJson(const RiskAreas& a);
boost::json::object ToJson(const RiskAreaChange& c);
boost::json::object ToJson(const VenueRow& v);  // a venue just added
boost::json::object ToJson(const std::vector<VenueRow>& venues);
boost::json::object ToJson(const CheckedIn& c);
boost::json::object ToJson(const std::vector<CheckInRow>& checkins);
boost::json::object ToJson(const std::vector<ScanRow>& scans);
boost::json::object ToJson(const Verification& v);
boost::json::object JwksJson(const std::vector<std::string>& public_jwks);
boost::json::object ToJson(const Crl& c);

}  // namespace ihos::domain::healthcode
