#pragma once
// Billing values: orders (charges) and their lines, insurance profiles and policies, the split of a
// settlement, provider payments, refunds, receipts, ledger entries. Money is integer fen. See
// README.md beside this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::billing {

// One entry of the item catalogue (billing_items).
struct Item {
  std::string code;
  std::string name_zh;
  std::string name_en;
  std::string item_class;         // A (甲) | B (乙) | none (自费) | never (never insurable)
  std::int64_t b_selfpay_bp = 0;  // B only: the share the patient pays first, basis points
};

struct Profile {
  std::int64_t patient_id = 0;
  bool bound = false;
  std::string scheme;  // employee | resident | self_pay
  std::string region_code;
  std::string region_name;
  std::string insured_no;
  std::string adapter;
  std::int64_t personal_balance_fen = 0;
};

struct Ratio {
  std::string grade;       // 3A ... 1 | ungraded | * (any)
  std::string item_class;  // A | B
  std::int64_t ratio_bp = 0;
};

struct Policy {
  std::int64_t id = 0;
  std::string region_code;
  std::string region_name;
  std::string scheme;  // employee | resident
  std::int64_t version = 0;
  std::int64_t deductible_fen = 0;
  std::int64_t annual_cap_fen = 0;
  bool personal_account_pays = false;
  std::vector<Ratio> ratios;
  bool demo = false;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0;
};

struct Line {
  int line_no = 0;
  std::string item_code;
  std::string name;
  std::string item_class;
  std::int64_t b_selfpay_bp = 0;
  std::int64_t unit_fen = 0;
  int quantity = 1;
  std::int64_t amount_fen = 0;
};

// How one line is paid, and the rule that decided it.
struct LineSplit {
  int line_no = 0;
  std::string name;
  std::int64_t amount_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t personal_fen = 0;
  std::int64_t cash_fen = 0;
  std::string rule;  // not_covered | self_pay | b_selfpay_first | deductible | ratio | annual_cap | personal_account
                     // (joined by ',')
};

struct Split {
  std::string scheme;
  std::string region_code;
  std::optional<std::int64_t> policy_id;
  std::int64_t policy_version = 0;
  std::int64_t total_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t personal_fen = 0;
  std::int64_t cash_fen = 0;
  std::int64_t deductible_used_fen = 0;
  std::vector<LineSplit> lines;
};

struct Payment {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::string provider;
  std::string out_trade_no;
  std::optional<std::string> provider_txn;
  std::int64_t amount_fen = 0;
  bool use_insurance = false;
  bool use_personal = false;
  std::string status;  // created | succeeded | closed
  std::int64_t created_at = 0;
  std::optional<std::int64_t> succeeded_at;
};

struct Refund {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::string reason;  // patient_cancelled | doctor_cancelled | practitioner_suspended | not_taken | source_cancelled |
                       // late_payment | admin_partial | admin_full
  std::int64_t amount_fen = 0;
  std::int64_t fund_fen = 0;
  std::int64_t personal_fen = 0;
  std::int64_t cash_fen = 0;
  std::string status;  // pending | succeeded
  std::optional<std::string> provider_refund_no;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> succeeded_at;
  std::optional<std::int64_t> payment_id;
  std::optional<std::int64_t> requested_by;
};

struct Settlement {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::optional<std::int64_t> policy_id;
  std::int64_t policy_version = 0;
  Split split;
  std::optional<std::int64_t> payment_id;
  std::int64_t settled_at = 0;
};

struct Order {
  std::int64_t id = 0;
  std::int64_t patient_id = 0;
  std::string patient_name;
  std::int64_t created_by = 0;
  std::string source_kind;  // consultation | appointment | nat_booking | homecare_order | drug_order
  std::int64_t source_id = 0;
  std::string title;
  std::string hospital_grade;
  std::int64_t total_fen = 0;
  std::int64_t refunded_fen = 0;
  std::string status;  // pending | paying | paid | expired | cancelled | refunded
  std::int64_t hold_until = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> paid_at;
  std::optional<std::int64_t> closed_at;
  std::vector<Line> lines;
  // Filled for views:
  std::optional<Settlement> settlement;
  std::optional<Payment> payment;  // the newest
  std::vector<Refund> refunds;
  std::optional<std::string> receipt_number;
  bool holds_place = false;  // the source releases a place when the hold ends unpaid (appointments)
};

// What a source (consultation, appointment) says about the thing to be charged.
struct Quote {
  std::int64_t patient_id = 0;
  std::string title;
  std::string hospital_grade;
  std::vector<Line> lines;  // item_code, name, unit_fen, quantity (amounts and classes filled by billing)
  bool free = false;        // explicitly free (义诊, zero price): no order
  bool ended = false;       // cancelled / expired: nothing to pay, a paid order is refunded
  bool unpriced = false;    // no price yet (a department queue before a doctor takes it)
  std::string end_reason;   // the refund reason when ended
};

struct Receipt {
  std::string number;
  std::int64_t issued_at = 0;
  Order order;
  std::string payer_name;
};

struct LedgerEntry {
  std::string account;
  std::int64_t amount_fen = 0;
};

struct Balance {
  std::string account;
  std::int64_t balance_fen = 0;
};

struct LedgerCheck {
  std::int64_t transactions = 0;
  std::int64_t unbalanced = 0;
  std::vector<Balance> balances;
};

struct Reconciliation {
  std::string region_code;
  std::string date;
  struct Row {
    std::int64_t order_id = 0;
    std::string receipt_number;
    std::int64_t at = 0;
    std::int64_t total_fen = 0, fund_fen = 0, personal_fen = 0, cash_fen = 0;
    std::int64_t refund_id = 0;
  };
  std::vector<Row> settlements;
  std::vector<Row> refunds;
  std::int64_t settled_fund_fen = 0;
  std::int64_t refunded_fund_fen = 0;
  std::int64_t ledger_fund_fen = 0;  // the ledger's net movement of fund:<region> that day (negative = paid out)
  struct Mismatch {
    std::int64_t order_id = 0;
    std::string what;
  };
  std::vector<Mismatch> mismatches;
  bool balanced = false;  // no mismatch, and the ledger's fund movement is the statement's net
};

}  // namespace ihos::domain::billing
