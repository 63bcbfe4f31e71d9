#pragma once
// Every SQL statement of billing: rows -> structs. Functions run in the caller's transaction and
// return the errors of store::Tx. The ledger is only ever appended to.
#include <optional>
#include <string>
#include <vector>

#include "domain/billing/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::billing::repo {

// --- items ---
Result<std::vector<Item>> Items(store::Tx& tx);
Result<std::optional<Item>> FindItem(store::Tx& tx, const std::string& code);
Result<bool> UpdateItem(store::Tx& tx, const Item& item, std::int64_t at);

// --- insurance profiles ---
Result<std::optional<Profile>> FindProfile(store::Tx& tx, std::int64_t patient_id);
Status UpsertProfile(store::Tx& tx, const Profile& p, std::int64_t at);

// --- policies (versioned: insert only) ---
Result<std::vector<Policy>> LatestPolicies(store::Tx& tx);
Result<std::vector<Policy>> PolicyHistory(store::Tx& tx, const std::string& region_code, const std::string& scheme);
Result<std::optional<Policy>> CurrentPolicy(store::Tx& tx, const std::string& region_code, const std::string& scheme);
Result<std::optional<Policy>> FindPolicy(store::Tx& tx, std::int64_t id);
// Inserts version max+1 of the region and scheme; returns the new id.
Result<std::int64_t> InsertPolicy(store::Tx& tx, Policy& p);

// --- orders ---
Result<std::int64_t> InsertOrder(store::Tx& tx, const Order& o);
Result<std::optional<Order>> FindOrder(store::Tx& tx, std::int64_t id);
Result<std::optional<Order>> FindOrderBySource(store::Tx& tx, const std::string& kind, std::int64_t source_id);
Result<std::vector<Order>> OrdersOf(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit);
// Moves the status when it is one of `from`; false when it was not.
Result<bool> SetOrderStatus(store::Tx& tx, std::int64_t id, const std::vector<std::string>& from, const std::string& to,
                            std::int64_t at);
Status AddRefunded(store::Tx& tx, std::int64_t id, std::int64_t amount_fen);
// Pending (or paying) orders whose hold ended before `now`.
Result<std::vector<std::int64_t>> HoldsEnded(store::Tx& tx, std::int64_t now, int limit);
// Paid orders not fully refunded, oldest first, after `after_id`: the sweeper asks their source.
Result<std::vector<Order>> PaidOrders(store::Tx& tx, std::int64_t after_id, int limit);
Result<std::vector<Line>> LinesOf(store::Tx& tx, std::int64_t order_id);

// --- settlements ---
Result<std::int64_t> InsertSettlement(store::Tx& tx, std::int64_t order_id, const Split& s,
                                      std::optional<std::int64_t> payment_id, std::int64_t at, int year);
Result<std::optional<Settlement>> SettlementOf(store::Tx& tx, std::int64_t order_id);
// This year's deductible used and fund paid (net of fund refunds) of a patient.
Result<std::pair<std::int64_t, std::int64_t>> YearUse(store::Tx& tx, std::int64_t patient_id, int year);

// --- payments ---
Result<std::int64_t> InsertPayment(store::Tx& tx, const Payment& p);
Result<std::optional<Payment>> FindPayment(store::Tx& tx, std::int64_t id);
Result<bool> SetRefundNo(store::Tx& tx, std::int64_t refund_id, const std::string& no);
Result<std::optional<Payment>> FindPaymentByTrade(store::Tx& tx, const std::string& out_trade_no);
Result<std::optional<Payment>> LatestPayment(store::Tx& tx, std::int64_t order_id);
// created -> succeeded with the provider's transaction id; false when it was not `created`.
Result<bool> MarkPaymentSucceeded(store::Tx& tx, std::int64_t id, const std::string& provider_txn, std::int64_t at);
Status ClosePayment(store::Tx& tx, std::int64_t id);
// Payments still `created` that were made before `before`.
Result<std::vector<Payment>> StalePayments(store::Tx& tx, std::int64_t before, int limit);
Status InsertNotification(store::Tx& tx, const std::string& provider, const std::string& out_trade_no,
                          const std::string& provider_txn, const std::string& outcome, std::int64_t at);
