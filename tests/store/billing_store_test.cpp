// Billing storage on SQLite and PostgreSQL, without HTTP: every mapped column read back, money in
// integer fen, the append-only ledger, Idempotency-Keys, conditional state changes, rollback, and
// exactly-once payment and refund under concurrent retries through BillingService.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "core/clock.hpp"
#include "domain/accounts/service.hpp"
#include "domain/billing/repository.hpp"
#include "domain/billing/service.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/race.hpp"
#include "support/store_suite.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::billing {
namespace {

// A payment provider that records what it was asked and accepts notifications signed "ok" whose
// body is "out_trade_no|provider_txn|amount_fen" (the real providers' formats are tested elsewhere).
class ScriptedProvider : public PaymentProvider {
 public:
  std::string name() const override { return "test"; }
  bool demo() const override { return true; }
  Result<std::string> Create(const ProviderOrder& order) override {
    std::lock_guard lock(mu_);
    created_.insert(order.out_trade_no);
    return "https://pay.test/" + order.out_trade_no;
  }
  Result<std::optional<ProviderPaid>> Query(const std::string&) override { return std::optional<ProviderPaid>(); }
  Status Refund(const std::string&, const std::string&, std::int64_t) override { return {}; }
  Result<ProviderPaid> VerifyNotification(const std::string& body, const std::string& signature) const override {
    if (signature != "ok") return MakeError(Errc::invalid_argument, "bad_signature");
    const auto a = body.find('|'), b = body.rfind('|');
    if (a == std::string::npos || a == b) return MakeError(Errc::invalid_argument, "bad_notification");
    return ProviderPaid{body.substr(0, a), body.substr(a + 1, b - a - 1), std::stoll(body.substr(b + 1)), 0};
  }
  Status Close(const std::string&) override { return {}; }
  std::set<std::string> created() {
    std::lock_guard lock(mu_);
    return created_;
  }

 private:
  std::mutex mu_;
  std::set<std::string> created_;
};

constexpr std::int64_t kPrice = 2500;  // 25.00 yuan

class BillingStoreTest : public testing::StoreSuite {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 8);
    now_ = 1'794'961'560'000;  // 2026-11-18 08:26 CST
    auto users = testing::InsertPatients(*db_, 2, "bill", now_);
    patient_ = users[0].id;
    admin_user_ = users[1].id;
    clock_ = std::make_unique<ManualClock>(now_);
    accounts::Config config;
    config.password_profile = crypto::PasswordProfile::test;
    accounts_ = std::make_unique<accounts::AccountService>(*db_, *clock_, config);
    svc_ = std::make_unique<BillingService>(*db_, *clock_, *accounts_, provider_, Config{});
    // Every consultation id is a thing of the patient's priced kPrice (self-pay item).
    svc_->RegisterSource("consultation",
                         Source{[this](store::Tx&, std::int64_t) -> Result<std::optional<Quote>> {
                                  Quote q;
                                  q.patient_id = patient_;
                                  q.title = "图文问诊";
                                  q.hospital_grade = "3A";
                                  q.lines.push_back(Line{0, "consult.selfpay", "互联网咨询费", "", 0, kPrice, 1, 0});
                                  return std::optional<Quote>(q);
                                },
                                nullptr});
  }


  Order NewOrder(std::int64_t source_id, std::int64_t total_fen, const std::string& status = "pending") {
    Order o;
    o.patient_id = patient_;
    o.created_by = patient_;
    o.source_kind = "consultation";
    o.source_id = source_id;
    o.title = "图文问诊";
    o.hospital_grade = "3A";
    o.total_fen = total_fen;
    o.status = status;
    o.hold_until = now_ + 15 * 60'000;
    o.created_at = now_;
    o.lines.push_back(Line{1, "consult.selfpay", "互联网咨询费", "", 0, total_fen, 1, total_fen});
    return o;
  }
  std::int64_t InsertOrder(const Order& o) {
    return WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertOrder(tx, o); });
  }
  Principal PatientP() const { return Principal{patient_, "", {"patient"}}; }
  Principal AdminP() const { return Principal{admin_user_, "", {"admin"}}; }
  Order Get(std::int64_t id) {
    auto o = svc_->GetOrder(AdminP(), id);
    EXPECT_TRUE(o) << (o ? "" : o.error().code);
    return o ? *o : Order{};
  }
  Status Notify(const Payment& p, const std::string& txn) {
    return svc_->HandleNotification(p.out_trade_no + "|" + txn + "|" + std::to_string(p.amount_fen), "ok");
  }

  std::int64_t now_ = 0, patient_ = 0, admin_user_ = 0;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<accounts::AccountService> accounts_;
  ScriptedProvider provider_;
  std::unique_ptr<BillingService> svc_;
};

