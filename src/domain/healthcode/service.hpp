#pragma once
// Health code (健康码): facts, risk areas, the versioned rule set, the derived colour with its
// history, appeals, SMART Health Cards (issue, verify, JWKS, CRL, key rotation), venues,
// check-ins, gate scans and exposure search. See README.md beside this file for the rules and who
// may do what.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Views are
// returned as JSON objects (the API layer sends them as they are). Errors: those named per
// method, and the store's (unavailable, internal).
#include <boost/json.hpp>
#include <condition_variable>
#include <map>
#include <unordered_map>
#include <vector>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/healthcode/rules.hpp"
#include "domain/healthcode/shc.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

// The dev default of the key-encryption passphrase; ihosd logs a warning when it is in use.
inline constexpr char kDevKek[] = "ihos-dev-only-health-code-kek";

struct Config {
  int card_minutes = 5;                  // a card's life (exp - nbf)
  std::string kek = kDevKek;             // --healthcode-kek / IHOS_HEALTHCODE_KEK
  std::string issuer;                    // base URL in `iss`; empty = http://<listen address>
  int exposure_window_minutes = 60;      // a contact is within +-window of a case's visit
  int exposure_lookback_days = 14;       // which of the case's visits count
};

struct TestResultInput {
  std::string id_number, sample_id, result;  // result: negative | positive
  std::int64_t sampled_at = 0;
};

class HealthCodeService {
 public:
  HealthCodeService(store::Database& db, const Clock& clock, Config config);

  // Loads the issuer keys, generating and storing the first one (sealed with the KEK) when there
  // is none, and stores the default rule set when there is none. Errors: internal
  // "healthcode_key_sealed" when a stored key does not open with this KEK.
  Status Init();
  void SetIssuer(std::string issuer);
  const std::string& issuer() const { return issuer_; }
  const Clock& clock() const { return clock_; }

  // --- the person
  // Status, reasons and a signed card (JWS, shc:/ text, SVG), as the serialized JSON body (the card
  // part is serialized once per card, not per request). Recomputes when a period ended.
  Result<std::string> MyCode(const Principal& me);
  Result<boost::json::object> MyHistory(const Principal& me);
  // kind: symptom (value fever|cough|...) or travel (region_code, date). Errors: validation_failed.
  Result<boost::json::object> Declare(const Principal& me, const std::string& kind, const std::string& value,
                                      const std::string& region_code, const std::string& date);
  Result<boost::json::object> Appeal(const Principal& me, const std::string& text);
  Result<boost::json::object> MyAppeals(const Principal& me);
  // Errors: not_found "venue_not_found".
  Result<boost::json::object> CheckIn(const Principal& me, const std::string& venue_code);
  Result<boost::json::object> MyCheckIns(const Principal& me);

  // --- lab
  // Errors: not_found "person_not_found", conflict "sample_exists", validation_failed.
  Result<boost::json::object> AddTestResult(const Principal& lab, const TestResultInput& in, const RequestMeta& meta);
  // The same, inside the caller's write transaction for a person already known by id (the test
  // booking's sample result, src/domain/nattest): the one path a lab result takes into the
  // health code — the nat_test fact, its audit entry and the recomputed colour. Returns
  // {fact_id, colour}. Errors: conflict "sample_exists", validation_failed.
  Result<boost::json::object> AddTestResultTx(store::Tx& tx, const Principal& lab, std::int64_t user_id,
                                              const TestResultInput& in, const RequestMeta& meta);
  // After a caller's transaction that used AddTestResultTx ended (committed or not): drops the
  // people it recomputed from this process's status cache, so "my code" shows the new colour at once.
  void FlushInvalidations();
  // CSV with header id_number,sample_id,result,sampled_at (ISO date-time or Unix ms). All rows or
  // none: errors come back per line with nothing written. Errors: validation_failed "csv".
  Result<boost::json::object> ImportTestResults(const Principal& lab, const std::string& csv, const RequestMeta& meta);
  // An on-site temperature by gate staff: >= 37.3 °C is a `fever_onsite` fever fact (rules turn it
  // yellow by default), lower is kept as `normal`. Audited. Errors: validation_failed, person_not_found.
  Result<boost::json::object> ReportFever(const Principal& staff, const std::string& id_number, double celsius,
                                          const std::string& gate, const RequestMeta& meta);
  Result<boost::json::object> AddVaccination(const Principal& actor, const std::string& id_number, int dose,
                                             const std::string& vaccine, const std::string& date,
                                             const RequestMeta& meta);