Result<std::int64_t> CountNotifications(store::Tx& tx, const std::string& out_trade_no, const std::string& outcome);

// --- refunds ---
Result<std::int64_t> InsertRefund(store::Tx& tx, const Refund& r);
Result<std::vector<Refund>> RefundsOf(store::Tx& tx, std::int64_t order_id);
Result<bool> HasSourceRefund(store::Tx& tx, std::int64_t order_id);
Result<std::vector<Refund>> PendingRefunds(store::Tx& tx, int limit);
Result<bool> MarkRefundSucceeded(store::Tx& tx, std::int64_t id, std::int64_t at);

// --- receipts ---
Status InsertReceipt(store::Tx& tx, const std::string& number, std::int64_t order_id, std::int64_t at);
Result<std::optional<std::pair<std::string, std::int64_t>>> ReceiptOf(store::Tx& tx, std::int64_t order_id);

// --- idempotency ---
struct IdemRow {
  std::string operation;
  std::string request_hash;
  std::int64_t result_id = 0;
};
Result<std::optional<IdemRow>> FindIdem(store::Tx& tx, std::int64_t actor_id, const std::string& key);
Status InsertIdem(store::Tx& tx, std::int64_t actor_id, const std::string& key, const IdemRow& row, std::int64_t at);

// --- ledger (append-only) ---
Result<std::int64_t> AppendLedger(store::Tx& tx, const std::string& kind, std::optional<std::int64_t> order_id,
                                  const std::string& ref, std::int64_t at, const std::vector<LedgerEntry>& entries);
Result<std::int64_t> AccountBalance(store::Tx& tx, const std::string& account);
Result<LedgerCheck> CheckLedger(store::Tx& tx);
// The net movement of `account` in [from, to).
Result<std::int64_t> AccountMovement(store::Tx& tx, const std::string& account, std::int64_t from, std::int64_t to);
// Settlements and refunds of orders settled in the region in [from, to).
Result<std::vector<Reconciliation::Row>> SettlementsIn(store::Tx& tx, const std::string& region, std::int64_t from,
                                                       std::int64_t to);
Result<std::vector<Reconciliation::Row>> RefundsIn(store::Tx& tx, const std::string& region, std::int64_t from,
                                                   std::int64_t to);
// Ledger fund amount recorded per order for the region in [from, to) (settlement − refunds).
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> LedgerFundByOrder(store::Tx& tx, const std::string& region,
                                                                             std::int64_t from, std::int64_t to);

}  // namespace ihos::domain::billing::repo

// --- the DEMO provider's own books (demo_pay_*) ---
namespace ihos::domain::billing::repo::demo {
struct Trade {
  std::string out_trade_no;
  std::string subject;
  std::int64_t amount_fen = 0;
  std::int64_t payer_id = 0;
  std::string status;  // waiting | paid | closed
  std::optional<std::string> provider_txn;
  std::optional<std::int64_t> paid_at;
  std::int64_t refunded_fen = 0;
  std::optional<std::int64_t> notify_due;
  std::int64_t notify_count = 0;
};
Status InsertTrade(store::Tx& tx, const Trade& t, std::int64_t at);  // ON CONFLICT DO NOTHING
Result<std::optional<Trade>> FindTrade(store::Tx& tx, const std::string& out_trade_no);
Result<bool> MarkPaid(store::Tx& tx, const std::string& out_trade_no, const std::string& txn, std::int64_t at,
                      std::int64_t notify_due);
Result<bool> CloseTrade(store::Tx& tx, const std::string& out_trade_no);
Status SetNotifyDue(store::Tx& tx, const std::string& out_trade_no, std::optional<std::int64_t> due, bool count);
Result<std::vector<Trade>> DueNotifications(store::Tx& tx, std::int64_t now, int limit);
// Inserts the refund once (by refund_no) and adds it to refunded_fen; false when it was there already.
Result<bool> InsertRefund(store::Tx& tx, const std::string& refund_no, const std::string& out_trade_no,
                          std::int64_t amount_fen, std::int64_t at);
}  // namespace ihos::domain::billing::repo::demo