TEST_P(BillingStoreTest, OrderLinesAndSettlementReadBackEveryColumnInIntegerFen) {
  // More than 2^31 fen survives on both backends: money is a 64-bit integer, never a float.
  const std::int64_t big = 4'000'000'001;
  Order o = NewOrder(7, big);
  o.lines.front().quantity = 1;
  const std::int64_t id = InsertOrder(o);
  ASSERT_GT(id, 0);
  auto got = Read<std::optional<Order>>([&](store::Tx& tx) { return repo::FindOrder(tx, id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, id);
  EXPECT_EQ(got->patient_id, patient_);
  EXPECT_FALSE(got->patient_name.empty()) << "the patient's name is joined from users";
  EXPECT_EQ(got->created_by, patient_);
  EXPECT_EQ(got->source_kind, "consultation");
  EXPECT_EQ(got->source_id, 7);
  EXPECT_EQ(got->title, "图文问诊");
  EXPECT_EQ(got->hospital_grade, "3A");
  EXPECT_EQ(got->total_fen, big);
  EXPECT_EQ(got->refunded_fen, 0);
  EXPECT_EQ(got->status, "pending");
  EXPECT_EQ(got->hold_until, now_ + 15 * 60'000);
  EXPECT_EQ(got->created_at, now_);
  EXPECT_FALSE(got->paid_at);
  EXPECT_FALSE(got->closed_at);
  auto by_source =
      Read<std::optional<Order>>([&](store::Tx& tx) { return repo::FindOrderBySource(tx, "consultation", 7); });
  ASSERT_TRUE(by_source.has_value());
  EXPECT_EQ(by_source->id, id);

  auto lines = Read<std::vector<Line>>([&](store::Tx& tx) { return repo::LinesOf(tx, id); });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].line_no, 1);
  EXPECT_EQ(lines[0].item_code, "consult.selfpay");
  EXPECT_EQ(lines[0].name, "互联网咨询费");
  EXPECT_EQ(lines[0].item_class, "none") << "the class comes from the item catalogue";
  EXPECT_EQ(lines[0].b_selfpay_bp, 0);
  EXPECT_EQ(lines[0].unit_fen, big);
  EXPECT_EQ(lines[0].quantity, 1);
  EXPECT_EQ(lines[0].amount_fen, big);

  // One order per priced thing: a second order for the same source is refused by the store.
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto r = repo::InsertOrder(tx, NewOrder(7, 100));
    if (!r) return r.error();
    return {};
  }));

  Split s;
  s.scheme = "employee";
  s.region_code = "110105";
  s.fund_fen = 1'234;
  s.personal_fen = 566;
  s.cash_fen = big - 1'800;
  s.deductible_used_fen = 300;
  s.lines.push_back(LineSplit{1, "互联网咨询费", big, 1'234, 566, big - 1'800, "deductible,ratio"});
  const std::int64_t sid = WriteR<std::int64_t>(
      [&](store::Tx& tx) { return repo::InsertSettlement(tx, id, s, std::nullopt, now_ + 5, 2026); });
  auto st = Read<std::optional<Settlement>>([&](store::Tx& tx) { return repo::SettlementOf(tx, id); });
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->id, sid);
  EXPECT_EQ(st->order_id, id);
  EXPECT_FALSE(st->policy_id);
  EXPECT_EQ(st->policy_version, 0);
  EXPECT_EQ(st->split.scheme, "employee");
  EXPECT_EQ(st->split.region_code, "110105");
  EXPECT_EQ(st->split.fund_fen, 1'234);
  EXPECT_EQ(st->split.personal_fen, 566);
  EXPECT_EQ(st->split.cash_fen, big - 1'800);
  EXPECT_EQ(st->split.total_fen, big);
  EXPECT_EQ(st->split.deductible_used_fen, 300);
  ASSERT_EQ(st->split.lines.size(), 1u);
  EXPECT_EQ(st->split.lines[0].cash_fen, big - 1'800);
  EXPECT_EQ(st->split.lines[0].rule, "deductible,ratio");
  EXPECT_EQ(st->settled_at, now_ + 5);
  EXPECT_FALSE(st->payment_id);
  // An order is settled at most once.
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto r = repo::InsertSettlement(tx, id, s, std::nullopt, now_ + 6, 2026);
    if (!r) return r.error();
    return {};
  }));
  auto use =
      Read<std::pair<std::int64_t, std::int64_t>>([&](store::Tx& tx) { return repo::YearUse(tx, patient_, 2026); });
  EXPECT_EQ(use.first, 300);
  EXPECT_EQ(use.second, 1'234);
}

