#pragma once
// Storage of the health code: every SQL statement of the capability, the same on both backends.
// All functions run inside the caller's transaction; errors are those of store::Tx.
#include <optional>
#include <string>
#include <vector>

#include "domain/healthcode/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode::repo {

// --- keys (hc_keys)
Result<std::int64_t> CountKeys(store::Tx& tx);
// Inserts the key; an existing kid is left as it is.
Status InsertKey(store::Tx& tx, const KeyRow& k, std::int64_t created_at);
// Keys not retired, or retired after `retired_after`, oldest first.
Result<std::vector<KeyRow>> LiveKeys(store::Tx& tx, std::int64_t retired_after);
Result<std::vector<KeyRow>> SigningKeys(store::Tx& tx);  // not retired
Status RetireSigningKeys(store::Tx& tx, std::int64_t at);

// --- rule sets (hc_rule_sets)
Result<std::int64_t> CountRuleSets(store::Tx& tx);
Result<std::int64_t> InsertRuleSet(store::Tx& tx, const std::string& body, const std::string& note,
                                   std::optional<std::int64_t> created_by, std::int64_t at);  // -> version
Result<std::optional<RuleSetRow>> CurrentRuleSet(store::Tx& tx);
Result<std::vector<RuleSetRow>> RuleSets(store::Tx& tx, int limit);  // newest first

// --- people (users)
// By ID number, a lower-case x read as X. nullopt when nobody has it.
Result<std::optional<std::int64_t>> PersonByIdNumber(store::Tx& tx, const std::string& id_number);
Result<std::optional<Identity>> FindIdentity(store::Tx& tx, std::int64_t user_id);
// By mobile number (the demo seeder's patient). nullopt when nobody has it.
Result<std::optional<std::int64_t>> PersonByPhone(store::Tx& tx, const std::string& phone);

// --- facts (hc_facts)
Result<std::int64_t> InsertFact(store::Tx& tx, const NewFact& f);
// The person's facts not withdrawn, oldest first, travel facts with the highest risk level in
// force on the arrival date for the county, its city or its province.
Result<std::vector<Fact>> FactsForRules(store::Tx& tx, std::int64_t user_id);
Result<std::vector<FactRecord>> FactsOf(store::Tx& tx, std::int64_t user_id, int limit);  // newest first
Result<bool> SampleExists(store::Tx& tx, const std::string& sample_id);
// The person's latest nat_test not withdrawn: (result, sampled_at).
Result<std::optional<std::pair<std::string, std::int64_t>>> LatestTest(store::Tx& tx, std::int64_t user_id);
// (user_id, kind) of a fact not withdrawn.
Result<std::optional<std::pair<std::int64_t, std::string>>> OpenFact(store::Tx& tx, std::int64_t fact_id);
// Marks a fact of `user_id` (any person when nullopt) withdrawn; false when there was no such
// fact not yet withdrawn.
Result<bool> WithdrawFact(store::Tx& tx, std::int64_t fact_id, std::optional<std::int64_t> user_id,
                          const std::string& reason, std::int64_t at);
// People with a travel fact (not withdrawn) in the region given by its code prefix
// (core/regions::CoveredPrefix of the region).
Result<std::vector<std::int64_t>> TravellersTo(store::Tx& tx, const std::string& region_prefix);
// Everyone else checked in at the case's venues within +-window_ms of its visits since `since`.
Result<std::vector<ContactHit>> Contacts(store::Tx& tx, std::int64_t case_id, std::int64_t window_ms,
                                         std::int64_t since);

