#include "domain/healthcode/repository.hpp"

#include <algorithm>

namespace ihos::domain::healthcode::repo {
using store::Row;
using store::Tx;
using store::Value;

namespace {

Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }
Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(nullptr); }
Value Flag(bool b) { return Value(static_cast<std::int64_t>(b ? 1 : 0)); }

Result<std::int64_t> Single(Result<store::Rows> rows) {
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

template <class T, class Map>
Result<std::vector<T>> All(Result<store::Rows> rows, Map map) {
  if (!rows) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(map(r));
  return out;
}

template <class T, class Map>
Result<std::optional<T>> First(Result<store::Rows> rows, Map map) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(map((*rows)[0]));
}

Status Done(Result<std::int64_t> n) {
  if (!n) return n.error();
  return {};
}

// ---- one mapper per table; the column lists beside them are the only positional reads.

constexpr char kKeyCols[] = "kid, public_jwk, private_sealed, rid_secret_sealed, retired_at";
KeyRow KeyOf(const Row& r) { return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.OptInt(4)}; }

constexpr char kRuleSetCols[] = "version, body, note, created_at, demo";
RuleSetRow RuleSetOf(const Row& r) { return {r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4) == 1}; }

constexpr char kFactCols[] =
    "id, kind, value, occurred_at, region_code, detail, source, entered_at, withdrawn_at, withdrawn_reason, demo";
FactRecord FactOf(const Row& r) {
  return {r.Int(0),  r.Text(1), r.Text(2),   r.Int(3),     r.OptText(4),  r.Text(5),
          r.Text(6), r.Int(7),  r.OptInt(8), r.OptText(9), r.Int(10) == 1};
}

constexpr char kStatusCols[] = "colour, reasons, changes_on, computed_at, rule_version, next_check_at";
// `at` = the index of the first status column.
StatusRow StatusOf(const Row& r, std::size_t at = 0) {
  return {r.Text(at), r.Text(at + 1), r.OptText(at + 2), r.Int(at + 3), r.Int(at + 4), r.OptInt(at + 5)};
}

constexpr char kHistoryCols[] = "id, colour, previous_colour, reasons, cause, rule_version, at";
HistoryRow HistoryOf(const Row& r) {
  return {r.Int(0), r.Text(1), r.OptText(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6)};
}

constexpr char kAppealSelect[] =
    "SELECT a.id, a.user_id, a.colour, a.text, a.status, a.resolution, a.created_at, a.resolved_at, u.real_name, "
    "u.id_number FROM hc_appeals a JOIN users u ON u.id = a.user_id ";
AppealRow AppealOf(const Row& r) {
  return {r.Int(0),     r.Int(1), r.Text(2),   r.Text(3), r.Text(4),
          r.OptText(5), r.Int(6), r.OptInt(7), r.Text(8), r.Text(9)};
}

constexpr char kRiskAreaCols[] = "id, region_code, level, start_date, end_date, note, demo";
RiskAreaRow RiskAreaOf(const Row& r) {
  return {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.OptText(4), r.Text(5), r.Int(6) == 1};
}

constexpr char kVenueCols[] = "id, name, kind, region_code, address, code, demo";
VenueRow VenueOf(const Row& r) {
  return {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6) == 1};
}

CheckInRow CheckInOf(const Row& r) { return {r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4)}; }

ScanRow ScanOf(const Row& r) { return {r.Int(0), r.Text(1), r.OptInt(2), r.Int(3), r.Text(4), r.OptText(5)}; }

Identity IdentityOf(const Row& r, std::size_t at = 0) { return {r.Text(at), r.Text(at + 1), r.Text(at + 2)}; }

std::string RiskName(std::int64_t rank) { return rank == 3 ? "high" : rank == 2 ? "medium" : rank == 1 ? "low" : ""; }

std::string Cols(const char* cols) { return cols; }

}  // namespace

// ---------------------------------------------------------------- keys

Result<std::int64_t> CountKeys(Tx& tx) { return Single(tx.Query("SELECT COUNT(*) FROM hc_keys")); }

