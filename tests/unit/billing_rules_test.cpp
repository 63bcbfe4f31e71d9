// The insurance split and refund parts, written from RULES.md (Medical insurance) and the
// 医保发〔2020〕45号 outpatient rules as the README states them: the deductible (起付线) first, the
// fund's ratio of the rest by item class, the annual cap, 乙类 self-pay-first, delivery never insured.
#include <gtest/gtest.h>

#include <random>

#include "domain/billing/rules.hpp"

namespace ihos::domain::billing {
namespace {

Policy Employee(std::int64_t deductible = 0, std::int64_t cap = 400000, bool personal = true) {
  Policy p;
  p.id = 1;
  p.version = 3;
  p.scheme = "employee";
  p.region_code = "420102";
  p.deductible_fen = deductible;
  p.annual_cap_fen = cap;
  p.personal_account_pays = personal;
  p.ratios = {{"*", "A", 7000}, {"*", "B", 6000}, {"3A", "A", 6500}};
  return p;
}

Line L(const std::string& cls, std::int64_t amount, std::int64_t b_selfpay_bp = 0) {
  static int n = 0;
  Line l;
  l.line_no = ++n;
  l.item_class = cls;
  l.amount_fen = amount;
  l.b_selfpay_bp = b_selfpay_bp;
  l.name = cls;
  return l;
}

Split Run(const std::vector<Line>& lines, const Policy* p, YearToDate ytd = {}, std::int64_t personal = 0,
          bool use_insurance = true, bool use_personal = true, const std::string& grade = "2A",
          const std::string& scheme = "employee") {
  SplitInput in;
  in.lines = &lines;
  in.scheme = scheme;
  in.region_code = "420102";
  in.policy = p;
  in.hospital_grade = grade;
  in.ytd = ytd;
  in.personal_balance_fen = personal;
  in.use_insurance = use_insurance;
  in.use_personal_account = use_personal;
  return ComputeSplit(in);
}

TEST(BillingSplit, ClassAFollowUpFeeAtTheRatio) {
  const auto p = Employee();
  auto s = Run({L("A", 2500)}, &p);
  EXPECT_EQ(s.fund_fen, 1750);
  EXPECT_EQ(s.cash_fen, 750);
  EXPECT_EQ(s.policy_version, 3);
  EXPECT_EQ(s.lines[0].rule, "ratio");
}

TEST(BillingSplit, TheGradeDecidesTheRatioWhenThePolicyNamesIt) {
  const auto p = Employee();
  EXPECT_EQ(Run({L("A", 10000)}, &p, {}, 0, true, true, "3A").fund_fen, 6500);
  EXPECT_EQ(Run({L("A", 10000)}, &p, {}, 0, true, true, "1").fund_fen, 7000);
}

TEST(BillingSplit, DeductibleComesFirstAndIsRecorded) {
  const auto p = Employee(/*deductible=*/20000);
  auto s = Run({L("A", 2500)}, &p, {/*used=*/19000, 0});
  // 1,000 left of the deductible: the patient's; the fund pays 70% of the other 1,500.
  EXPECT_EQ(s.deductible_used_fen, 1000);
  EXPECT_EQ(s.fund_fen, 1050);
  EXPECT_EQ(s.cash_fen, 1450);
  EXPECT_EQ(s.lines[0].rule, "deductible,ratio");
  auto all = Run({L("A", 2500)}, &p);
  EXPECT_EQ(all.fund_fen, 0);
  EXPECT_EQ(all.deductible_used_fen, 2500);
}

TEST(BillingSplit, ClassBPaysItsSelfPayShareFirst) {
  const auto p = Employee();
  auto s = Run({L("B", 10000, 1000)}, &p);
  EXPECT_EQ(s.fund_fen, 5400);  // 60% of the 9,000 after the 10% first share
  EXPECT_EQ(s.cash_fen, 4600);
  EXPECT_EQ(s.lines[0].rule, "b_selfpay_first,ratio");
}

TEST(BillingSplit, AnnualCapLimitsTheFund) {
  const auto p = Employee(0, /*cap=*/400000);
  auto s = Run({L("A", 10000)}, &p, {0, /*fund paid=*/399500});
  EXPECT_EQ(s.fund_fen, 500);
  EXPECT_EQ(s.lines[0].rule, "ratio,annual_cap");
  EXPECT_EQ(Run({L("A", 10000)}, &p, {0, 400000}).fund_fen, 0);
}

TEST(BillingSplit, PersonalAccountPaysTheShareButNeverDelivery) {
  const auto p = Employee();
  auto s = Run({L("A", 2500), L("none", 1000), L("never", 800)}, &p, {}, /*balance=*/100000);
  EXPECT_EQ(s.fund_fen, 1750);
  EXPECT_EQ(s.personal_fen, 750 + 1000);
  EXPECT_EQ(s.cash_fen, 800);
  EXPECT_EQ(s.lines[1].rule, "not_covered,personal_account");
  EXPECT_EQ(s.lines[2].rule, "not_covered");
  // A balance smaller than the share pays what it can.
  EXPECT_EQ(Run({L("A", 2500)}, &p, {}, 300).personal_fen, 300);
  // A policy that does not let the account pay, or the patient who does not want it.
  const auto no = Employee(0, 400000, false);
  EXPECT_EQ(Run({L("A", 2500)}, &no, {}, 100000).personal_fen, 0);
  EXPECT_EQ(Run({L("A", 2500)}, &p, {}, 100000, true, false).personal_fen, 0);
}

TEST(BillingSplit, SelfPayUnboundOrNoPolicyPaysEverything) {
  const auto p = Employee();
  for (const auto& s : {Run({L("A", 2500)}, &p, {}, 0, true, true, "2A", "self_pay"), Run({L("A", 2500)}, nullptr),
                        Run({L("A", 2500)}, &p, {}, 0, /*use_insurance=*/false),
                        Run({L("A", 2500)}, &p, {}, 0, true, true, "2A", "")}) {
    EXPECT_EQ(s.fund_fen, 0);
    EXPECT_EQ(s.cash_fen, 2500);
    EXPECT_EQ(s.lines[0].rule, "self_pay");
  }
}

TEST(BillingSplit, EveryLineAddsUpWhateverTheInputs) {
  std::mt19937_64 rng(20261203);
  const char* classes[] = {"A", "B", "none", "never"};
  for (int i = 0; i < 2000; ++i) {
    auto p = Employee(rng() % 50000, rng() % 500000, rng() % 2);
    std::vector<Line> lines;
    for (int n = 1 + rng() % 5; n > 0; --n) lines.push_back(L(classes[rng() % 4], rng() % 100000, rng() % 3000));
    auto s = Run(lines, &p, {static_cast<std::int64_t>(rng() % 60000), static_cast<std::int64_t>(rng() % 600000)},
                 rng() % 80000, rng() % 2, rng() % 2, rng() % 2 ? "3A" : "2B");
    std::int64_t total = 0;
    for (const auto& l : s.lines) {
      EXPECT_EQ(l.fund_fen + l.personal_fen + l.cash_fen, l.amount_fen);
      EXPECT_GE(l.fund_fen, 0);
      EXPECT_GE(l.personal_fen, 0);
      EXPECT_GE(l.cash_fen, 0);
      total += l.amount_fen;
    }
    EXPECT_EQ(s.total_fen, total);
    EXPECT_EQ(s.fund_fen + s.personal_fen + s.cash_fen, total);
    EXPECT_LE(s.fund_fen, std::max<std::int64_t>(0, p.annual_cap_fen));
  }
}

TEST(BillingRefund, FullGivesEachPartBackPartialNeverMoreThanLeft) {
  const Parts settled{1750, 500, 250};
  auto full = RefundParts(settled, {}, 2500);
  EXPECT_EQ(full.fund_fen, 1750);
  EXPECT_EQ(full.personal_fen, 500);
  EXPECT_EQ(full.cash_fen, 250);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const Parts s{static_cast<std::int64_t>(rng() % 10000), static_cast<std::int64_t>(rng() % 10000),
                  static_cast<std::int64_t>(rng() % 10000)};
    Parts done;
    while (done.total() < s.total()) {
      const std::int64_t left = s.total() - done.total();
      const std::int64_t amount = 1 + static_cast<std::int64_t>(rng() % left);
      const auto r = RefundParts(s, done, amount);
      ASSERT_EQ(r.total(), amount);
      done.fund_fen += r.fund_fen;
      done.personal_fen += r.personal_fen;
      done.cash_fen += r.cash_fen;
      ASSERT_LE(done.fund_fen, s.fund_fen);
      ASSERT_LE(done.personal_fen, s.personal_fen);
      ASSERT_LE(done.cash_fen, s.cash_fen);
    }
  }
}

TEST(BillingRules, LedgerKeysReceiptsAndPolicies) {
  EXPECT_TRUE(Balanced({{"a", -5}, {"b", 5}}));
  EXPECT_FALSE(Balanced({{"a", -5}, {"b", 4}}));
  EXPECT_FALSE(Balanced({{"a", 0}}));
  EXPECT_TRUE(ValidIdempotencyKey("order-42-pay"));
  EXPECT_FALSE(ValidIdempotencyKey(""));
  EXPECT_FALSE(ValidIdempotencyKey("has space"));
  EXPECT_FALSE(ValidIdempotencyKey(std::string(65, 'k')));
  EXPECT_EQ(ReceiptNumber(2026, 42), "IHOS-2026-00000042");
  Policy bad = Employee();
  bad.scheme = "self_pay";
  bad.ratios.push_back({"*", "A", 12000});
  bad.ratios.push_back({"4Z", "C", 100});
  auto errs = ValidatePolicy(bad);
  auto has = [&](const std::string& f, const std::string& c) {
    for (const auto& e : errs)
      if (e.field == f && e.code == c) return true;
    return false;
  };
  EXPECT_TRUE(has("scheme", "not_allowed"));
  EXPECT_TRUE(has("ratios[3].grade", "duplicate"));
  EXPECT_TRUE(has("ratios[3].ratio_bp", "out_of_range"));
  EXPECT_TRUE(has("ratios[4].grade", "not_allowed"));
  EXPECT_TRUE(has("ratios[4].item_class", "not_allowed"));
  EXPECT_TRUE(ValidatePolicy(Employee()).empty());
}

}  // namespace
}  // namespace ihos::domain::billing
