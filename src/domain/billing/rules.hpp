#pragma once
// Pure billing rules: the insurance split of an order (pre-settlement = settlement), the parts of a
// refund, ledger balance, Idempotency-Key syntax, receipt numbers, policy validation. No I/O;
// unit-tested in tests/unit/billing_rules_test.cpp. The rules and their sources are in README.md.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/billing/model.hpp"

namespace ihos::domain::billing {

// What the patient has used of this year's policy before this order.
struct YearToDate {
  std::int64_t deductible_used_fen = 0;
  std::int64_t fund_paid_fen = 0;
};

struct SplitInput {
  const std::vector<Line>* lines = nullptr;
  std::string scheme;  // employee | resident | self_pay | "" (no profile)
  std::string region_code;
  const Policy* policy = nullptr;  // nullptr: no policy for the region and scheme
  std::string hospital_grade;
  YearToDate ytd;
  std::int64_t personal_balance_fen = 0;
  bool use_insurance = true;
  bool use_personal_account = true;
};

// The split of every line and the totals. Always total = fund + personal + cash per line.
Split ComputeSplit(const SplitInput& in);

// The fund's ratio for a grade and class: an exact grade first, then "*", else 0.
std::int64_t RatioFor(const Policy& p, const std::string& grade, const std::string& item_class);

// The parts of a refund of `amount` from a settlement of which `refunded` was already given back
// (each part never above what remains of it). A full refund (amount = what remains) returns each
// remaining part exactly; a partial one takes the parts in proportion, the rest from cash.
struct Parts {
  std::int64_t fund_fen = 0;
  std::int64_t personal_fen = 0;
  std::int64_t cash_fen = 0;
  std::int64_t total() const { return fund_fen + personal_fen + cash_fen; }
};
Parts RefundParts(const Parts& settled, const Parts& refunded, std::int64_t amount);

// True when every entry's amounts sum to zero and there are at least two entries.
bool Balanced(const std::vector<LedgerEntry>& entries);

// 1..64 printable ASCII characters, no spaces.
bool ValidIdempotencyKey(std::string_view key);

// IHOS-<year>-<8 digits>.
std::string ReceiptNumber(int year, std::int64_t seq);

// Field errors of a new policy version (region_code checked by the caller against the regions).
std::vector<FieldError> ValidatePolicy(const Policy& p);

// The schemes a patient may hold and the grades a ratio may name.
const std::vector<std::string>& Schemes();
const std::vector<std::string>& Grades();
const std::vector<std::string>& ItemClasses();

}  // namespace ihos::domain::billing
