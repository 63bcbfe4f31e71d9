#include "domain/billing/rules.hpp"

#include <algorithm>
#include <cstdio>

namespace ihos::domain::billing {
namespace {

void AddRule(std::string& rules, std::string_view r) {
  if (!rules.empty()) rules += ',';
  rules += r;
}

}  // namespace

const std::vector<std::string>& Schemes() {
  static const std::vector<std::string> k = {"employee", "resident", "self_pay"};
  return k;
}
const std::vector<std::string>& Grades() {
  static const std::vector<std::string> k = {"3A", "3B", "3C", "2A", "2B", "2C", "1", "ungraded", "*"};
  return k;
}
const std::vector<std::string>& ItemClasses() {
  static const std::vector<std::string> k = {"A", "B", "none", "never"};
  return k;
}

std::int64_t RatioFor(const Policy& p, const std::string& grade, const std::string& item_class) {
  const Ratio* any = nullptr;
  for (const auto& r : p.ratios) {
    if (r.item_class != item_class) continue;
    if (r.grade == grade) return r.ratio_bp;
    if (r.grade == "*") any = &r;
  }
  return any ? any->ratio_bp : 0;
}

Split ComputeSplit(const SplitInput& in) {
  Split s;
  s.scheme = in.scheme.empty() ? "self_pay" : in.scheme;
  s.region_code = in.region_code;
  const bool insured = in.use_insurance && in.policy && (in.scheme == "employee" || in.scheme == "resident");
  if (insured) {
    s.policy_id = in.policy->id;
    s.policy_version = in.policy->version;
  }
  const bool personal_ok = insured && in.use_personal_account && in.policy->personal_account_pays;
  std::int64_t deductible_left =
      insured ? std::max<std::int64_t>(0, in.policy->deductible_fen - in.ytd.deductible_used_fen) : 0;
  std::int64_t cap_left = insured ? std::max<std::int64_t>(0, in.policy->annual_cap_fen - in.ytd.fund_paid_fen) : 0;
  std::int64_t personal_left = personal_ok ? std::max<std::int64_t>(0, in.personal_balance_fen) : 0;

  for (const auto& l : *in.lines) {
    LineSplit ls;
    ls.line_no = l.line_no;
    ls.name = l.name;
    ls.amount_fen = l.amount_fen;
    std::int64_t patient_share = l.amount_fen;
    if (!insured) {
      AddRule(ls.rule, "self_pay");
    } else if (l.item_class == "none" || l.item_class == "never") {
      AddRule(ls.rule, "not_covered");
    } else {
      std::int64_t eligible = l.amount_fen;
      if (l.item_class == "B" && l.b_selfpay_bp > 0) {
        // 乙类 items: the patient pays a share first (先行自付), rounded up to the fen.
        const std::int64_t first = (l.amount_fen * l.b_selfpay_bp + 9999) / 10000;
        eligible -= std::min(first, eligible);
        AddRule(ls.rule, "b_selfpay_first");
      }
      if (deductible_left > 0 && eligible > 0) {
        const std::int64_t d = std::min(deductible_left, eligible);
        deductible_left -= d;
        s.deductible_used_fen += d;
        eligible -= d;
        AddRule(ls.rule, "deductible");
      }
      if (eligible > 0) {
        std::int64_t fund = eligible * RatioFor(*in.policy, in.hospital_grade, l.item_class) / 10000;  // rounded down
        AddRule(ls.rule, "ratio");
        if (fund > cap_left) {
          fund = cap_left;
          AddRule(ls.rule, "annual_cap");
        }
        cap_left -= fund;
        ls.fund_fen = fund;
        patient_share -= fund;
      }
    }
    // The personal account pays the patient's share of anything but never-insurable items.
    if (personal_left > 0 && patient_share > 0 && l.item_class != "never") {
      const std::int64_t p = std::min(personal_left, patient_share);
      personal_left -= p;
      ls.personal_fen = p;
      patient_share -= p;
      AddRule(ls.rule, "personal_account");
    }
    ls.cash_fen = patient_share;
    s.total_fen += ls.amount_fen;
    s.fund_fen += ls.fund_fen;
    s.personal_fen += ls.personal_fen;
    s.cash_fen += ls.cash_fen;
    s.lines.push_back(std::move(ls));
  }
  return s;
}

Parts RefundParts(const Parts& settled, const Parts& refunded, std::int64_t amount) {
  const Parts left{settled.fund_fen - refunded.fund_fen, settled.personal_fen - refunded.personal_fen,
                   settled.cash_fen - refunded.cash_fen};
  const std::int64_t remaining = left.total();
  amount = std::clamp<std::int64_t>(amount, 0, remaining);
  if (amount == remaining) return left;
  Parts out;
  out.fund_fen = remaining ? amount * left.fund_fen / remaining : 0;
  out.personal_fen = remaining ? amount * left.personal_fen / remaining : 0;
  std::int64_t rest = amount - out.fund_fen - out.personal_fen;
  out.cash_fen = std::min(rest, left.cash_fen);
  rest -= out.cash_fen;
  // Rounding left something over: take it from the personal account, then the fund.
  const std::int64_t p = std::min(rest, left.personal_fen - out.personal_fen);
  out.personal_fen += p;
  rest -= p;
  out.fund_fen += std::min(rest, left.fund_fen - out.fund_fen);
  return out;
}

bool Balanced(const std::vector<LedgerEntry>& entries) {
  if (entries.size() < 2) return false;
  std::int64_t sum = 0;
  for (const auto& e : entries) sum += e.amount_fen;
  return sum == 0;
}

bool ValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string ReceiptNumber(int year, std::int64_t seq) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "IHOS-%04d-%08lld", year, static_cast<long long>(seq));
  return buf;
}

std::vector<FieldError> ValidatePolicy(const Policy& p) {
  std::vector<FieldError> errs;
  if (p.scheme != "employee" && p.scheme != "resident") errs.push_back({"scheme", "not_allowed"});
  if (p.deductible_fen < 0 || p.deductible_fen > 100'000'000) errs.push_back({"deductible_fen", "out_of_range"});
  if (p.annual_cap_fen < 0 || p.annual_cap_fen > 10'000'000'000LL) errs.push_back({"annual_cap_fen", "out_of_range"});
  if (p.ratios.empty()) errs.push_back({"ratios", "required"});
  for (std::size_t i = 0; i < p.ratios.size(); ++i) {
    const auto& r = p.ratios[i];
    const std::string f = "ratios[" + std::to_string(i) + "].";
    if (std::find(Grades().begin(), Grades().end(), r.grade) == Grades().end())
      errs.push_back({f + "grade", "not_allowed"});
    if (r.item_class != "A" && r.item_class != "B") errs.push_back({f + "item_class", "not_allowed"});
    if (r.ratio_bp < 0 || r.ratio_bp > 10000) errs.push_back({f + "ratio_bp", "out_of_range"});
    for (std::size_t j = 0; j < i; ++j)
      if (p.ratios[j].grade == r.grade && p.ratios[j].item_class == r.item_class) {
        errs.push_back({f + "grade", "duplicate"});
        break;
      }
  }
  return errs;
}

}  // namespace ihos::domain::billing