// --- status (hc_status, hc_status_history, hc_revocations, hc_rids)
Result<std::optional<StatusRow>> FindStatus(store::Tx& tx, std::int64_t user_id);
Status UpsertStatus(store::Tx& tx, std::int64_t user_id, const StatusRow& s);
Result<std::vector<std::int64_t>> PeopleWithStatus(store::Tx& tx);
Status InsertHistory(store::Tx& tx, std::int64_t user_id, const HistoryRow& h);
Result<std::vector<HistoryRow>> History(store::Tx& tx, std::int64_t user_id, int limit);  // newest first
Status InsertRevocation(store::Tx& tx, std::int64_t user_id, std::int64_t revoked_before, const std::string& reason,
                        std::int64_t at);
Result<std::optional<std::int64_t>> RevokedBefore(store::Tx& tx, std::int64_t user_id);  // the latest
// (user_id, latest revoked_before) of everyone revoked after `since`, by user.
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> RevokedSince(store::Tx& tx, std::int64_t since);
Result<std::int64_t> MaxRevocationId(store::Tx& tx);  // 0 when none
Status InsertRid(store::Tx& tx, const std::string& kid, std::int64_t user_id, const std::string& rid);
Result<std::optional<std::int64_t>> RidUser(store::Tx& tx, const std::string& kid, const std::string& rid);
// Status, identity, the rid under `kid` and the latest revocation in one read; not_found
// "person_not_found" when there is no such user.
Result<CodeSnap> ReadSnap(store::Tx& tx, std::int64_t user_id, const std::string& kid);

// --- appeals (hc_appeals)
Result<std::int64_t> CountOpenAppeals(store::Tx& tx, std::int64_t user_id);
Result<std::int64_t> InsertAppeal(store::Tx& tx, std::int64_t user_id, const std::string& colour,
                                  const std::string& text, std::int64_t at);
Result<std::optional<AppealRow>> FindAppeal(store::Tx& tx, std::int64_t id);
Result<std::vector<AppealRow>> AppealsOf(store::Tx& tx, std::int64_t user_id);                // newest first
Result<std::vector<AppealRow>> Appeals(store::Tx& tx, const std::string& status, int limit);  // "" = any
Status ResolveAppeal(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& resolution,
                     std::int64_t by, std::int64_t at);

// --- risk areas (hc_risk_areas)
// set_by: nullopt for seeded rows (the demo area).
Result<std::int64_t> InsertRiskArea(store::Tx& tx, const RiskAreaRow& a, std::optional<std::int64_t> set_by,
                                    std::int64_t at);
Result<std::optional<RiskAreaRow>> FindRiskArea(store::Tx& tx, std::int64_t id);
Status SetRiskAreaEnd(store::Tx& tx, std::int64_t id, const std::string& end_date);
// Newest first; in force on `today` only when current_only.
Result<std::vector<RiskAreaRow>> RiskAreas(store::Tx& tx, bool current_only, const std::string& today, int limit);

// --- venues, check-ins, scans (hc_venues, hc_checkins, hc_scans)
// created_by: nullopt for seeded rows (the demo venues).
Result<std::int64_t> InsertVenue(store::Tx& tx, const VenueRow& v, std::optional<std::int64_t> created_by,
                                 std::int64_t at);
// Whether any demo venue exists (the demo seeder runs once).
Result<bool> HasDemoVenues(store::Tx& tx);
Result<std::optional<VenueRow>> FindVenue(store::Tx& tx, std::int64_t id);
Result<std::optional<VenueRow>> FindVenueByCode(store::Tx& tx, const std::string& code);
Result<std::vector<VenueRow>> Venues(store::Tx& tx, int limit);  // by id
Result<std::int64_t> InsertCheckIn(store::Tx& tx, std::int64_t user_id, std::int64_t venue_id, std::int64_t at,
                                   const std::string& source);
Result<std::vector<CheckInRow>> CheckInsOf(store::Tx& tx, std::int64_t user_id, int limit);  // newest first
Result<std::int64_t> InsertScan(store::Tx& tx, const NewScan& s);
Result<std::vector<ScanRow>> Scans(store::Tx& tx, int limit);  // newest first

}  // namespace ihos::domain::healthcode::repo
