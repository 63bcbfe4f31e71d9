#include "domain/audit/audit.hpp"

#include <boost/json.hpp>
#include <limits>

#include "core/crypto.hpp"
#include "domain/audit/repository.hpp"

namespace ihos::domain::audit {
namespace {

boost::json::value OptInt(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

}  // namespace

std::string CanonicalText(const Entry& e) {
  boost::json::array a{e.at,          OptInt(e.actor_id), e.actor_role, e.action, OptInt(e.patient_id), e.resource_type,
                       e.resource_id, e.reason,           e.request_id};
  return boost::json::serialize(a);
}

std::string ChainHash(const std::string& prev_hash, const Entry& e) {
  return crypto::Blake2bHex(prev_hash + "\n" + CanonicalText(e));
}

Status Append(store::Tx& tx, const Entry& e) {
  if (auto st = tx.LockChain("audit_log"); !st) return st;
  auto last = repo::LastHash(tx);
  if (!last) return last.error();
  const std::string prev = last->value_or(std::string(kGenesisHash));
  return repo::Insert(tx, e, prev, ChainHash(prev, e));
}

Result<VerifyReport> Verify(store::Database& db, std::int64_t at_id) {
  VerifyReport report;
  std::string prev = kGenesisHash;
  std::int64_t after = 0;
  for (;;) {
    auto page = db.With<std::vector<repo::ChainRow>>(store::TxMode::read,
                                                     [&](store::Tx& tx) { return repo::RowsAfter(tx, after, 1000); });
    if (!page) return page.error();
    if (page->empty()) return report;
    for (const auto& r : *page) {
      ++report.rows_checked;
      if (r.prev_hash != prev) {
        report.first_broken_id = r.id;
        report.problem = "prev_hash does not match the previous row's hash (a row was removed, inserted or reordered)";
        return report;
      }
      if (ChainHash(prev, r.entry) != r.hash) {
        report.first_broken_id = r.id;
        report.problem = "the row's content does not match its hash (the row was changed)";
        return report;
      }
      prev = r.hash;
      after = r.id;
      report.head_id = r.id;
      report.head_hash = r.hash;
      if (r.id == at_id) report.hash_at = r.hash;
    }
  }
}

Result<std::vector<AccessItem>> ListForPatient(store::Tx& tx, std::int64_t patient_id, int limit,
                                               std::int64_t before_id) {
  return repo::ForPatient(tx, patient_id, limit, before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max());
}

}  // namespace ihos::domain::audit