Status InsertKey(Tx& tx, const KeyRow& k, std::int64_t created_at) {
  return Done(
      tx.Exec("INSERT INTO hc_keys (kid, public_jwk, private_sealed, rid_secret_sealed, created_at) VALUES ($1, $2, "
              "$3, $4, $5) "
              "ON CONFLICT (kid) DO NOTHING",
              {k.kid, k.public_jwk, k.private_sealed, k.rid_secret_sealed, created_at}));
}

Result<std::vector<KeyRow>> LiveKeys(Tx& tx, std::int64_t retired_after) {
  return All<KeyRow>(tx.Query("SELECT " + Cols(kKeyCols) +
                                  " FROM hc_keys WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at",
                              {retired_after}),
                     KeyOf);
}

Result<std::vector<KeyRow>> SigningKeys(Tx& tx) {
  return All<KeyRow>(tx.Query("SELECT " + Cols(kKeyCols) + " FROM hc_keys WHERE retired_at IS NULL"), KeyOf);
}

Status RetireSigningKeys(Tx& tx, std::int64_t at) {
  return Done(tx.Exec("UPDATE hc_keys SET retired_at = $1 WHERE retired_at IS NULL", {at}));
}

// ---------------------------------------------------------------- rule sets

Result<std::int64_t> CountRuleSets(Tx& tx) { return Single(tx.Query("SELECT COUNT(*) FROM hc_rule_sets")); }

Result<std::int64_t> InsertRuleSet(Tx& tx, const std::string& body, const std::string& note,
                                   std::optional<std::int64_t> created_by, std::int64_t at) {
  return Single(tx.Query(
      "INSERT INTO hc_rule_sets (body, note, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING version",
      {body, note, Opt(created_by), at}));
}

Result<std::optional<RuleSetRow>> CurrentRuleSet(Tx& tx) {
  return First<RuleSetRow>(
      tx.Query("SELECT " + Cols(kRuleSetCols) + " FROM hc_rule_sets ORDER BY version DESC LIMIT 1"), RuleSetOf);
}

Result<std::vector<RuleSetRow>> RuleSets(Tx& tx, int limit) {
  return All<RuleSetRow>(tx.Query("SELECT " + Cols(kRuleSetCols) + " FROM hc_rule_sets ORDER BY version DESC LIMIT $1",
                                  {static_cast<std::int64_t>(limit)}),
                         RuleSetOf);
}

// ---------------------------------------------------------------- people

Result<std::optional<std::int64_t>> PersonByIdNumber(Tx& tx, const std::string& id_number) {
  std::string id = id_number;
  std::transform(id.begin(), id.end(), id.begin(), [](char c) { return c == 'x' ? 'X' : c; });
  return First<std::int64_t>(tx.Query("SELECT id FROM users WHERE id_number = $1", {id}),
                             [](const Row& r) { return r.Int(0); });
}

Result<std::optional<std::int64_t>> PersonByPhone(Tx& tx, const std::string& phone) {
  return First<std::int64_t>(tx.Query("SELECT id FROM users WHERE phone = $1", {phone}),
                             [](const Row& r) { return r.Int(0); });
}

Result<std::optional<Identity>> FindIdentity(Tx& tx, std::int64_t user_id) {
  return First<Identity>(tx.Query("SELECT real_name, id_number, birth_date FROM users WHERE id = $1", {user_id}),
                         [](const Row& r) { return IdentityOf(r); });
}

// ---------------------------------------------------------------- facts

Result<std::int64_t> InsertFact(Tx& tx, const NewFact& f) {
  return Single(tx.Query(
      "INSERT INTO hc_facts (user_id, kind, value, occurred_at, region_code, detail, source, entered_by, entered_at, "
      "demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {f.user_id, f.kind, f.value, f.occurred_at, Opt(f.region_code), f.detail, f.source, Opt(f.entered_by),
       f.entered_at, Flag(f.demo)}));
}