TEST_P(BillingStoreTest, PaymentsAndRefundsReadBackEveryColumnAndChangeOnce) {
  const std::int64_t id = InsertOrder(NewOrder(8, kPrice));
  Payment p;
  p.order_id = id;
  p.provider = "test";
  p.out_trade_no = "IH-pay-1";
  p.amount_fen = kPrice;
  p.use_insurance = true;
  p.use_personal = false;
  p.created_at = now_;
  const std::int64_t pid = WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertPayment(tx, p); });
  auto pay = Read<std::optional<Payment>>([&](store::Tx& tx) { return repo::FindPaymentByTrade(tx, "IH-pay-1"); });
  ASSERT_TRUE(pay.has_value());
  EXPECT_EQ(pay->id, pid);
  EXPECT_EQ(pay->order_id, id);
  EXPECT_EQ(pay->provider, "test");
  EXPECT_EQ(pay->out_trade_no, "IH-pay-1");
  EXPECT_FALSE(pay->provider_txn);
  EXPECT_EQ(pay->amount_fen, kPrice);
  EXPECT_TRUE(pay->use_insurance);
  EXPECT_FALSE(pay->use_personal);
  EXPECT_EQ(pay->status, "created");
  EXPECT_EQ(pay->created_at, now_);
  EXPECT_FALSE(pay->succeeded_at);
  // Succeeds once; a second "succeeded" (another transaction id) changes nothing.
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::MarkPaymentSucceeded(tx, pid, "TXN-1", now_ + 10); }));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::MarkPaymentSucceeded(tx, pid, "TXN-2", now_ + 20); }));
  pay = Read<std::optional<Payment>>([&](store::Tx& tx) { return repo::LatestPayment(tx, id); });
  ASSERT_TRUE(pay.has_value());
  EXPECT_EQ(pay->status, "succeeded");
  EXPECT_EQ(pay->provider_txn, "TXN-1");
  EXPECT_EQ(pay->succeeded_at, now_ + 10);
  // The provider's transaction id applies to one payment only.
  Payment other = p;
  other.out_trade_no = "IH-pay-2";
  const std::int64_t pid2 = WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertPayment(tx, other); });
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto r = repo::MarkPaymentSucceeded(tx, pid2, "TXN-1", now_ + 30);
    if (!r) return r.error();
    return {};
  }));

  Refund r;
  r.order_id = id;
  r.reason = "admin_partial";
  r.amount_fen = 700;
  r.fund_fen = 100;
  r.personal_fen = 200;
  r.cash_fen = 400;
  r.status = "pending";
  r.created_at = now_ + 40;
  r.payment_id = pid;
  r.requested_by = admin_user_;
  const std::int64_t rid = WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertRefund(tx, r); });
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::SetRefundNo(tx, rid, "R-" + std::to_string(rid)); }));
  auto refunds = Read<std::vector<Refund>>([&](store::Tx& tx) { return repo::RefundsOf(tx, id); });
  ASSERT_EQ(refunds.size(), 1u);
  const Refund& f = refunds[0];
  EXPECT_EQ(f.id, rid);
  EXPECT_EQ(f.order_id, id);
  EXPECT_EQ(f.reason, "admin_partial");
  EXPECT_EQ(f.amount_fen, 700);
  EXPECT_EQ(f.fund_fen, 100);
  EXPECT_EQ(f.personal_fen, 200);
  EXPECT_EQ(f.cash_fen, 400);
  EXPECT_EQ(f.status, "pending");
  EXPECT_EQ(f.provider_refund_no, "R-" + std::to_string(rid));
  EXPECT_EQ(f.created_at, now_ + 40);
  EXPECT_FALSE(f.succeeded_at);
  EXPECT_EQ(f.payment_id, pid);
  EXPECT_EQ(f.requested_by, admin_user_) << "who asked for a refund is read back";
  EXPECT_EQ(Read<std::vector<Refund>>([](store::Tx& tx) { return repo::PendingRefunds(tx, 10); }).size(), 1u);
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::MarkRefundSucceeded(tx, rid, now_ + 50); }));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::MarkRefundSucceeded(tx, rid, now_ + 60); }));
  refunds = Read<std::vector<Refund>>([&](store::Tx& tx) { return repo::RefundsOf(tx, id); });
  EXPECT_EQ(refunds[0].succeeded_at, now_ + 50);
  EXPECT_TRUE(Read<std::vector<Refund>>([](store::Tx& tx) { return repo::PendingRefunds(tx, 10); }).empty());
  // Refunds never exceed what the order cost.
  ASSERT_TRUE(Write([&](store::Tx& tx) { return repo::AddRefunded(tx, id, kPrice); }));
  EXPECT_FALSE(Write([&](store::Tx& tx) { return repo::AddRefunded(tx, id, 1); }));
  // One source-ended refund per order.
  Refund ended = r;
  ended.reason = "patient_cancelled";
  ended.requested_by.reset();
  ASSERT_GT(WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertRefund(tx, ended); }), 0);
  EXPECT_TRUE(Read<bool>([&](store::Tx& tx) { return repo::HasSourceRefund(tx, id); }));
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto x = repo::InsertRefund(tx, ended);
    if (!x) return x.error();
    return {};
  }));
}

