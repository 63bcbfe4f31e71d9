// The DEMO provider's own books (demo_pay_*; declared in repository.hpp beside this file).
#include "domain/billing/repository.hpp"
#include "store/value.hpp"

namespace ihos::domain::billing::repo::demo {
namespace {
constexpr char kTradeCols[] =
    "out_trade_no, subject, amount_fen, payer_id, status, provider_txn, paid_at, refunded_fen, notify_due, "
    "notify_count";
Trade TradeFrom(const store::Row& r) {
  Trade t;
  t.out_trade_no = r.Text(0);
  t.subject = r.Text(1);
  t.amount_fen = r.Int(2);
  t.payer_id = r.Int(3);
  t.status = r.Text(4);
  t.provider_txn = r.OptText(5);
  t.paid_at = r.OptInt(6);
  t.refunded_fen = r.Int(7);
  t.notify_due = r.OptInt(8);
  t.notify_count = r.Int(9);
  return t;
}
}  // namespace

Status InsertTrade(store::Tx& tx, const Trade& t, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO demo_pay_transactions (out_trade_no, subject, amount_fen, payer_id, status, created_at) "
      "VALUES ($1, $2, $3, $4, 'waiting', $5) ON CONFLICT (out_trade_no) DO NOTHING",
      {t.out_trade_no, t.subject, t.amount_fen, t.payer_id, at});
  if (!n) return n.error();
  return {};
}
Result<std::optional<Trade>> FindTrade(store::Tx& tx, const std::string& out_trade_no) {
  auto rows = tx.Query(std::string("SELECT ") + kTradeCols + " FROM demo_pay_transactions WHERE out_trade_no = $1",
                       {out_trade_no});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Trade>();
  return std::optional<Trade>(TradeFrom(rows->front()));
}
Result<bool> MarkPaid(store::Tx& tx, const std::string& out_trade_no, const std::string& txn, std::int64_t at,
                      std::int64_t notify_due) {
  auto n = tx.Exec(
      "UPDATE demo_pay_transactions SET status = 'paid', provider_txn = $2, paid_at = $3, notify_due = $4 "
      "WHERE out_trade_no = $1 AND status = 'waiting'",
      {out_trade_no, txn, at, notify_due});
  if (!n) return n.error();
  return *n == 1;
}
Result<bool> CloseTrade(store::Tx& tx, const std::string& out_trade_no) {
  auto n = tx.Exec("UPDATE demo_pay_transactions SET status = 'closed' WHERE out_trade_no = $1 AND status = 'waiting'",
                   {out_trade_no});
  if (!n) return n.error();
  return *n == 1;
}
Status SetNotifyDue(store::Tx& tx, const std::string& out_trade_no, std::optional<std::int64_t> due, bool count) {
  auto n = tx.Exec(
      "UPDATE demo_pay_transactions SET notify_due = $2, notify_count = notify_count + $3 WHERE out_trade_no = $1",
      {out_trade_no, store::OrNull(due), std::int64_t{count ? 1 : 0}});
  if (!n) return n.error();
  return {};
}
Result<std::vector<Trade>> DueNotifications(store::Tx& tx, std::int64_t now, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kTradeCols +
                           " FROM demo_pay_transactions WHERE notify_due IS NOT NULL AND notify_due <= $1 "
                           "ORDER BY notify_due LIMIT $2",
                       {now, std::int64_t{limit}});
  if (!rows) return rows.error();
  std::vector<Trade> out;
  for (const auto& r : *rows) out.push_back(TradeFrom(r));
  return out;
}
Result<bool> InsertRefund(store::Tx& tx, const std::string& refund_no, const std::string& out_trade_no,
                          std::int64_t amount_fen, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO demo_pay_refunds (refund_no, out_trade_no, amount_fen, created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (refund_no) DO NOTHING",
      {refund_no, out_trade_no, amount_fen, at});
  if (!n) return n.error();
  if (*n == 0) return false;
  auto u = tx.Exec("UPDATE demo_pay_transactions SET refunded_fen = refunded_fen + $2 WHERE out_trade_no = $1",
                   {out_trade_no, amount_fen});
  if (!u) return u.error();
  return true;
}

}  // namespace ihos::domain::billing::repo::demo
