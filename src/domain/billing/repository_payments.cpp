// Billing's SQL for payments, provider notifications, refunds, receipts and Idempotency-Keys
// (declared in repository.hpp beside this file).
#include "domain/billing/repository.hpp"
#include "domain/billing/repository_internal.hpp"
#include "store/value.hpp"

namespace ihos::domain::billing::repo {
using internal::All;
using internal::One;
namespace {

constexpr char kPaymentCols[] =
    "id, order_id, provider, out_trade_no, provider_txn, amount_fen, use_insurance, use_personal, status, created_at, "
    "succeeded_at";
Payment PaymentFrom(const store::Row& r) {
  Payment p;
  p.id = r.Int(0);
  p.order_id = r.Int(1);
  p.provider = r.Text(2);
  p.out_trade_no = r.Text(3);
  p.provider_txn = r.OptText(4);
  p.amount_fen = r.Int(5);
  p.use_insurance = r.Int(6) != 0;
  p.use_personal = r.Int(7) != 0;
  p.status = r.Text(8);
  p.created_at = r.Int(9);
  p.succeeded_at = r.OptInt(10);
  return p;
}

constexpr char kRefundCols[] =
    "id, order_id, reason, amount_fen, fund_fen, personal_fen, cash_fen, status, provider_refund_no, created_at, "
    "succeeded_at, payment_id, requested_by";
Refund RefundFrom(const store::Row& r) {
  Refund f;
  f.id = r.Int(0);
  f.order_id = r.Int(1);
  f.reason = r.Text(2);
  f.amount_fen = r.Int(3);
  f.fund_fen = r.Int(4);
  f.personal_fen = r.Int(5);
  f.cash_fen = r.Int(6);
  f.status = r.Text(7);
  f.provider_refund_no = r.OptText(8);
  f.created_at = r.Int(9);
  f.succeeded_at = r.OptInt(10);
  f.payment_id = r.OptInt(11);
  f.requested_by = r.OptInt(12);
  return f;
}

}  // namespace

// --- payments ---
Result<std::int64_t> InsertPayment(store::Tx& tx, const Payment& p) {
  auto rows = tx.Query(
      "INSERT INTO billing_payments (order_id, provider, out_trade_no, amount_fen, use_insurance, use_personal, "
      "status, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, 'created', $7) RETURNING id",
      {p.order_id, p.provider, p.out_trade_no, p.amount_fen, std::int64_t{p.use_insurance ? 1 : 0},
       std::int64_t{p.use_personal ? 1 : 0}, p.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<std::optional<Payment>> FindPayment(store::Tx& tx, std::int64_t id) {
  return One<Payment>(tx, std::string("SELECT ") + kPaymentCols + " FROM billing_payments WHERE id = $1", {id},
                      PaymentFrom);
}
Result<bool> SetRefundNo(store::Tx& tx, std::int64_t refund_id, const std::string& no) {
  auto n = tx.Exec("UPDATE billing_refunds SET provider_refund_no = $2 WHERE id = $1", {refund_id, no});
  if (!n) return n.error();
  return *n == 1;
}
Result<std::optional<Payment>> FindPaymentByTrade(store::Tx& tx, const std::string& out_trade_no) {
  return One<Payment>(tx, std::string("SELECT ") + kPaymentCols + " FROM billing_payments WHERE out_trade_no = $1",
                      {out_trade_no}, PaymentFrom);
}
Result<std::optional<Payment>> LatestPayment(store::Tx& tx, std::int64_t order_id) {
  return One<Payment>(
      tx, std::string("SELECT ") + kPaymentCols + " FROM billing_payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1",
      {order_id}, PaymentFrom);
}
Result<bool> MarkPaymentSucceeded(store::Tx& tx, std::int64_t id, const std::string& provider_txn, std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE billing_payments SET status = 'succeeded', provider_txn = $2, succeeded_at = $3 "
      "WHERE id = $1 AND status IN ('created', 'closed')",
      {id, provider_txn, at});
  if (!n) return n.error();
  return *n == 1;
}
Status ClosePayment(store::Tx& tx, std::int64_t id) {
  auto n = tx.Exec("UPDATE billing_payments SET status = 'closed' WHERE id = $1 AND status = 'created'", {id});
  if (!n) return n.error();
  return {};
}
Result<std::vector<Payment>> StalePayments(store::Tx& tx, std::int64_t before, int limit) {
  return All<Payment>(tx,
                      std::string("SELECT ") + kPaymentCols +
                          " FROM billing_payments WHERE status = 'created' AND created_at < $1 ORDER BY id LIMIT $2",
                      {before, std::int64_t{limit}}, PaymentFrom);
}
Status InsertNotification(store::Tx& tx, const std::string& provider, const std::string& out_trade_no,
                          const std::string& provider_txn, const std::string& outcome, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO billing_notifications (provider, out_trade_no, provider_txn, outcome, received_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {provider, out_trade_no, provider_txn, outcome, at});
  if (!n) return n.error();
  return {};
}
Result<std::int64_t> CountNotifications(store::Tx& tx, const std::string& out_trade_no, const std::string& outcome) {
  auto rows = tx.Query("SELECT COUNT(*) FROM billing_notifications WHERE out_trade_no = $1 AND outcome = $2",
                       {out_trade_no, outcome});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

// --- refunds ---
Result<std::int64_t> InsertRefund(store::Tx& tx, const Refund& r) {
  auto rows = tx.Query(
      "INSERT INTO billing_refunds (order_id, reason, amount_fen, fund_fen, personal_fen, cash_fen, status, "
      "provider_refund_no, created_at, succeeded_at, payment_id, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12) RETURNING id",
      {r.order_id, r.reason, r.amount_fen, r.fund_fen, r.personal_fen, r.cash_fen, r.status,
       store::OrNull(r.provider_refund_no), r.created_at, store::OrNull(r.succeeded_at), store::OrNull(r.payment_id),
       store::OrNull(r.requested_by)});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<std::vector<Refund>> RefundsOf(store::Tx& tx, std::int64_t order_id) {
  return All<Refund>(tx, std::string("SELECT ") + kRefundCols + " FROM billing_refunds WHERE order_id = $1 ORDER BY id",
                     {order_id}, RefundFrom);
}
Result<bool> HasSourceRefund(store::Tx& tx, std::int64_t order_id) {
  auto rows =
      tx.Query("SELECT 1 FROM billing_refunds WHERE order_id = $1 AND reason NOT IN ('admin_partial', 'late_payment')",
               {order_id});
  if (!rows) return rows.error();
  return !rows->empty();
}
Result<std::vector<Refund>> PendingRefunds(store::Tx& tx, int limit) {
  return All<Refund>(
      tx, std::string("SELECT ") + kRefundCols + " FROM billing_refunds WHERE status = 'pending' ORDER BY id LIMIT $1",
      {std::int64_t{limit}}, RefundFrom);
}
Result<bool> MarkRefundSucceeded(store::Tx& tx, std::int64_t id, std::int64_t at) {
  auto n =
      tx.Exec("UPDATE billing_refunds SET status = 'succeeded', succeeded_at = $2 WHERE id = $1 AND status = 'pending'",
              {id, at});
  if (!n) return n.error();
  return *n == 1;
}

// --- receipts ---
Status InsertReceipt(store::Tx& tx, const std::string& number, std::int64_t order_id, std::int64_t at) {
  auto n =
      tx.Exec("INSERT INTO billing_receipts (number, order_id, issued_at) VALUES ($1, $2, $3)", {number, order_id, at});
  if (!n) return n.error();
  return {};
}
Result<std::optional<std::pair<std::string, std::int64_t>>> ReceiptOf(store::Tx& tx, std::int64_t order_id) {
  return One<std::pair<std::string, std::int64_t>>(
      tx, "SELECT number, issued_at FROM billing_receipts WHERE order_id = $1", {order_id}, [](const store::Row& r) {
        return std::pair<std::string, std::int64_t>{r.Text(0), r.Int(1)};
      });
}

// --- idempotency ---
Result<std::optional<IdemRow>> FindIdem(store::Tx& tx, std::int64_t actor_id, const std::string& key) {
  return One<IdemRow>(tx,
                      "SELECT operation, request_hash, result_id FROM billing_idempotency WHERE actor_id = $1 AND "
                      "idem_key = $2",
                      {actor_id, key}, [](const store::Row& r) {
                        return IdemRow{r.Text(0), r.Text(1), r.Int(2)};
                      });
}
Status InsertIdem(store::Tx& tx, std::int64_t actor_id, const std::string& key, const IdemRow& row, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO billing_idempotency (actor_id, idem_key, operation, request_hash, result_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {actor_id, key, row.operation, row.request_hash, row.result_id, at});
  if (!n) return n.error();
  return {};
}

}  // namespace ihos::domain::billing::repo
