// Billing's SQL for the append-only ledger and the daily reconciliation (declared in
// repository.hpp beside this file).
#include "domain/billing/repository.hpp"
#include "domain/billing/repository_internal.hpp"
#include "store/value.hpp"

namespace ihos::domain::billing::repo {
using internal::All;

// --- ledger ---
Result<std::int64_t> AppendLedger(store::Tx& tx, const std::string& kind, std::optional<std::int64_t> order_id,
                                  const std::string& ref, std::int64_t at, const std::vector<LedgerEntry>& entries) {
  auto rows =
      tx.Query("INSERT INTO ledger_transactions (kind, order_id, ref, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
               {kind, store::OrNull(order_id), ref, at});
  if (!rows) return rows.error();
  const std::int64_t id = rows->front().Int(0);
  for (const auto& e : entries) {
    auto n = tx.Exec("INSERT INTO ledger_entries (txn_id, account, amount_fen) VALUES ($1, $2, $3)",
                     {id, e.account, e.amount_fen});
    if (!n) return n.error();
  }
  return id;
}
Result<std::int64_t> AccountBalance(store::Tx& tx, const std::string& account) {
  auto rows = tx.Query("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE account = $1", {account});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<bool> AccountUsed(store::Tx& tx, const std::string& account) {
  auto rows = tx.Query("SELECT 1 FROM ledger_entries WHERE account = $1 LIMIT 1", {account});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<LedgerCheck> CheckLedger(store::Tx& tx) {
  LedgerCheck c;
  auto n = tx.Query("SELECT COUNT(*) FROM ledger_transactions");
  if (!n) return n.error();
  c.transactions = n->front().Int(0);
  auto bad = tx.Query(
      "SELECT COUNT(*) FROM ledger_transactions t WHERE (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e "
      "WHERE e.txn_id = t.id) <> 0 OR (SELECT COUNT(*) FROM ledger_entries e WHERE e.txn_id = t.id) < 2");
  if (!bad) return bad.error();
  c.unbalanced = bad->front().Int(0);
  auto bal = All<Balance>(tx, "SELECT account, SUM(amount_fen) FROM ledger_entries GROUP BY account ORDER BY account",
                          {}, [](const store::Row& r) {
                            return Balance{r.Text(0), r.Int(1)};
                          });
  if (!bal) return bal.error();
  c.balances = std::move(*bal);
  return c;
}
Result<std::int64_t> AccountMovement(store::Tx& tx, const std::string& account, std::int64_t from, std::int64_t to) {
  auto rows = tx.Query(
      "SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE e.account = $1 AND t.created_at >= $2 AND t.created_at < $3",
      {account, from, to});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
namespace {
// One statement row: order, receipt number (settlements), refund id (refunds), time, amounts.
constexpr char kRowCols[] = "order_id, receipt_number, refund_id, at, total_fen, fund_fen, personal_fen, cash_fen";
Reconciliation::Row RowFrom(const store::Row& r) {
  Reconciliation::Row x;
  x.order_id = r.Int(0);
  x.receipt_number = r.Text(1);
  x.refund_id = r.Int(2);
  x.at = r.Int(3);
  x.total_fen = r.Int(4);
  x.fund_fen = r.Int(5);
  x.personal_fen = r.Int(6);
  x.cash_fen = r.Int(7);
  return x;
}
// The rows of `select` (the columns of kRowCols, parameters region, from, to) in `order_by` order.
Result<std::vector<Reconciliation::Row>> StatementRows(store::Tx& tx, const char* select, const char* order_by,
                                                       const std::string& region, std::int64_t from, std::int64_t to) {
  return All<Reconciliation::Row>(tx,
                                  std::string("SELECT ") + kRowCols + " FROM (" + select + ") x ORDER BY " + order_by,
                                  {region, from, to}, RowFrom);
}
}  // namespace

Result<std::vector<Reconciliation::Row>> SettlementsIn(store::Tx& tx, const std::string& region, std::int64_t from,
                                                       std::int64_t to) {
  return StatementRows(
      tx,
      "SELECT s.order_id, COALESCE(rc.number, '') AS receipt_number, 0 AS refund_id, s.settled_at AS at, "
      "s.fund_fen + s.personal_fen + s.cash_fen AS total_fen, s.fund_fen, s.personal_fen, s.cash_fen "
      "FROM billing_settlements s LEFT JOIN billing_receipts rc ON rc.order_id = s.order_id "
      "WHERE s.region_code = $1 AND s.settled_at >= $2 AND s.settled_at < $3",
      "at, order_id", region, from, to);
}
Result<std::vector<Reconciliation::Row>> RefundsIn(store::Tx& tx, const std::string& region, std::int64_t from,
                                                   std::int64_t to) {
  return StatementRows(tx,
                       "SELECT r.order_id, '' AS receipt_number, r.id AS refund_id, r.created_at AS at, "
                       "r.amount_fen AS total_fen, r.fund_fen, r.personal_fen, r.cash_fen FROM billing_refunds r "
                       "JOIN billing_settlements s ON s.order_id = r.order_id "
                       "WHERE s.region_code = $1 AND r.created_at >= $2 AND r.created_at < $3",
                       "at, refund_id", region, from, to);
}
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> LedgerFundByOrder(store::Tx& tx, const std::string& region,
                                                                             std::int64_t from, std::int64_t to) {
  return All<std::pair<std::int64_t, std::int64_t>>(
      tx,
      "SELECT t.order_id, SUM(e.amount_fen) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE e.account = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.order_id IS NOT NULL "
      "GROUP BY t.order_id ORDER BY t.order_id",
      {"fund:" + region, from, to}, [](const store::Row& r) {
        return std::pair<std::int64_t, std::int64_t>{r.Int(0), r.Int(1)};
      });
}

}  // namespace ihos::domain::billing::repo