  // --- health authority
  // value: confirmed | suspected | close_contact | secondary_contact. A confirmed case starts the
  // exposure search; the answer lists the contacts flagged.
  Result<boost::json::object> SetExposure(const Principal& auth, const std::string& id_number,
                                          const std::string& value, const std::string& detail,
                                          const RequestMeta& meta);
  Result<boost::json::object> WithdrawFact(const Principal& auth, std::int64_t fact_id, const std::string& reason,
                                           const RequestMeta& meta);
  Result<boost::json::object> Person(const Principal& auth, const std::string& id_number, const std::string& reason,
                                     const RequestMeta& meta);
  Result<boost::json::object> Rules();
  Result<boost::json::object> SaveRules(const Principal& auth, const std::string& body, const std::string& note);
  Result<boost::json::object> Regions(const std::string& parent);
  Result<boost::json::object> RiskAreas(bool current_only);
  Result<boost::json::object> AddRiskArea(const Principal& auth, const std::string& region_code,
                                          const std::string& level, const std::string& start_date,
                                          const std::optional<std::string>& end_date, const std::string& note);
  Result<boost::json::object> EndRiskArea(const Principal& auth, std::int64_t id, const std::string& end_date);
  Result<boost::json::object> Appeals(const std::string& status);
  // decision: upheld (withdraws the facts named) | rejected.
  Result<boost::json::object> ResolveAppeal(const Principal& auth, std::int64_t id, const std::string& decision,
                                            const std::string& resolution, const std::vector<std::int64_t>& facts,
                                            const RequestMeta& meta);
  Result<boost::json::object> AddVenue(const Principal& auth, const std::string& name, const std::string& kind,
                                       const std::string& region_code, const std::string& address);
  Result<boost::json::object> Venues();
  Result<std::string> VenueQrSvg(std::int64_t venue_id);
  Result<boost::json::object> Scans(int limit);

  // --- gate
  // Verifies a scanned `shc:/` text: signature against the issuer keys, nbf/exp, revocation. Logs
  // the scan (and a check-in at the venue when given). Never an error for a bad card: the result
  // field says why (valid, expired, not_yet_valid, revoked, invalid_signature, unknown_key,
  // wrong_issuer, malformed). Errors: not_found "venue_not_found".
  Result<boost::json::object> Verify(const Principal& gate, const std::string& qr_text, const std::string& gate_name,
                                     std::optional<std::int64_t> venue_id);

  // --- published
  Result<boost::json::object> Jwks();
  // Errors: not_found "key_not_found".
  Result<boost::json::object> Crl(const std::string& kid);
  // Retires the signing key and makes a new one; the old public key stays in the JWKS until
  // the cards it signed expire. Returns the new kid.
  static Result<std::string> RotateKey(store::Database& db, const std::string& kek, std::int64_t now_ms);

  // Card issue without the database (for the benchmark): sign a status for one person.
  std::string SignCardForBench(const std::string& masked_name, const std::string& birth_date, Colour colour,
                               std::int64_t user_id);

 private:
  struct KeySet {
    std::shared_ptr<const shc::SigningKey> signer;
    std::string rid_secret;
    std::map<std::string, std::shared_ptr<const shc::VerifyKey>> verifiers;  // kid ->
    std::map<std::string, std::string> rid_secrets;                          // kid ->
    std::int64_t loaded_at = 0;
  };
  std::shared_ptr<const KeySet> Keys();
  Status LoadKeys();
  Result<RuleSet> CurrentRules(store::Tx& tx);
  // Recomputes one person's colour inside `tx`; keeps history and revokes cards on a worse colour.
  Result<Evaluation> Recompute(store::Tx& tx, std::int64_t user_id, const std::string& cause);
  Result<std::int64_t> PersonId(store::Tx& tx, const std::string& id_number);
  Result<std::int64_t> InsertFact(store::Tx& tx, std::int64_t user_id, const std::string& kind,
                                  const std::string& value, std::int64_t occurred_at,
                                  const std::optional<std::string>& region, const std::string& detail,
                                  const std::string& source, std::optional<std::int64_t> by);
  Result<std::vector<std::int64_t>> FlagContacts(store::Tx& tx, std::int64_t case_id, std::int64_t case_fact_id);
  std::string CardPayload(const std::string& masked_name, const std::string& masked_id, const std::string& birth_date,
                          Colour colour, const std::optional<std::pair<std::string, std::int64_t>>& test,
                          const std::string& rid, std::int64_t now_s) const;