TEST_P(BillingStoreTest, LedgerOnlyGrowsAndReportsUnbalancedTransactions) {
  const std::int64_t id = InsertOrder(NewOrder(9, kPrice));
  auto post = [&](const std::vector<LedgerEntry>& e) {
    return WriteR<std::int64_t>([&](store::Tx& tx) { return repo::AppendLedger(tx, "payment", id, "ref", now_, e); });
  };
  const std::int64_t t1 = post({{"patient:1", -kPrice}, {"clearing:test", kPrice}});
  const std::int64_t t2 = post({{"patient:1", -kPrice}, {"clearing:test", kPrice}});
  EXPECT_NE(t1, t2) << "the same entries again are a new transaction, never merged into the first";
  EXPECT_EQ(Read<std::int64_t>([](store::Tx& tx) { return repo::AccountBalance(tx, "clearing:test"); }), 2 * kPrice);
  EXPECT_EQ(Read<std::int64_t>([](store::Tx& tx) { return repo::AccountBalance(tx, "patient:1"); }), -2 * kPrice);
  EXPECT_TRUE(Read<bool>([](store::Tx& tx) { return repo::AccountUsed(tx, "patient:1"); }));
  EXPECT_FALSE(Read<bool>([](store::Tx& tx) { return repo::AccountUsed(tx, "patient:2"); }));
  auto check = Read<LedgerCheck>([](store::Tx& tx) { return repo::CheckLedger(tx); });
  EXPECT_EQ(check.transactions, 2);
  EXPECT_EQ(check.unbalanced, 0);
  ASSERT_EQ(check.balances.size(), 2u);
  EXPECT_EQ(check.balances[0].account, "clearing:test");
  EXPECT_EQ(check.balances[0].balance_fen, 2 * kPrice);
  // A one-sided transaction is reported, not hidden.
  post({{"revenue", 1}});
  check = Read<LedgerCheck>([](store::Tx& tx) { return repo::CheckLedger(tx); });
  EXPECT_EQ(check.transactions, 3);
  EXPECT_EQ(check.unbalanced, 1);
  EXPECT_EQ(
      Read<std::int64_t>([&](store::Tx& tx) { return repo::AccountMovement(tx, "clearing:test", now_, now_ + 1); }),
      2 * kPrice);
  EXPECT_EQ(
      Read<std::int64_t>([&](store::Tx& tx) { return repo::AccountMovement(tx, "clearing:test", now_ + 1, now_ + 2); }),
      0);
  // An account appears once per transaction.
  EXPECT_FALSE(Write([&](store::Tx& tx) -> Status {
    auto r = repo::AppendLedger(tx, "payment", id, "dup", now_, {{"revenue", 5}, {"revenue", -5}});
    if (!r) return r.error();
    return {};
  }));
  EXPECT_EQ(Count("ledger_transactions"), 3) << "the refused append left nothing behind";
}