Result<std::vector<Fact>> FactsForRules(Tx& tx, std::int64_t user_id) {
  // A travel fact's risk: the highest current risk area that covers its region
  // (core/regions::Covers, spelled in SQL: the fact's own code, its city's, its province's).
  return All<Fact>(
      tx.Query("SELECT f.id, f.kind, f.value, f.occurred_at, COALESCE(f.region_code, ''), f.detail, "
               "(SELECT MAX(CASE a.level WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) FROM hc_risk_areas a "
               " WHERE f.kind = 'travel' AND a.region_code IN (f.region_code, SUBSTR(f.region_code, 1, 4) || '00', "
               " SUBSTR(f.region_code, 1, 2) || '0000') AND a.start_date <= f.detail "
               " AND (a.end_date IS NULL OR a.end_date >= f.detail)) "
               "FROM hc_facts f WHERE f.user_id = $1 AND f.withdrawn_at IS NULL ORDER BY f.occurred_at",
               {user_id}),
      [](const Row& r) {
        return Fact{r.Int(0), r.Text(1), r.Text(2), r.Int(3), RiskName(r.Int(6)), r.Text(4), r.Text(5)};
      });
}

Result<std::vector<FactRecord>> FactsOf(Tx& tx, std::int64_t user_id, int limit) {
  return All<FactRecord>(
      tx.Query("SELECT " + Cols(kFactCols) + " FROM hc_facts WHERE user_id = $1 ORDER BY occurred_at DESC LIMIT $2",
               {user_id, static_cast<std::int64_t>(limit)}),
      FactOf);
}

