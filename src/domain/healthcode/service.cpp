#include "domain/healthcode/service.hpp"

#include "domain/healthcode/json.hpp"

namespace ihos::domain::healthcode {

HealthCodeService::HealthCodeService(store::Database& db, const Clock& clock, Config config)
    : db_(db),
      clock_(clock),
      issuer_(db, clock, config),
      status_(db, clock, issuer_),
      facts_(db, clock, config, status_),
      authority_(db, clock, status_),
      gate_(db, clock, issuer_) {}

Status HealthCodeService::Init() {
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto k = issuer_.EnsureKey(tx); !k) return k;
    return status_.EnsureRules(tx);
  });
  if (!st) return st;
  return issuer_.LoadKeys();
}

Result<boost::json::object> HealthCodeService::AddTestResultTx(store::Tx& tx, const Principal& lab,
                                                               std::int64_t user_id, const TestResultInput& in,
                                                               const RequestMeta& meta) {
  auto r = facts_.AddTestResultTx(tx, lab, user_id, in, meta);
  if (!r) return r.error();
  return ToJson(*r);
}

}  // namespace ihos::domain::healthcode