TEST_P(BillingStoreTest, IdempotencyKeysAreOnePerActorAndRollbackLeavesNothing) {
  ASSERT_TRUE(Write([&](store::Tx& tx) {
    return repo::InsertIdem(tx, patient_, "key-1", {"create_order", "h1", 42}, now_);
  }));
  auto row = Read<std::optional<repo::IdemRow>>([&](store::Tx& tx) { return repo::FindIdem(tx, patient_, "key-1"); });
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->operation, "create_order");
  EXPECT_EQ(row->request_hash, "h1");
  EXPECT_EQ(row->result_id, 42);
  EXPECT_FALSE(
      Read<std::optional<repo::IdemRow>>([&](store::Tx& tx) { return repo::FindIdem(tx, admin_user_, "key-1"); }));
  // The same key again for the same actor is refused; another actor may use it.
  EXPECT_FALSE(Write([&](store::Tx& tx) { return repo::InsertIdem(tx, patient_, "key-1", {"pay:1", "h2", 1}, now_); }));
  EXPECT_TRUE(Write([&](store::Tx& tx) {
    return repo::InsertIdem(tx, admin_user_, "key-1", {"pay:1", "h2", 1}, now_);
  }));

  // A transaction that fails after writing an order, its lines, a payment, a ledger transaction
  // and a key leaves none of them.
  const auto before_orders = Count("billing_orders");
  auto st = Write([&](store::Tx& tx) -> Status {
    auto id = repo::InsertOrder(tx, NewOrder(10, kPrice));
    if (!id) return id.error();
    Payment p;
    p.order_id = *id;
    p.provider = "test";
    p.out_trade_no = "IH-rollback";
    p.amount_fen = kPrice;
    p.created_at = now_;
    if (auto r = repo::InsertPayment(tx, p); !r) return r.error();
    if (auto r = repo::AppendLedger(tx, "payment", *id, "x", now_, {{"a", 1}, {"b", -1}}); !r) return r.error();
    if (auto r = repo::InsertIdem(tx, patient_, "key-2", {"create_order", "h", *id}, now_); !r) return r;
    return MakeError(Errc::conflict, "order_source_ended");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "order_source_ended");
  EXPECT_EQ(Count("billing_orders"), before_orders);
  EXPECT_EQ(Count("billing_order_lines"), 0);
  EXPECT_EQ(Count("billing_payments"), 0);
  EXPECT_EQ(Count("ledger_transactions"), 0);
  EXPECT_EQ(Count("ledger_entries"), 0);
  EXPECT_FALSE(
      Read<std::optional<repo::IdemRow>>([&](store::Tx& tx) { return repo::FindIdem(tx, patient_, "key-2"); }));
  EXPECT_FALSE(
      Read<std::optional<Order>>([](store::Tx& tx) { return repo::FindOrderBySource(tx, "consultation", 10); }));
}

