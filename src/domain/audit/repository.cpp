// SQL of the audit log (declared in repository.hpp beside this file).
#include "domain/audit/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::audit::repo {
namespace {}  // namespace

Result<std::optional<std::string>> LastHash(store::Tx& tx) {
  auto rows = tx.Query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>((*rows)[0].Text(0));
}

Status Insert(store::Tx& tx, const Entry& e, const std::string& prev_hash, const std::string& hash) {
  auto ins = tx.Exec(
      "INSERT INTO audit_log (at, actor_id, actor_role, action, patient_id, resource_type, resource_id, "
      "reason, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {e.at, store::OrNull(e.actor_id), e.actor_role, e.action, store::OrNull(e.patient_id), e.resource_type,
       e.resource_id, e.reason, e.request_id, prev_hash, hash});
  if (!ins) return ins.error();
  return {};
}

Result<std::vector<ChainRow>> RowsAfter(store::Tx& tx, std::int64_t after_id, int limit) {
  auto rows = tx.Query(
      "SELECT id, at, actor_id, actor_role, action, patient_id, resource_type, resource_id, reason, "
      "request_id, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
      {after_id, std::int64_t{limit}});
  if (!rows) return rows.error();
  std::vector<ChainRow> out;
  out.reserve(rows->size());
  for (const auto& r : *rows)
    out.push_back(ChainRow{
        r.Int(0),
        Entry{r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.OptInt(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)},
        r.Text(10), r.Text(11)});
  return out;
}

Result<std::vector<AccessItem>> ForPatient(store::Tx& tx, std::int64_t patient_id, int limit, std::int64_t before_id) {
  auto rows = tx.Query(
      "SELECT a.id, a.at, COALESCE(u.real_name, ''), a.actor_role, a.action, a.resource_type, a.resource_id, "
      "a.reason FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
      "WHERE a.patient_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3",
      {patient_id, before_id, static_cast<std::int64_t>(limit)});
  if (!rows) return rows.error();
  std::vector<AccessItem> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
  return out;
}

}  // namespace ihos::domain::audit::repo