  store::Database& db_;
  const Clock& clock_;
  Config config_;
  shc::Kek kek_;
  std::string issuer_;
  std::mutex mu_;
  std::shared_ptr<const KeySet> keys_;
  std::optional<RuleSet> rules_cache_;
  // "Show my code" serves a person's card again while at least half of its life remains and
  // nothing behind it changed (key, status computation, latest test, revocation): signing and
  // drawing the QR are the costly part. A card served again is the same bytes the person already
  // holds, so no screenshot lives longer; the page refreshes it before it expires.
  struct CachedCard {
    std::string fingerprint;
    std::int64_t issued_s = 0;
    std::shared_ptr<const std::string> card_json;  // serialized once
  };
  std::mutex cards_mu_;
  std::map<std::int64_t, CachedCard> cards_;

  // What "show my code" reads about a person (status, identity, latest test, revocation).
  struct CodeSnap {
    boost::json::object status;
    std::string real_name, id_number, birth_date;
    std::optional<std::pair<std::string, std::int64_t>> test;
    bool need_write = false;
    std::int64_t not_before = 0;     // the latest revocation: a new card starts at or after it
    std::int64_t next_check_at = 0;  // 0 = none: the colour can change only by a new fact
  };
  // The person's snapshot is kept in memory (speed, issue #5) and dropped when this process
  // changes anything behind it: every write transaction that recomputes a person (Recompute)
  // invalidates that person after it ends (Write/WriteTx), bumping status_gen_ so that a read
  // that raced with the change is not stored. Changes made by another process (a second node,
  // a renamed user) are seen after kStatusCacheMs; a period that ends (next_check_at) is
  // recomputed on the next read as before.
  struct CachedSnap {
    std::string kid;
    std::int64_t read_at = 0;
    CodeSnap snap;
  };
  std::mutex status_mu_;
  std::uint64_t status_gen_ = 0;  // under status_mu_
  std::map<std::int64_t, CachedSnap> status_cache_;
  template <class T, class F>
  Result<T> Write(F&& f) {
    auto r = db_.With<T>(store::TxMode::write, std::forward<F>(f));
    FlushInvalidations();
    return r;
  }
  Status WriteTx(const std::function<Status(store::Tx&)>& body) {
    auto st = db_.Transact(store::TxMode::write, body);
    FlushInvalidations();
    return st;
  }

  // Gate scans are written by group commit (speed, issue #5): a verifying thread queues its scan;
  // the first thread to find no flush running writes every queued scan in one transaction
  // (revocation check, venue check, scan row, check-in) and wakes the others. Each caller still
  // gets its answer only after its scan is committed.
  struct ScanJob {
    std::string rid, kid, gate_name, result;
    std::optional<std::string> colour;
    std::optional<std::int64_t> venue_id;
    std::int64_t issued_s = 0, now = 0, gate_user = 0;
    // filled by the flush
    std::optional<std::int64_t> user;
    std::int64_t scan_id = 0;
    bool checked_in = false, done = false;
    std::optional<Error> error;
  };
  void LogScan(ScanJob& job);
  Status WriteScans(const std::vector<ScanJob*>& batch);
  std::mutex scan_mu_;
  std::condition_variable scan_cv_;
  std::vector<ScanJob*> scan_queue_;
  bool scan_flushing_ = false;
  // kid|rid -> user id (hc_rids rows are never changed or deleted).
  std::mutex rid_mu_;
  std::unordered_map<std::string, std::int64_t> rid_users_;
  Status ReadSnap(store::Tx& tx, std::int64_t user_id, const std::string& kid, std::int64_t now, CodeSnap& s);
};

boost::json::array ReasonsJson(const std::vector<Reason>& reasons);

}  // namespace ihos::domain::healthcode