TEST_P(BillingStoreTest, StaleStatusChangesAreRefusedAndOnlyOneConcurrentChangeWins) {
  const std::int64_t id = InsertOrder(NewOrder(11, kPrice));
  std::atomic<int> won{0}, lost{0};
  testing::RunTogether(6, [&](int i) {
    const std::string to = i % 2 ? "paid" : "expired";
    auto r = db_->With<bool>(store::TxMode::write, [&](store::Tx& tx) {
      return repo::SetOrderStatus(tx, id, {"pending", "paying"}, to, now_ + i);
    });
    ASSERT_TRUE(r) << r.error().code << " " << r.error().detail;
    (*r ? won : lost)++;
  });
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 5);
  auto o = Read<std::optional<Order>>([&](store::Tx& tx) { return repo::FindOrder(tx, id); });
  ASSERT_TRUE(o.has_value());
  ASSERT_TRUE(o->status == "paid" || o->status == "expired") << o->status;
  // Exactly one of paid_at / closed_at was stamped, by the one change that won.
  EXPECT_NE(o->paid_at.has_value(), o->closed_at.has_value());
  // From a final state nothing moves it back.
  EXPECT_FALSE(
      WriteR<bool>([&](store::Tx& tx) { return repo::SetOrderStatus(tx, id, {"pending"}, "paying", now_ + 9); }));
  EXPECT_FALSE(
      WriteR<bool>([&](store::Tx& tx) { return repo::SetOrderStatus(tx, 999'999, {"pending"}, "paid", now_); }));
  EXPECT_EQ(Read<std::optional<Order>>([&](store::Tx& tx) { return repo::FindOrder(tx, id); })->status, o->status);
}

TEST_P(BillingStoreTest, ConcurrentRetriesChargeAndRefundExactlyOnce) {
  auto made = svc_->CreateOrder(PatientP(), "consultation", 12, {"order-key", "h"});
  ASSERT_TRUE(made) << made.error().code;
  const std::int64_t id = made->first.id;
  EXPECT_EQ(made->first.total_fen, kPrice);

  // Six retries of one "pay" with one Idempotency-Key make one payment at the provider.
  std::mutex mu;
  std::set<std::string> trades;
  std::atomic<int> failed{0};
  testing::RunTogether(6, [&](int) {
    auto r = svc_->Pay(PatientP(), id, false, false, {"pay-key", "same-request"});
    if (!r || !r->payment) {
      ++failed;
      return;
    }
    std::lock_guard lock(mu);
    trades.insert(r->payment->out_trade_no);
  });
  EXPECT_EQ(failed.load(), 0);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(provider_.created(), trades);
  EXPECT_EQ(Count("billing_payments"), 1);
  const Payment pay = *Get(id).payment;

  // The provider delivers the notification eight times at once: applied once, settled once.
  std::atomic<int> accepted{0};
  testing::RunTogether(8, [&](int) {
    if (Notify(pay, "TXN-A")) ++accepted;
  });
  EXPECT_EQ(accepted.load(), 8) << "duplicates are acknowledged, not refused";
  Order paid = Get(id);
  EXPECT_EQ(paid.status, "paid");
  ASSERT_TRUE(paid.settlement);
  EXPECT_EQ(paid.settlement->payment_id, pay.id);
  EXPECT_EQ(paid.settlement->split.cash_fen, kPrice);
  EXPECT_TRUE(paid.receipt_number);
  EXPECT_EQ(
      Read<std::int64_t>([&](store::Tx& tx) { return repo::CountNotifications(tx, pay.out_trade_no, "applied"); }), 1);
  EXPECT_EQ(
      Read<std::int64_t>([&](store::Tx& tx) { return repo::CountNotifications(tx, pay.out_trade_no, "duplicate"); }),
      7);
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::AccountBalance(tx, "clearing:test"); }), 0)
      << "one payment in (+2500), one settlement out (-2500)";
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) { return repo::AccountBalance(tx, "revenue"); }), kPrice);

  // Five admins refund the whole order at once, each with a key of their own: one refund.
  std::atomic<int> refunded{0};
  std::mutex codes_mu;
  std::set<std::string> codes;
  testing::RunTogether(5, [&](int i) {
    auto r = svc_->AdminRefund(AdminP(), id, kPrice, "duplicate charge", {"refund-" + std::to_string(i), "h"});
    if (r) {
      ++refunded;
    } else {
      std::lock_guard lock(codes_mu);
      codes.insert(r.error().code);
    }
  });
  EXPECT_EQ(refunded.load(), 1);
  EXPECT_EQ(codes, std::set<std::string>{"order_not_refundable"});
  Order back = Get(id);
  EXPECT_EQ(back.status, "refunded");
  EXPECT_EQ(back.refunded_fen, kPrice);
  ASSERT_EQ(back.refunds.size(), 1u);
  EXPECT_EQ(back.refunds[0].amount_fen, kPrice);
  EXPECT_EQ(back.refunds[0].requested_by, admin_user_);
  auto check = Read<LedgerCheck>([](store::Tx& tx) { return repo::CheckLedger(tx); });
  EXPECT_EQ(check.unbalanced, 0);
  EXPECT_EQ(check.transactions, 3) << "payment, settlement, refund";
}

