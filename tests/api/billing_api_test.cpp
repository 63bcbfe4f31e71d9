// Payment and medical insurance through the real HTTP server, on SQLite and PostgreSQL. What a
// patient and an admin would notice: the split shown before paying, paying the cash part through the
// DEMO provider (whose signed notifications arrive late and twice), exactly one payment, settlement,
// receipt and ledger transaction whatever the retries, refunds back to where the money came from,
// and a ledger whose every transaction balances.
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "domain/billing/repository.hpp"
#include "harness.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest {
namespace api_billing_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

constexpr char kRegion[] = "420102";  // 武汉市江岸区

class BillingApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Init();
  }
  void Init() {
    admin_ = s().NewAdmin();
    doctor_ = s().NewPatient("王医生");
    practitioner_ = testing::InsertPractitioner(s().app().db(), doctor_.id).practitioner_id;  // 2,500 fen
    // The region's employee policy: no deductible, 甲 70%, 乙 60%, the personal account may pay.
    auto p = s().Post("/api/v1/billing/policies",
                      {{"region_code", kRegion},
                       {"scheme", "employee"},
                       {"deductible_fen", 0},
                       {"annual_cap_fen", 400000},
                       {"personal_account_pays", true},
                       {"ratios", json::array{{{"grade", "*"}, {"item_class", "A"}, {"ratio_bp", 7000}},
                                              {{"grade", "*"}, {"item_class", "B"}, {"ratio_bp", 6000}}}}},
                      admin_.token);
    ASSERT_EQ(p.status, 201) << p.body;
  }

  std::int64_t Count(const std::string& sql) {
    auto n = s().app().db().With<std::int64_t>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto rows = tx.Query(sql);
      if (!rows) return rows.error();
      return rows->front().Int(0);
    });
    EXPECT_TRUE(n);
    return n ? *n : -1;
  }

  std::int64_t Upload(const std::string& token) {
    std::string png("\x89PNG\r\n\x1a\n", 8);
    png.resize(256, 'x');
    auto r = s().Call(verb::post, "/api/v1/files", png, token, {{"Content-Type", "image/png"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  // A follow-up consultation with the offline record uploaded, waiting for the doctor.
  std::int64_t FollowUp(const TestServer::Account& patient) {
    json::object intake{{"chief_complaint", "糖尿病复诊"},
                        {"duration", "3年"},
                        {"symptoms", json::array{"口干"}},
                        {"history", "2型糖尿病"},
                        {"allergies", "无"},
                        {"medications", "二甲双胍"},
                        {"is_follow_up", true},
                        {"proof_upload_ids", json::array{Upload(patient.token)}}};
    auto r = s().Post("/api/v1/consultations",
                      {{"kind", "text"}, {"practitioner_id", practitioner_}, {"intake", intake}}, patient.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  TestServer::Account Insured(const std::string& name) {
    auto a = s().NewPatient(name);
    auto b = s().Call(verb::put, "/api/v1/billing/profile",
                      json::serialize(json::object{{"scheme", "employee"}, {"region_code", kRegion}}), a.token);
    EXPECT_EQ(b.status, 200) << b.body;
    return a;
  }

  Resp NewOrder(std::int64_t consultation, const std::string& token, const std::string& key = "") {
    std::map<std::string, std::string> h;
    if (!key.empty()) h["Idempotency-Key"] = key;
    return s().Call(verb::post, "/api/v1/billing/orders",
                    json::serialize(json::object{{"source_kind", "consultation"}, {"source_id", consultation}}), token,
                    h);
  }
  Resp Pay(std::int64_t order, const std::string& token, bool personal, const std::string& key = "") {
    std::map<std::string, std::string> h;
    if (!key.empty()) h["Idempotency-Key"] = key;
    return s().Call(verb::post, "/api/v1/billing/orders/" + std::to_string(order) + "/pay",
                    json::serialize(json::object{{"use_insurance", true}, {"use_personal_account", personal}}), token,
                    h);
  }
  json::object Order(std::int64_t id, const std::string& token) {
    auto r = s().Get("/api/v1/billing/orders/" + std::to_string(id), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  bool WaitStatus(std::int64_t id, const std::string& token, const std::string& status) {
    return WaitFor([&] { return Order(id, token).at("status").as_string() == status; });
  }

  // Pays an insured follow-up, the cash part on the DEMO provider's page. Returns the order id.
  std::int64_t PaidFollowUp(const TestServer::Account& patient, std::int64_t* consultation = nullptr) {
    const auto c = FollowUp(patient);
    if (consultation) *consultation = c;
    auto o = NewOrder(c, patient.token);
    EXPECT_EQ(o.status, 201) << o.body;
    const auto id = o.json().at("id").as_int64();
    auto paying = Pay(id, patient.token, /*personal=*/false);
    EXPECT_EQ(paying.status, 200) << paying.body;
    const std::string trade(paying.json().at("payment").at("out_trade_no").as_string());
    auto confirm = s().Post("/api/v1/demo-pay/" + trade + "/confirm", json::object{}, patient.token);
    EXPECT_EQ(confirm.status, 200) << confirm.body;
    EXPECT_TRUE(WaitStatus(id, patient.token, "paid"));
    return id;
  }

  TestServer::Account admin_;
  TestServer::Account doctor_;
  std::int64_t practitioner_ = 0;
};

TEST_P(BillingApiTest, PreSettlementShowsTheSplitPerLineBeforePaying) {
  auto p = Insured("刘患者");
  const auto c = FollowUp(p);
  auto o = NewOrder(c, p.token);
  ASSERT_EQ(o.status, 201) << o.body;
  EXPECT_EQ(o.json().at("total_fen").as_int64(), 2500);
  EXPECT_EQ(o.json().at("status").as_string(), "pending");
  EXPECT_TRUE(o.json().at("hold_seconds_left").is_null());  // a consultation holds no place
  const auto id = o.json().at("id").as_int64();
  auto pre = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/presettle",
                      {{"use_insurance", true}, {"use_personal_account", true}}, p.token);
  ASSERT_EQ(pre.status, 200) << pre.body;
  // 甲类 follow-up fee: the fund pays 70% (1,750), the personal account the rest (750), no cash.
  EXPECT_EQ(pre.json().at("fund_fen").as_int64(), 1750);
  EXPECT_EQ(pre.json().at("personal_fen").as_int64(), 750);
  EXPECT_EQ(pre.json().at("cash_fen").as_int64(), 0);
  EXPECT_NE(std::string(pre.json().at("lines").at(0).at("rule").as_string()).find("ratio"), std::string::npos);
  // Without the personal account the 750 is cash; without insurance everything is.
  auto cash = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/presettle",
                       {{"use_insurance", true}, {"use_personal_account", false}}, p.token);
  EXPECT_EQ(cash.json().at("cash_fen").as_int64(), 750);
  auto self = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/presettle",
                       {{"use_insurance", false}, {"use_personal_account", false}}, p.token);
  EXPECT_EQ(self.json().at("cash_fen").as_int64(), 2500);
  EXPECT_EQ(self.json().at("lines").at(0).at("rule").as_string(), "self_pay");
  // Nothing was stored by pre-settling.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_settlements"), 0);
  // Another patient cannot see the bill.
  auto other = s().NewPatient("旁人");
  EXPECT_EQ(s().Get("/api/v1/billing/orders/" + std::to_string(id), other.token).status, 404);
}

TEST_P(BillingApiTest, PersonalAccountCoversTheShareAndSettlesAtOnce) {
  auto p = Insured("陈患者");
  const auto c = FollowUp(p);
  const auto id = NewOrder(c, p.token).json().at("id").as_int64();
  auto paid = Pay(id, p.token, /*personal=*/true);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json().at("status").as_string(), "paid");
  EXPECT_EQ(paid.json().at("settlement").at("fund_fen").as_int64(), 1750);
  auto prof = s().Get("/api/v1/billing/profile", p.token);
  EXPECT_EQ(prof.json().at("personal_balance_fen").as_int64(), 50000 - 750);
  auto receipt = s().Get("/api/v1/billing/orders/" + std::to_string(id) + "/receipt", p.token);
  ASSERT_EQ(receipt.status, 200) << receipt.body;
  EXPECT_EQ(std::string(receipt.json().at("number").as_string()).rfind("IHOS-", 0), 0u);
}

TEST_P(BillingApiTest, CashThroughTheDemoProviderThenReceipt) {
  auto p = Insured("周患者");
  const auto id = PaidFollowUp(p);
  auto o = Order(id, p.token);
  EXPECT_EQ(o.at("settlement").at("cash_fen").as_int64(), 750);
  EXPECT_EQ(o.at("payment").at("status").as_string(), "succeeded");
  EXPECT_TRUE(o.at("payment").at("demo").as_bool());
  EXPECT_TRUE(o.contains("receipt_number"));
  auto ledger = s().Get("/api/v1/billing/ledger/check", admin_.token);
  ASSERT_EQ(ledger.status, 200);
  EXPECT_EQ(ledger.json().at("unbalanced").as_int64(), 0);
}

TEST_P(BillingApiTest, DuplicateAndForgedNotificationsChangeNothing) {
  auto p = Insured("吴患者");
  const auto id = PaidFollowUp(p);
  const std::string trade(Order(id, p.token).at("payment").at("out_trade_no").as_string());
  const auto txns = Count("SELECT COUNT(*) FROM ledger_transactions");
  auto t = s().app().db().With<domain::billing::repo::demo::Trade>(store::TxMode::read, [&](store::Tx& tx) {
    return domain::billing::repo::demo::FindTrade(tx, trade).value().value();
  });
  ASSERT_TRUE(t);
  for (int i = 0; i < 50; ++i) {
    auto [body, sig] = s().app().demo_pay().SignedNotification(*t);
    auto r = s().Call(verb::post, "/api/v1/billing/notify/demo", body, "", {{"X-Ihos-Signature", sig}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  auto [body, sig] = s().app().demo_pay().SignedNotification(*t);
  auto forged = s().Call(verb::post, "/api/v1/billing/notify/demo", body, "", {{"X-Ihos-Signature", sig + "0"}});
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(forged.json().at("code").as_string(), "bad_signature");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_settlements"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_receipts"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_payments WHERE status = 'succeeded'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions"), txns);
  EXPECT_GE(Count("SELECT COUNT(*) FROM billing_notifications WHERE outcome = 'duplicate'"), 50);
}

TEST_P(BillingApiTest, TwoHundredConcurrentPaysAndFiftyDuplicatesMakeOnePayment) {
  auto p = Insured("郑患者");
  const auto c = FollowUp(p);
  const auto id = NewOrder(c, p.token).json().at("id").as_int64();
  std::atomic<int> ok{0};
  std::set<std::string> trades;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto r = Pay(id, p.token, false, "pay-once-key");
        if (r.status != 200) continue;
        ++ok;
        std::lock_guard lock(mu);
        trades.insert(std::string(r.json().at("payment").at("out_trade_no").as_string()));
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(trades.size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_payments"), 1);
  const std::string trade = *trades.begin();
  ASSERT_EQ(s().Post("/api/v1/demo-pay/" + trade + "/confirm", json::object{}, p.token).status, 200);
  ASSERT_TRUE(WaitStatus(id, p.token, "paid"));
  auto t = s().app().db().With<domain::billing::repo::demo::Trade>(store::TxMode::read, [&](store::Tx& tx) {
    return domain::billing::repo::demo::FindTrade(tx, trade).value().value();
  });
  threads.clear();
  for (int i = 0; i < 50; ++i)
    threads.emplace_back([&] {
      auto [body, sig] = s().app().demo_pay().SignedNotification(*t);
      (void)s().Call(verb::post, "/api/v1/billing/notify/demo", body, "", {{"X-Ihos-Signature", sig}});
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_settlements"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_receipts"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'settlement'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payment'"), 1);
  // The same key with another request is refused.
  auto other = Pay(id, p.token, true, "pay-once-key");
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.json().at("code").as_string(), "idempotency_key_reused");
}

TEST_P(BillingApiTest, CancellingTheWaitingConsultationRefundsEachPartOnce) {
  auto p = Insured("孙患者");
  std::int64_t c = 0;
  const auto id = PaidFollowUp(p, &c);
  auto cancel = s().Post("/api/v1/consultations/" + std::to_string(c) + "/cancel", json::object{}, p.token);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  ASSERT_TRUE(WaitStatus(id, p.token, "refunded"));
  ASSERT_TRUE(WaitFor([&] {
    auto o = Order(id, p.token);
    const auto& r = o.at("refunds").as_array();
    return r.size() == 1 && r[0].at("status").as_string() == "succeeded";
  }));
  auto o = Order(id, p.token);
  const auto& r = o.at("refunds").at(0);
  EXPECT_EQ(r.at("reason").as_string(), "patient_cancelled");
  EXPECT_EQ(r.at("fund_fen").as_int64(), 1750);
  EXPECT_EQ(r.at("cash_fen").as_int64(), 750);
  EXPECT_EQ(o.at("refunded_fen").as_int64(), 2500);
  // The money is back where it came from: the patient's cash net zero, the fund whole.
  auto ledger = s().Get("/api/v1/billing/ledger/check", admin_.token).json();
  EXPECT_EQ(ledger.at("unbalanced").as_int64(), 0);
  for (const auto& b : ledger.at("balances").as_array()) {
    const std::string acc(b.at("account").as_string());
    if (acc == "patient:" + std::to_string(p.id) || acc == "fund:" + std::string(kRegion) ||
        acc.rfind("clearing:", 0) == 0) {
      EXPECT_EQ(b.at("balance_fen").as_int64(), 0) << acc;
    }
  }
  // Paying a cancelled consultation is refused.
  EXPECT_EQ(Pay(id, p.token, false).status, 409);
  // The day's statement lists the settlement and the refund and agrees with the ledger.
  auto rec = s().Get("/api/v1/billing/reconciliation?region_code=" + std::string(kRegion) +
                         "&date=" + CivilDateCst(s().clock().NowMs()),
                     admin_.token);
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_EQ(rec.json().at("settlements").as_array().size(), 1u);
  EXPECT_EQ(rec.json().at("refunds").as_array().size(), 1u);
  EXPECT_TRUE(rec.json().at("balanced").as_bool()) << rec.body;
}

TEST_P(BillingApiTest, AdminPartialRefundExactlyOnceAndNeverBeyondThePayment) {
  auto p = Insured("钱患者");
  const auto id = PaidFollowUp(p);
  const std::string path = "/api/v1/billing/orders/" + std::to_string(id) + "/refunds";
  const std::string body = json::serialize(json::object{{"amount_fen", 1000}, {"reason", "服务未完成部分"}});
  for (int i = 0; i < 3; ++i) {
    auto r = s().Call(verb::post, path, body, admin_.token, {{"Idempotency-Key", "refund-1"}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_refunds"), 1);
  auto too_much = s().Post(path, {{"amount_fen", 2000}, {"reason", "超额"}}, admin_.token);
  EXPECT_EQ(too_much.status, 409);
  EXPECT_EQ(too_much.json().at("code").as_string(), "refund_exceeds_payment");
  EXPECT_EQ(s().Post(path, {{"amount_fen", 100}, {"reason", "x"}}, p.token).status, 403);
  auto rest = s().Post(path, {{"amount_fen", 1500}, {"reason", "剩余全部"}}, admin_.token);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json().at("status").as_string(), "refunded");
  EXPECT_EQ(s().Get("/api/v1/billing/ledger/check", admin_.token).json().at("unbalanced").as_int64(), 0);
}

TEST_P(BillingApiTest, SelfPayPatientPaysEverythingAndPoliciesAreVersioned) {
  auto p = s().NewPatient("自费患者");
  const auto c = FollowUp(p);
  const auto id = NewOrder(c, p.token).json().at("id").as_int64();
  auto pre = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/presettle",
                      {{"use_insurance", true}, {"use_personal_account", true}}, p.token);
  EXPECT_EQ(pre.json().at("cash_fen").as_int64(), 2500);
  // A new version of the policy; the old one stays.
  auto v2 = s().Post("/api/v1/billing/policies",
                     {{"region_code", kRegion},
                      {"scheme", "employee"},
                      {"deductible_fen", 10000},
                      {"annual_cap_fen", 400000},
                      {"personal_account_pays", false},
                      {"ratios", json::array{{{"grade", "*"}, {"item_class", "A"}, {"ratio_bp", 8000}}}}},
                     admin_.token);
  ASSERT_EQ(v2.status, 201) << v2.body;
  EXPECT_EQ(v2.json().at("version").as_int64(), 2);
  auto hist =
      s().Get("/api/v1/billing/policies?region_code=" + std::string(kRegion) + "&scheme=employee", admin_.token);
  EXPECT_EQ(hist.json().at("items").as_array().size(), 2u);
  auto bad = s().Post("/api/v1/billing/policies",
                      {{"region_code", "999999"},
                       {"scheme", "employee"},
                       {"deductible_fen", 0},
                       {"annual_cap_fen", 0},
                       {"ratios", json::array{{{"grade", "*"}, {"item_class", "A"}, {"ratio_bp", 12000}}}}},
                      admin_.token);
  EXPECT_EQ(bad.status, 400);
  // Under version 2 the deductible (100 yuan) takes the whole 25-yuan fee: the insured pays it.
  auto q = Insured("新参保");
  const auto c2 = FollowUp(q);
  const auto id2 = NewOrder(c2, q.token).json().at("id").as_int64();
  auto pre2 = s().Post("/api/v1/billing/orders/" + std::to_string(id2) + "/presettle",
                       {{"use_insurance", true}, {"use_personal_account", true}}, q.token);
  EXPECT_EQ(pre2.json().at("fund_fen").as_int64(), 0);
  EXPECT_EQ(pre2.json().at("cash_fen").as_int64(), 2500);
  EXPECT_EQ(pre2.json().at("policy_version").as_int64(), 2);
  EXPECT_NE(std::string(pre2.json().at("lines").at(0).at("rule").as_string()).find("deductible"), std::string::npos);
}

// A bill that holds a place (a booked visit): unpaid past the hold it expires and the place is
// released; a payment the provider took before the end of the hold is applied, not expired.
TEST_P(BillingApiTest, UnpaidHoldReleasesThePlaceAndAPaymentTakenInTimeCounts) {
  app::Config quiet;
  quiet.billing_tick_ms = 0;  // the test drives the sweep and holds the notifications back
  server_.reset();
  server_ = std::make_unique<TestServer>(GetParam(), quiet);
  Init();
  auto& billing = s().app().billing();
  std::mutex mu;
  std::set<std::int64_t> released;
  std::int64_t patient_id = 0;
  domain::billing::Source held;
  held.quote = [&](store::Tx&, std::int64_t) -> Result<std::optional<domain::billing::Quote>> {
    domain::billing::Quote q;
    q.patient_id = patient_id;
    q.title = "号源";
    domain::billing::Line l;
    l.item_code = "visit.registration";
    l.name = "门诊诊查费";
    l.unit_fen = 5000;
    q.lines.push_back(l);
    return std::optional<domain::billing::Quote>(q);
  };
  held.release = [&](store::Tx&, std::int64_t id, std::int64_t) -> Status {
    std::lock_guard lock(mu);
    released.insert(id);
    return {};
  };
  billing.RegisterSource("held", held);
  auto p = Insured("号源患者");
  patient_id = p.id;
  Principal who;
  who.user_id = p.id;
  who.roles = {"patient"};

  // 1. Unpaid: expires after the hold, the place is released, the provider's trade closed.
  auto o1 = billing.CreateOrder(who, "held", 1, {});
  ASSERT_TRUE(o1);
  auto j1 = Order(o1->first.id, p.token);
  EXPECT_GT(j1.at("hold_seconds_left").as_int64(), 14 * 60);
  auto paying = billing.Pay(who, o1->first.id, true, false, {});
  ASSERT_TRUE(paying);
  ASSERT_EQ(paying->status, "paying");
  s().clock().Advance(16LL * 60 * 1000);
  ASSERT_TRUE(billing.Sweep());
  EXPECT_EQ(Order(o1->first.id, p.token).at("status").as_string(), "expired");
  EXPECT_EQ(released.count(1), 1u);
  auto late = s().Post("/api/v1/demo-pay/" + paying->payment->out_trade_no + "/confirm", json::object{}, p.token);
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.json().at("code").as_string(), "payment_closed");
  EXPECT_EQ(Pay(o1->first.id, p.token, false).status, 409);

  // 2. Paid at the provider before the hold ended, the notification not yet arrived: applied.
  auto o2 = billing.CreateOrder(who, "held", 2, {});
  ASSERT_TRUE(o2);
  auto paying2 = billing.Pay(who, o2->first.id, true, false, {});
  ASSERT_TRUE(paying2);
  ASSERT_EQ(s().Post("/api/v1/demo-pay/" + paying2->payment->out_trade_no + "/confirm", json::object{}, p.token).status,
            200);
  s().clock().Advance(16LL * 60 * 1000);
  ASSERT_TRUE(billing.Sweep());
  EXPECT_EQ(Order(o2->first.id, p.token).at("status").as_string(), "paid");
  EXPECT_EQ(released.count(2), 0u);

  // A consultation's bill holds no place: no countdown, still payable much later.
  const auto c = FollowUp(p);
  const auto id = NewOrder(c, p.token).json().at("id").as_int64();
  EXPECT_TRUE(Order(id, p.token).at("hold_seconds_left").is_null());
  s().clock().Advance(60LL * 60 * 1000);
  ASSERT_TRUE(billing.Sweep());
  EXPECT_EQ(Pay(id, p.token, true).json().at("status").as_string(), "paid");
  EXPECT_EQ(s().Get("/api/v1/billing/ledger/check", admin_.token).json().at("unbalanced").as_int64(), 0);
}

// Random sequences of orders, payments (with and without insurance and personal account, through the
// provider or settled at once), duplicated notifications, partial and full refunds and ended
// services: after every step each ledger transaction balances and every account agrees with what
// the bills say was paid and given back.
TEST_P(BillingApiTest, LedgerReconcilesOverRandomOperationSequences) {
  // The test drives the sweep and the notifications itself, so that every check sees a still ledger.
  app::Config quiet;
  quiet.billing_tick_ms = 0;
  server_.reset();
  server_ = std::make_unique<TestServer>(GetParam(), quiet);
  Init();
  auto& billing = s().app().billing();
  auto& demo = s().app().demo_pay();
  struct Thing {
    std::int64_t patient;
    std::vector<domain::billing::Line> lines;
    bool ended = false;
  };
  std::map<std::int64_t, Thing> things;
  std::mutex mu;
  domain::billing::Source src;
  src.quote = [&](store::Tx&, std::int64_t id) -> Result<std::optional<domain::billing::Quote>> {
    std::lock_guard lock(mu);
    auto it = things.find(id);
    if (it == things.end()) return std::optional<domain::billing::Quote>();
    domain::billing::Quote q;
    q.patient_id = it->second.patient;
    q.title = "test " + std::to_string(id);
    q.lines = it->second.lines;
    q.ended = it->second.ended;
    q.end_reason = "patient_cancelled";
    return std::optional<domain::billing::Quote>(q);
  };
  billing.RegisterSource("test", src);

  std::vector<TestServer::Account> patients = {Insured("患者甲"), Insured("患者乙"), s().NewPatient("患者丙")};
  auto who = [&](const TestServer::Account& a) {
    Principal p;
    p.user_id = a.id;
    p.roles = {"patient"};
    return p;
  };
  Principal admin;
  admin.user_id = admin_.id;
  admin.roles = {"admin"};
  std::mt19937_64 rng(GetParam() == store::Backend::sqlite ? 1 : 2);
  const char* items[] = {"consult.followup", "consult.selfpay", "nat.test", "delivery"};
  std::vector<std::pair<std::int64_t, std::size_t>> orders;  // order id, patient index

  auto check = [&](int step) {
    auto c = billing.CheckLedger(admin);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->unbalanced, 0) << "step " << step;
    std::map<std::string, std::int64_t> bal;
    for (const auto& b : c->balances) bal[b.account] = b.balance_fen;
    std::int64_t settled = 0, refunded = 0, fund = 0;
    std::map<std::int64_t, std::int64_t> cash, personal;
    for (auto [id, pi] : orders) {
      auto o = billing.GetOrder(admin, id);
      ASSERT_TRUE(o);
      if (!o->settlement) continue;
      const auto& sp = o->settlement->split;
      settled += sp.total_fen;
      fund -= sp.fund_fen;
      personal[o->patient_id] -= sp.personal_fen;
      cash[o->patient_id] -= sp.cash_fen;
      for (const auto& r : o->refunds) {
        if (r.reason == "late_payment") continue;
        refunded += r.amount_fen;
        fund += r.fund_fen;
        personal[o->patient_id] += r.personal_fen;
        if (r.status == "succeeded") cash[o->patient_id] += r.cash_fen;
      }
    }
    EXPECT_EQ(bal["revenue"], settled) << "step " << step;
    EXPECT_EQ(bal["refunds"], -refunded) << "step " << step;
    EXPECT_EQ(bal["fund:" + std::string(kRegion)], fund) << "step " << step;
    for (const auto& a : patients) {
      EXPECT_EQ(bal["patient:" + std::to_string(a.id)], cash[a.id]) << "step " << step;
      const std::int64_t opening = a.id == patients[2].id ? 0 : 50000;
      EXPECT_EQ(bal["personal:" + std::to_string(a.id)], opening + personal[a.id]) << "step " << step;
    }
  };

  std::int64_t next = 1;
  for (int step = 0; step < 300; ++step) {
    const int op = static_cast<int>(rng() % 6);
    if (op == 0 || orders.empty()) {
      const std::size_t pi = rng() % patients.size();
      Thing t{patients[pi].id, {}, false};
      for (int n = 1 + rng() % 3; n > 0; --n) {
        domain::billing::Line l;
        l.item_code = items[rng() % 4];
        l.name = l.item_code;
        l.unit_fen = 1 + static_cast<std::int64_t>(rng() % 20000);
        l.quantity = 1 + static_cast<int>(rng() % 3);
        t.lines.push_back(l);
      }
      const std::int64_t sid = next++;
      {
        std::lock_guard lock(mu);
        things[sid] = t;
      }
      auto o = billing.CreateOrder(who(patients[pi]), "test", sid, {});
      ASSERT_TRUE(o) << o.error().code;
      orders.push_back({o->first.id, pi});
    } else {
      auto [id, pi] = orders[rng() % orders.size()];
      auto o = billing.GetOrder(admin, id);
      ASSERT_TRUE(o);
      if (op <= 2 && (o->status == "pending" || o->status == "paying")) {
        auto paid = billing.Pay(who(patients[pi]), id, rng() % 2, rng() % 2, {});
        if (!paid) {
          // The service ended before it was paid: refused, nothing charged.
          ASSERT_EQ(paid.error().code, "order_source_ended");
        } else if (paid->status == "paying") {
          auto t = demo.Confirm(who(patients[pi]), paid->payment->out_trade_no);
          ASSERT_TRUE(t);
          for (int dup = 1 + rng() % 3; dup > 0; --dup) {
            auto [body, sig] = demo.SignedNotification(*t);
            (void)billing.HandleNotification(body, sig);
          }
        }
      } else if (op == 3 && o->status == "paid") {
        const std::int64_t left = o->total_fen - o->refunded_fen;
        const std::int64_t amount = rng() % 2 ? left : 1 + static_cast<std::int64_t>(rng() % left);
        auto r = billing.AdminRefund(admin, id, amount, "test", {});
        ASSERT_TRUE(r) << r.error().code;
      } else if (op == 4) {
        std::lock_guard lock(mu);
        things[o->source_id].ended = true;
      } else {
        ASSERT_TRUE(billing.Sweep());
      }
    }
    check(step);
  }
  ASSERT_TRUE(billing.Sweep());
  check(999);
  // The sequence did exercise every kind of movement.
  EXPECT_GE(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'settlement'"), 20);
  EXPECT_GE(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payment'"), 5);
  EXPECT_GE(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'refund'"), 5);
  EXPECT_GE(Count("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'refund_cash'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, BillingApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_billing_api_test
}  // namespace ihos::apitest
