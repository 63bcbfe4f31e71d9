#pragma once
// Health code, facts part: what a person declares, lab results (one by one, from a test booking,
// or a CSV file), on-site fever, vaccinations, exposure flags with the contact search, and
// withdrawals. Every change recomputes the person's colour in the same transaction (status.hpp).
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Errors: those
// named per method, and the store's (unavailable, internal).
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/healthcode/model.hpp"
#include "domain/healthcode/status.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

class FactsService {
 public:
  FactsService(store::Database& db, const Clock& clock, const Config& config, StatusService& status);

  // kind: symptom (value fever|cough|...) or travel (region_code, date). Returns the fact, colour
  // and reasons. Errors: validation_failed.
  Result<FactOutcome> Declare(const Principal& me, const std::string& kind, const std::string& value,
                              const std::string& region_code, const std::string& date);
  // Errors: not_found "person_not_found", conflict "sample_exists", validation_failed.
  Result<FactOutcome> AddTestResult(const Principal& lab, const TestResultInput& in, const RequestMeta& meta);
  // The same, inside the caller's write transaction for a person already known by id (the test
  // booking's sample result): the one path a lab result takes into the health code — the
  // nat_test fact, its audit entry and the recomputed colour. The caller opens a RecomputedScope
  // in its body and calls StatusService::Invalidate after its transaction. Errors: conflict "sample_exists",
  // validation_failed.
  Result<FactOutcome> AddTestResultTx(store::Tx& tx, const Principal& lab, std::int64_t user_id,
                                      const TestResultInput& in, const RequestMeta& meta);
  // CSV with header id_number,sample_id,result,sampled_at (ISO date-time or Unix ms). All rows or
  // none: errors come back per line with nothing written. Errors: validation_failed "csv".
  Result<ImportOutcome> ImportTestResults(const Principal& lab, const std::string& csv, const RequestMeta& meta);
  // An on-site temperature by gate staff: >= 37.3 °C is a `fever_onsite` fever fact (rules turn it
  // yellow by default), lower is kept as `normal`. Audited. Errors: validation_failed, person_not_found.
  Result<FactOutcome> ReportFever(const Principal& staff, const std::string& id_number, double celsius,
                                  const std::string& gate, const RequestMeta& meta);
  Result<FactOutcome> AddVaccination(const Principal& actor, const std::string& id_number, int dose,
                                     const std::string& vaccine, const std::string& date, const RequestMeta& meta);
  // value: confirmed | suspected | close_contact | secondary_contact. A confirmed case starts the
  // exposure search; the answer lists the contacts flagged. Errors: validation_failed,
  // not_found "person_not_found".
  Result<ExposureOutcome> SetExposure(const Principal& auth, const std::string& id_number, const std::string& value,
                                      const std::string& detail, const RequestMeta& meta);
  // Errors: validation_failed (reason), not_found "fact_not_found".
  Result<FactOutcome> WithdrawFact(const Principal& auth, std::int64_t fact_id, const std::string& reason,
                                   const RequestMeta& meta);

 private:
  Result<std::int64_t> Insert(store::Tx& tx, NewFact f);
  Result<std::vector<std::int64_t>> FlagContacts(store::Tx& tx, std::int64_t case_id, std::int64_t case_fact_id);

  store::Database& db_;
  const Clock& clock_;
  const int exposure_window_minutes_;
  const int exposure_lookback_days_;
  StatusService& status_;
};

// "2026-11-20T08:30" / "2026-11-20 08:30[:ss]" (CST) or Unix ms digits; nullopt when neither.
std::optional<std::int64_t> ParseSampleTime(const std::string& s);

// The lab results CSV of ImportTestResults, read without the database: the rows, the file's
// line number of each (blank lines count), and the field errors ("line N.field"; at most ~50).
struct ParsedTestCsv {
  std::vector<TestResultInput> rows;
  std::vector<int> row_lines;
  std::vector<FieldError> errors;
};
ParsedTestCsv ParseTestResultsCsv(const std::string& csv, std::int64_t now_ms);

}  // namespace ihos::domain::healthcode