Result<bool> SampleExists(Tx& tx, const std::string& sample_id) {
  auto rows = tx.Query("SELECT id FROM hc_facts WHERE kind = 'nat_test' AND detail = $1", {sample_id});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::optional<std::pair<std::string, std::int64_t>>> LatestTest(Tx& tx, std::int64_t user_id) {
  return First<std::pair<std::string, std::int64_t>>(
      tx.Query(
          "SELECT value, occurred_at FROM hc_facts WHERE user_id = $1 AND kind = 'nat_test' AND withdrawn_at IS NULL "
          "ORDER BY occurred_at DESC LIMIT 1",
          {user_id}),
      [](const Row& r) { return std::make_pair(r.Text(0), r.Int(1)); });
}

Result<std::optional<std::pair<std::int64_t, std::string>>> OpenFact(Tx& tx, std::int64_t fact_id) {
  return First<std::pair<std::int64_t, std::string>>(
      tx.Query("SELECT user_id, kind FROM hc_facts WHERE id = $1 AND withdrawn_at IS NULL", {fact_id}),
      [](const Row& r) { return std::make_pair(r.Int(0), r.Text(1)); });
}

Result<bool> WithdrawFact(Tx& tx, std::int64_t fact_id, std::optional<std::int64_t> user_id, const std::string& reason,
                          std::int64_t at) {
  auto n = user_id ? tx.Exec(
                         "UPDATE hc_facts SET withdrawn_at = $1, withdrawn_reason = $2 "
                         "WHERE id = $3 AND user_id = $4 AND withdrawn_at IS NULL",
                         {at, reason, fact_id, *user_id})
                   : tx.Exec("UPDATE hc_facts SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3",
                             {at, reason, fact_id});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::vector<std::int64_t>> TravellersTo(Tx& tx, const std::string& region_prefix) {
  return All<std::int64_t>(
      tx.Query("SELECT DISTINCT user_id FROM hc_facts WHERE kind = 'travel' AND withdrawn_at IS NULL "
               "AND SUBSTR(region_code, 1, CAST($2 AS INTEGER)) = $1",
               {region_prefix, static_cast<std::int64_t>(region_prefix.size())}),
      [](const Row& r) { return r.Int(0); });
}

Result<std::vector<ContactHit>> Contacts(Tx& tx, std::int64_t case_id, std::int64_t window_ms, std::int64_t since) {
  // Uses hc_checkins_user_at for the case's visits and hc_checkins_venue_at for everyone else.
  return All<ContactHit>(
      tx.Query("SELECT o.user_id, MIN(o.at), MIN(v.name) FROM hc_checkins c "
               "JOIN hc_checkins o ON o.venue_id = c.venue_id AND o.at >= c.at - $2 AND o.at <= c.at + $2 "
               "JOIN hc_venues v ON v.id = c.venue_id "
               "WHERE c.user_id = $1 AND c.at >= $3 AND o.user_id <> $1 GROUP BY o.user_id",
               {case_id, window_ms, since}),
      [](const Row& r) {
        return ContactHit{r.Int(0), r.Int(1), r.Text(2)};
      });
}

// ---------------------------------------------------------------- status

Result<std::optional<StatusRow>> FindStatus(Tx& tx, std::int64_t user_id) {
  return First<StatusRow>(tx.Query("SELECT " + Cols(kStatusCols) + " FROM hc_status WHERE user_id = $1", {user_id}),
                          [](const Row& r) { return StatusOf(r); });
}

Status UpsertStatus(Tx& tx, std::int64_t user_id, const StatusRow& s) {
  return Done(
      tx.Exec("INSERT INTO hc_status (user_id, colour, reasons, changes_on, next_check_at, rule_version, computed_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET colour = excluded.colour, "
              "reasons = excluded.reasons, changes_on = excluded.changes_on, next_check_at = excluded.next_check_at, "
              "rule_version = excluded.rule_version, computed_at = excluded.computed_at",
              {user_id, s.colour, s.reasons, Opt(s.changes_on), Opt(s.next_check_at), s.rule_version, s.computed_at}));
}

Result<std::vector<std::int64_t>> PeopleWithStatus(Tx& tx) {
  return All<std::int64_t>(tx.Query("SELECT user_id FROM hc_status"), [](const Row& r) { return r.Int(0); });
}

Status InsertHistory(Tx& tx, std::int64_t user_id, const HistoryRow& h) {
  return Done(
      tx.Exec("INSERT INTO hc_status_history (user_id, colour, previous_colour, reasons, cause, rule_version, at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {user_id, h.colour, Opt(h.previous_colour), h.reasons, h.cause, h.rule_version, h.at}));
}

Result<std::vector<HistoryRow>> History(Tx& tx, std::int64_t user_id, int limit) {
  return All<HistoryRow>(
      tx.Query("SELECT " + Cols(kHistoryCols) + " FROM hc_status_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
               {user_id, static_cast<std::int64_t>(limit)}),
      HistoryOf);
}

Status InsertRevocation(Tx& tx, std::int64_t user_id, std::int64_t revoked_before, const std::string& reason,
                        std::int64_t at) {
  return Done(tx.Exec("INSERT INTO hc_revocations (user_id, revoked_before, reason, at) VALUES ($1, $2, $3, $4)",
                      {user_id, revoked_before, reason, at}));
}

Result<std::optional<std::int64_t>> RevokedBefore(Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query("SELECT MAX(revoked_before) FROM hc_revocations WHERE user_id = $1", {user_id});
  if (!rows) return rows.error();
  return (*rows)[0].OptInt(0);
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> RevokedSince(Tx& tx, std::int64_t since) {
  return All<std::pair<std::int64_t, std::int64_t>>(
      tx.Query(
          "SELECT user_id, MAX(revoked_before) FROM hc_revocations WHERE at > $1 GROUP BY user_id ORDER BY user_id",
          {since}),
      [](const Row& r) { return std::make_pair(r.Int(0), r.Int(1)); });
}

Result<std::int64_t> MaxRevocationId(Tx& tx) {
  return Single(tx.Query("SELECT COALESCE(MAX(id), 0) FROM hc_revocations"));
}

Status InsertRid(Tx& tx, const std::string& kid, std::int64_t user_id, const std::string& rid) {
  return Done(tx.Exec("INSERT INTO hc_rids (kid, user_id, rid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                      {kid, user_id, rid}));
}

Result<std::optional<std::int64_t>> RidUser(Tx& tx, const std::string& kid, const std::string& rid) {
  return First<std::int64_t>(tx.Query("SELECT user_id FROM hc_rids WHERE rid = $1 AND kid = $2", {rid, kid}),
                             [](const Row& r) { return r.Int(0); });
}

Result<CodeSnap> ReadSnap(Tx& tx, std::int64_t user_id, const std::string& kid) {
  // Status columns 0-5, identity 6-8, the rid 9, the latest revocation 10.
  auto rows = tx.Query(
      "SELECT s.colour, s.reasons, s.changes_on, s.computed_at, s.rule_version, s.next_check_at, u.real_name, "
      "u.id_number, u.birth_date, (SELECT r.rid FROM hc_rids r WHERE r.kid = $2 AND r.user_id = u.id), "
      "(SELECT MAX(v.revoked_before) FROM hc_revocations v WHERE v.user_id = u.id) "
      "FROM users u LEFT JOIN hc_status s ON s.user_id = u.id WHERE u.id = $1",
      {user_id, kid});
  if (!rows) return rows.error();
  if (rows->empty()) return MakeError(Errc::not_found, "person_not_found");
  const Row& r = (*rows)[0];
  CodeSnap s;
  if (!r.IsNull(0)) s.status = StatusOf(r, 0);
  s.who = IdentityOf(r, 6);
  s.has_rid = !r.IsNull(9);
  s.not_before = r.Int(10);
  auto t = LatestTest(tx, user_id);
  if (!t) return t.error();
  s.test = *t;
  return s;
}

// ---------------------------------------------------------------- appeals

Result<std::int64_t> CountOpenAppeals(Tx& tx, std::int64_t user_id) {
  return Single(tx.Query("SELECT COUNT(*) FROM hc_appeals WHERE user_id = $1 AND status = 'open'", {user_id}));
}

Result<std::int64_t> InsertAppeal(Tx& tx, std::int64_t user_id, const std::string& colour, const std::string& text,
                                  std::int64_t at) {
  return Single(
      tx.Query("INSERT INTO hc_appeals (user_id, colour, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
               {user_id, colour, text, at}));
}

Result<std::optional<AppealRow>> FindAppeal(Tx& tx, std::int64_t id) {
  return First<AppealRow>(tx.Query(std::string(kAppealSelect) + "WHERE a.id = $1", {id}), AppealOf);
}

Result<std::vector<AppealRow>> AppealsOf(Tx& tx, std::int64_t user_id) {
  return All<AppealRow>(tx.Query(std::string(kAppealSelect) + "WHERE a.user_id = $1 ORDER BY a.id DESC", {user_id}),
                        AppealOf);
}

Result<std::vector<AppealRow>> Appeals(Tx& tx, const std::string& status, int limit) {
  return All<AppealRow>(
      status.empty()
          ? tx.Query(std::string(kAppealSelect) + "ORDER BY a.id DESC LIMIT $1", {static_cast<std::int64_t>(limit)})
          : tx.Query(std::string(kAppealSelect) + "WHERE a.status = $1 ORDER BY a.id DESC LIMIT $2",
                     {status, static_cast<std::int64_t>(limit)}),
      AppealOf);
}

Status ResolveAppeal(Tx& tx, std::int64_t id, const std::string& status, const std::string& resolution, std::int64_t by,
                     std::int64_t at) {
  return Done(
      tx.Exec("UPDATE hc_appeals SET status = $1, resolution = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5",
              {status, resolution, by, at, id}));
}

// ---------------------------------------------------------------- risk areas

Result<std::int64_t> InsertRiskArea(Tx& tx, const RiskAreaRow& a, std::optional<std::int64_t> set_by, std::int64_t at) {
  return Single(
      tx.Query("INSERT INTO hc_risk_areas (region_code, level, start_date, end_date, note, set_by, set_at, demo) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
               {a.region_code, a.level, a.start_date, Opt(a.end_date), a.note, Opt(set_by), at, Flag(a.demo)}));
}

Result<std::optional<RiskAreaRow>> FindRiskArea(Tx& tx, std::int64_t id) {
  return First<RiskAreaRow>(tx.Query("SELECT " + Cols(kRiskAreaCols) + " FROM hc_risk_areas WHERE id = $1", {id}),
                            RiskAreaOf);
}

Status SetRiskAreaEnd(Tx& tx, std::int64_t id, const std::string& end_date) {
  return Done(tx.Exec("UPDATE hc_risk_areas SET end_date = $1 WHERE id = $2", {end_date, id}));
}

Result<std::vector<RiskAreaRow>> RiskAreas(Tx& tx, bool current_only, const std::string& today, int limit) {
  return All<RiskAreaRow>(
      tx.Query("SELECT " + Cols(kRiskAreaCols) +
                   " FROM hc_risk_areas WHERE $1 = 0 OR (start_date <= $2 AND (end_date IS NULL OR end_date >= $2)) "
                   "ORDER BY id DESC LIMIT $3",
               {static_cast<std::int64_t>(current_only ? 1 : 0), today, static_cast<std::int64_t>(limit)}),
      RiskAreaOf);
}

// ---------------------------------------------------------------- venues, check-ins, scans

Result<std::int64_t> InsertVenue(Tx& tx, const VenueRow& v, std::optional<std::int64_t> created_by, std::int64_t at) {
  return Single(
      tx.Query("INSERT INTO hc_venues (name, kind, region_code, address, code, created_by, created_at, demo) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
               {v.name, v.kind, v.region_code, v.address, v.code, Opt(created_by), at, Flag(v.demo)}));
}

Result<bool> HasDemoVenues(Tx& tx) {
  auto rows = tx.Query("SELECT COUNT(*) FROM hc_venues WHERE demo = 1");
  if (!rows) return rows.error();
  return (*rows)[0].Int(0) > 0;
}

Result<std::optional<VenueRow>> FindVenue(Tx& tx, std::int64_t id) {
  return First<VenueRow>(tx.Query("SELECT " + Cols(kVenueCols) + " FROM hc_venues WHERE id = $1", {id}), VenueOf);
}

Result<std::optional<VenueRow>> FindVenueByCode(Tx& tx, const std::string& code) {
  return First<VenueRow>(tx.Query("SELECT " + Cols(kVenueCols) + " FROM hc_venues WHERE code = $1", {code}), VenueOf);
}

Result<std::vector<VenueRow>> Venues(Tx& tx, int limit) {
  return All<VenueRow>(tx.Query("SELECT " + Cols(kVenueCols) + " FROM hc_venues ORDER BY id LIMIT $1",
                                {static_cast<std::int64_t>(limit)}),
                       VenueOf);
}

Result<std::int64_t> InsertCheckIn(Tx& tx, std::int64_t user_id, std::int64_t venue_id, std::int64_t at,
                                   const std::string& source) {
  return Single(tx.Query("INSERT INTO hc_checkins (user_id, venue_id, at, source) VALUES ($1, $2, $3, $4) RETURNING id",
                         {user_id, venue_id, at, source}));
}

Result<std::vector<CheckInRow>> CheckInsOf(Tx& tx, std::int64_t user_id, int limit) {
  return All<CheckInRow>(
      tx.Query(
          "SELECT c.id, c.venue_id, v.name, c.at, c.source FROM hc_checkins c JOIN hc_venues v ON v.id = c.venue_id "
          "WHERE c.user_id = $1 ORDER BY c.at DESC LIMIT $2",
          {user_id, static_cast<std::int64_t>(limit)}),
      CheckInOf);
}

Result<std::int64_t> InsertScan(Tx& tx, const NewScan& s) {
  return Single(
      tx.Query("INSERT INTO hc_scans (venue_id, gate, scanned_by, at, result, colour, user_id) VALUES ($1, $2, $3, $4, "
               "$5, $6, $7) "
               "RETURNING id",
               {Opt(s.venue_id), s.gate, s.scanned_by, s.at, s.result, Opt(s.colour), Opt(s.user_id)}));
}

Result<std::vector<ScanRow>> Scans(Tx& tx, int limit) {
  return All<ScanRow>(tx.Query("SELECT id, gate, venue_id, at, result, colour FROM hc_scans ORDER BY id DESC LIMIT $1",
                               {static_cast<std::int64_t>(limit)}),
                      ScanOf);
}

}  // namespace ihos::domain::healthcode::repo
