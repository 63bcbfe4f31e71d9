#include "domain/audit/audit.hpp"

#include <boost/json.hpp>
#include <limits>

#include "core/crypto.hpp"

namespace ihos::domain::audit {
namespace {

boost::json::value OptInt(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

store::Value OptParam(const std::optional<std::int64_t>& v) {
  return v ? store::Value(*v) : store::Value(nullptr);
}

}  // namespace

std::string CanonicalText(const Entry& e) {
  boost::json::array a{e.at,         OptInt(e.actor_id), e.actor_role, e.action,    OptInt(e.patient_id),
                       e.resource_type, e.resource_id,   e.reason,     e.request_id};
  return boost::json::serialize(a);
}

std::string ChainHash(const std::string& prev_hash, const Entry& e) {
  return crypto::Blake2bHex(prev_hash + "\n" + CanonicalText(e));
}

Status Append(store::Tx& tx, const Entry& e) {
  if (auto st = tx.LockChain("audit_log"); !st) return st;
  auto last = tx.Query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!last) return last.error();
  const std::string prev = last->empty() ? std::string(kGenesisHash) : (*last)[0].Text(0);
  auto ins = tx.Exec(
      "INSERT INTO audit_log (at, actor_id, actor_role, action, patient_id, resource_type, resource_id, "
      "reason, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {e.at, OptParam(e.actor_id), e.actor_role, e.action, OptParam(e.patient_id), e.resource_type, e.resource_id,
       e.reason, e.request_id, prev, ChainHash(prev, e)});
  if (!ins) return ins.error();
  return {};
}

Result<VerifyReport> Verify(store::Database& db) {
  VerifyReport report;
  std::string prev = kGenesisHash;
  std::int64_t after = 0;
  for (;;) {
    auto page = db.With<store::Rows>(store::TxMode::read, [&](store::Tx& tx) {
      return tx.Query(
          "SELECT id, at, actor_id, actor_role, action, patient_id, resource_type, resource_id, reason, "
          "request_id, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000",
          {after});
    });
    if (!page) return page.error();
    if (page->empty()) return report;
    for (const auto& r : *page) {
      Entry e{r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.OptInt(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
      const std::int64_t id = r.Int(0);
      ++report.rows_checked;
      if (r.Text(10) != prev) {
        report.first_broken_id = id;
        report.problem = "prev_hash does not match the previous row's hash (a row was removed, inserted or reordered)";
        return report;
      }
      if (ChainHash(prev, e) != r.Text(11)) {
        report.first_broken_id = id;
        report.problem = "the row's content does not match its hash (the row was changed)";
        return report;
      }
      prev = r.Text(11);
      after = id;
    }
  }
}

Result<std::vector<AccessItem>> ListForPatient(store::Tx& tx, std::int64_t patient_id, int limit,
                                               std::int64_t before_id) {
  auto rows = tx.Query(
      "SELECT a.id, a.at, COALESCE(u.real_name, ''), a.actor_role, a.action, a.resource_type, a.resource_id, "
      "a.reason FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
      "WHERE a.patient_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3",
      {patient_id, before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max(),
       static_cast<std::int64_t>(limit)});
  if (!rows) return rows.error();
  std::vector<AccessItem> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
  return out;
}

}  // namespace ihos::domain::audit