// A patient changes the payment method while paying: the first payment is closed and a second made.
// The provider then reports the first one paid after all (the patient paid it just before it was
// closed). That money goes back, and the order keeps waiting for the payment it now expects; when
// that one is paid the order is settled with it, not refunded.
TEST_P(BillingStoreTest, SupersededPaymentsLateNotificationLeavesTheCurrentPaymentInCharge) {
  auto made = svc_->CreateOrder(PatientP(), "consultation", 13, {});
  ASSERT_TRUE(made) << made.error().code;
  const std::int64_t id = made->first.id;
  auto first = svc_->Pay(PatientP(), id, false, false, {});
  ASSERT_TRUE(first) << first.error().code;
  ASSERT_TRUE(first->payment);
  const Payment p1 = *first->payment;
  auto second = svc_->Pay(PatientP(), id, true, false, {});
  ASSERT_TRUE(second) << second.error().code;
  ASSERT_TRUE(second->payment);
  const Payment p2 = *second->payment;
  ASSERT_NE(p1.id, p2.id);
  EXPECT_EQ(Read<std::optional<Payment>>([&](store::Tx& tx) { return repo::FindPayment(tx, p1.id); })->status,
            "closed");

  ASSERT_TRUE(Notify(p1, "TXN-OLD"));
  Order o = Get(id);
  EXPECT_EQ(o.status, "paying") << "a superseded payment does not reopen the order";
  ASSERT_EQ(o.refunds.size(), 1u);
  EXPECT_EQ(o.refunds[0].reason, "late_payment");
  EXPECT_EQ(o.refunds[0].payment_id, p1.id);
  EXPECT_EQ(o.refunds[0].cash_fen, kPrice);
  ASSERT_TRUE(o.payment);
  EXPECT_EQ(o.payment->id, p2.id);

  ASSERT_TRUE(Notify(p2, "TXN-NEW"));
  o = Get(id);
  EXPECT_EQ(o.status, "paid");
  ASSERT_TRUE(o.settlement);
  EXPECT_EQ(o.settlement->payment_id, p2.id);
  ASSERT_EQ(o.refunds.size(), 1u) << "the current payment is kept, only the superseded one goes back";
  EXPECT_EQ(o.refunds[0].payment_id, p1.id);
  EXPECT_EQ(Read<LedgerCheck>([](store::Tx& tx) { return repo::CheckLedger(tx); }).unbalanced, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BillingStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::billing
