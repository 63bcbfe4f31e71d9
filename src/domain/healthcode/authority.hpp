#pragma once
// Health code, authority part: the versioned rule set, risk areas, appeals, and reading a
// person (audited). Every change recomputes the people it concerns in the same transaction.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Errors: those
// named per method, and the store's (unavailable, internal).
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/regions.hpp"
#include "domain/healthcode/model.hpp"
#include "domain/healthcode/status.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

class AuthorityService {
 public:
  AuthorityService(store::Database& db, const Clock& clock, StatusService& status);

  // The person's colour (recomputed), reasons and facts. Audited with the reason. Errors:
  // invalid_argument "reason_required", not_found "person_not_found".
  Result<PersonView> Person(const Principal& auth, const std::string& id_number, const std::string& reason,
                            const RequestMeta& meta);

  // --- rules: the newest 20 versions, newest first.
  Result<std::vector<RuleSetRow>> Rules();
  // Validates and stores a new version; everyone with a status is evaluated under it. Errors:
  // validation_failed (field by field).
  Result<SavedRules> SaveRules(const Principal& auth, const std::string& body, const std::string& note);

  // --- regions and risk areas
  // The divisions under `parent` ("" = provinces), the statistical placeholders replaced by
  // their counties. No database read.
  std::vector<const Region*> Regions(const std::string& parent);
  Result<RiskAreas> ListRiskAreas(bool current_only);
  // Errors: validation_failed (level, dates, region_unknown).
  Result<RiskAreaChange> AddRiskArea(const Principal& auth, const std::string& region_code, const std::string& level,
                                     const std::string& start_date, const std::optional<std::string>& end_date,
                                     const std::string& note);
  // Errors: validation_failed, not_found "risk_area_not_found".
  Result<RiskAreaChange> EndRiskArea(const Principal& auth, std::int64_t id, const std::string& end_date);

  // --- appeals
  // Errors: validation_failed (text too short), conflict "appeal_open" / "appeal_green".
  Result<NewAppeal> Appeal(const Principal& me, const std::string& text);
  Result<std::vector<AppealRow>> MyAppeals(const Principal& me);
  Result<std::vector<AppealRow>> Appeals(const std::string& status);  // "" = any; newest 200
  // decision: upheld (withdraws the facts named) | rejected. Errors: validation_failed,
  // not_found "appeal_not_found", conflict "appeal_resolved".
  Result<AppealOutcome> ResolveAppeal(const Principal& auth, std::int64_t id, const std::string& decision,
                                      const std::string& resolution, const std::vector<std::int64_t>& facts,
                                      const RequestMeta& meta);

 private:
  // Recomputes everyone who travelled to `region_code` (or inside it); returns how many.
  Result<int> RecomputeTravellers(store::Tx& tx, const std::string& region_code, const std::string& cause);

  store::Database& db_;
  const Clock& clock_;
  StatusService& status_;
};

}  // namespace ihos::domain::healthcode
