// Every priced service payable, through the real HTTP server on SQLite and PostgreSQL: a
// nucleic-acid test at a priced site is not sampled before it is paid (nat_payment_required), a
// priced home-nursing order is not shown to nurses nor taken before it is paid
// (homecare_payment_required), a free site and a zero price stay free (no bill), cancelling a paid
// one refunds it exactly once; the hospital's grade decides the insurance ratio; the insurance
// adapter is asked to settle and to reverse exactly the insured parts.
#include <boost/json.hpp>
#include <mutex>

#include "core/civil_time.hpp"
#include "domain/billing/insurance.hpp"
#include "harness.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest {
namespace api_billing_sources_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

class BillingSourcesApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    admin_ = s().NewAdmin();
    lab_ = Staff("测试检验", "lab");
    nurse_ = Staff("测试护士", "nurse");
    auto area = s().Call(verb::put, "/api/v1/me/homecare/areas",
                         json::serialize(json::object{{"region_codes", json::array{"110000"}}}), nurse_.token);
    ASSERT_EQ(area.status, 200) << area.body;
  }
  TestServer::Account Staff(const std::string& name, const char* role) {
    auto a = s().NewPatient(name);
    auto r = s().Post("/api/v1/admin/users/" + std::to_string(a.id) + "/roles", {{"role", role}}, admin_.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return a;
  }
  std::string Tomorrow() { return AddDays(CivilDateCst(s().clock().NowMs()), 1); }

  // A site priced `price_fen` with one window tomorrow 08:00-09:00; returns the slot id.
  std::int64_t SlotAt(std::int64_t price_fen) {
    auto site = s().Post("/api/v1/nat/sites",
                         {{"name", "收费采样点"},
                          {"kind", "hospital"},
                          {"region_code", "110101"},
                          {"address", "东城区测试路 2 号"},
                          {"price_fen", price_fen}},
                         admin_.token);
    EXPECT_EQ(site.status, 201) << site.body;
    EXPECT_EQ(site.json().at("price_fen").as_int64(), price_fen);
    const auto id = site.json().at("id").as_int64();
    auto slots = s().Post("/api/v1/nat/sites/" + std::to_string(id) + "/slots",
                          {{"from_date", Tomorrow()},
                           {"days", 1},
                           {"start_time", "08:00"},
                           {"end_time", "09:00"},
                           {"window_minutes", 60},
                           {"capacity", 10}},
                          admin_.token);
    EXPECT_EQ(slots.status, 201) << slots.body;
    auto day = s().Get("/api/v1/nat/sites/" + std::to_string(id) + "/slots?date=" + Tomorrow(), admin_.token);
    return day.json().at("items").at(0).at("id").as_int64();
  }
  // Books the slot; returns {booking id, sample number}.
  std::pair<std::int64_t, std::string> BookTest(std::int64_t slot, const TestServer::Account& p) {
    auto b = s().Post("/api/v1/nat/bookings", {{"slot_id", slot}}, p.token);
    EXPECT_EQ(b.status, 201) << b.body;
    return {b.json().at("id").as_int64(), std::string(b.json().at("sample_no").as_string())};
  }
  Resp Collect(const std::string& sample) {
    return s().Post("/api/v1/nat/samples/" + sample + "/collect", json::object{}, lab_.token);
  }
  Resp CareOrder(const TestServer::Account& p, const std::string& service = "injection") {
    return s().Post("/api/v1/homecare/orders",
                    {{"service_code", service},
                     {"region_code", "110105"},
                     {"address", "朝阳区测试小区 5 号楼 202"},
                     {"date", Tomorrow()},
                     {"start_time", "09:00"},
                     {"end_time", "10:00"}},
                    p.token);
  }
  bool OnBoard(std::int64_t order) {
    auto r = s().Get("/api/v1/homecare/board", nurse_.token);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& o : r.json().at("open").as_array())
      if (o.at("id").as_int64() == order) return true;
    return false;
  }

  // A paid consultation of an insured employee (fund 70%, 1,750; personal account 750; nothing in
  // cash) through the insurance adapter set (its name must be "recording"). `id`: the order.
  void PaidInsuredConsultation(TestServer::Account& p, std::int64_t& cid, std::int64_t& id) {
    constexpr char kRegion[] = "420102";
    auto pol = s().Post("/api/v1/billing/policies",
                        {{"region_code", kRegion},
                         {"scheme", "employee"},
                         {"deductible_fen", 0},
                         {"annual_cap_fen", 400000},
                         {"personal_account_pays", true},
                         {"ratios", json::array{{{"grade", "*"}, {"item_class", "A"}, {"ratio_bp", 7000}}}}},
                        admin_.token);
    ASSERT_EQ(pol.status, 201) << pol.body;
    auto doctor = s().NewPatient("医保医生");
    const auto practitioner = testing::InsertPractitioner(s().app().db(), doctor.id).practitioner_id;  // 2,500
    p = s().NewPatient("医保患者");
    auto bound = s().Call(verb::put, "/api/v1/billing/profile",
                          json::serialize(json::object{{"scheme", "employee"}, {"region_code", kRegion}}), p.token);
    ASSERT_EQ(bound.status, 200) << bound.body;
    EXPECT_EQ(bound.json().at("adapter").as_string(), "recording");
    EXPECT_EQ(bound.json().at("personal_balance_fen").as_int64(), 50000);
    std::string png("\x89PNG\r\n\x1a\n", 8);
    png.resize(256, 'x');
    auto up = s().Call(verb::post, "/api/v1/files", png, p.token, {{"Content-Type", "image/png"}});
    ASSERT_EQ(up.status, 201) << up.body;
    auto c = s().Post("/api/v1/consultations",
                      {{"kind", "text"},
                       {"practitioner_id", practitioner},
                       {"intake",
                        {{"chief_complaint", "糖尿病复诊"},
                         {"duration", "3年"},
                         {"symptoms", json::array{"口干"}},
                         {"history", "2型糖尿病"},
                         {"allergies", "无"},
                         {"medications", "二甲双胍"},
                         {"is_follow_up", true},
                         {"proof_upload_ids", json::array{up.json().at("id").as_int64()}}}}},
                      p.token);
    ASSERT_EQ(c.status, 201) << c.body;
    cid = c.json().at("id").as_int64();
    auto o = NewOrder("consultation", cid, p.token);
    ASSERT_EQ(o.status, 201) << o.body;
    // Fund 70% (1,750), the personal account the rest (750): settled at once, nothing in cash.
    auto paid = s().Post("/api/v1/billing/orders/" + std::to_string(o.json().at("id").as_int64()) + "/pay",
                         {{"use_insurance", true}, {"use_personal_account", true}}, p.token);
    ASSERT_EQ(paid.status, 200) << paid.body;
    ASSERT_EQ(paid.json().at("status").as_string(), "paid");
    id = o.json().at("id").as_int64();
  }
  Resp NewOrder(const std::string& kind, std::int64_t source, const std::string& token) {
    return s().Post("/api/v1/billing/orders", {{"source_kind", kind}, {"source_id", source}}, token);
  }
  json::object Bill(std::int64_t id, const std::string& token) {
    auto r = s().Get("/api/v1/billing/orders/" + std::to_string(id), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  // Makes the bill of the thing and pays it in cash on the DEMO provider's page; returns its id.
  std::int64_t PayFor(const std::string& kind, std::int64_t source, const TestServer::Account& p) {
    auto o = NewOrder(kind, source, p.token);
    EXPECT_EQ(o.status, 201) << o.body;
    const auto id = o.json().at("id").as_int64();
    EXPECT_TRUE(o.json().at("hold_seconds_left").is_null());  // holds no place
    auto paying = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/pay",
                           {{"use_insurance", true}, {"use_personal_account", false}}, p.token);
    EXPECT_EQ(paying.status, 200) << paying.body;
    const std::string trade(paying.json().at("payment").at("out_trade_no").as_string());
    auto confirm = s().Post("/api/v1/demo-pay/" + trade + "/confirm", json::object{}, p.token);
    EXPECT_EQ(confirm.status, 200) << confirm.body;
    EXPECT_TRUE(WaitFor([&] { return Bill(id, p.token).at("status").as_string() == "paid"; }));
    return id;
  }
  // Waits until the bill is refunded in full, the cash part confirmed; checks there is one refund.
  void ExpectRefundedOnce(std::int64_t id, const std::string& token, std::int64_t total) {
    ASSERT_TRUE(WaitFor([&] {
      auto o = Bill(id, token);
      const auto& r = o.at("refunds").as_array();
      return o.at("status").as_string() == "refunded" && r.size() == 1 && r[0].at("status").as_string() == "succeeded";
    }));
    auto o = Bill(id, token);
    EXPECT_EQ(o.at("refunded_fen").as_int64(), total);
    EXPECT_EQ(o.at("refunds").at(0).at("reason").as_string(), "patient_cancelled");
    // More sweeps refund nothing more.
    ASSERT_TRUE(s().app().billing().Sweep());
    EXPECT_EQ(Bill(id, token).at("refunds").as_array().size(), 1u);
  }

  TestServer::Account admin_, lab_, nurse_;
};

TEST_P(BillingSourcesApiTest, APricedTestIsSampledOnlyOncePaid) {
  auto p = s().NewPatient("核酸患者");
  const auto [booking, sample] = BookTest(SlotAt(1600), p);
  s().clock().Set(CstMs(Tomorrow(), 8 * 60 + 10));
  auto early = Collect(sample);
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json().at("code").as_string(), "nat_payment_required");
  // The bill: one 乙 line (nat.test) of the site's price, nobody else's to make.
  auto other = s().NewPatient("别人");
  EXPECT_EQ(NewOrder("nat_booking", booking, other.token).status, 404);
  const auto id = PayFor("nat_booking", booking, p);
  auto bill = Bill(id, p.token);
  EXPECT_EQ(bill.at("total_fen").as_int64(), 1600);
  EXPECT_EQ(bill.at("lines").at(0).at("item_code").as_string(), "nat.test");
  EXPECT_EQ(bill.at("lines").at(0).at("item_class").as_string(), "B");
  auto collected = Collect(sample);
  ASSERT_EQ(collected.status, 200) << collected.body;
  EXPECT_EQ(collected.json().at("status").as_string(), "collected");
}

TEST_P(BillingSourcesApiTest, AFreeSiteHasNoBillAndIsSampledAtOnce) {
  auto p = s().NewPatient("免费核酸");
  const auto [booking, sample] = BookTest(SlotAt(0), p);
  auto o = NewOrder("nat_booking", booking, p.token);
  ASSERT_EQ(o.status, 409) << o.body;
  EXPECT_EQ(o.json().at("code").as_string(), "order_free");
  s().clock().Set(CstMs(Tomorrow(), 8 * 60 + 10));
  EXPECT_EQ(Collect(sample).status, 200);
}

TEST_P(BillingSourcesApiTest, CancellingAPaidTestRefundsItOnce) {
  auto p = s().NewPatient("退检患者");
  const auto [booking, sample] = BookTest(SlotAt(1600), p);
  const auto id = PayFor("nat_booking", booking, p);
  auto cancel = s().Post("/api/v1/nat/bookings/" + std::to_string(booking) + "/cancel", json::object{}, p.token);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  ExpectRefundedOnce(id, p.token, 1600);
  // An ended test cannot be paid again.
  auto again = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/pay",
                        {{"use_insurance", true}, {"use_personal_account", false}}, p.token);
  EXPECT_EQ(again.status, 409);
}

TEST_P(BillingSourcesApiTest, APricedHomeNurseIsDispatchedOnlyOncePaid) {
  auto p = s().NewPatient("护理患者");
  auto placed = CareOrder(p);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto order = placed.json().at("id").as_int64();
  const auto price = placed.json().at("price_fen").as_int64();
  ASSERT_GT(price, 0);
  EXPECT_FALSE(OnBoard(order)) << "an unpaid order is not offered to nurses";
  auto early = s().Post("/api/v1/homecare/orders/" + std::to_string(order) + "/accept", json::object{}, nurse_.token);
  ASSERT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json().at("code").as_string(), "homecare_payment_required");
  const auto id = PayFor("homecare_order", order, p);
  auto bill = Bill(id, p.token);
  EXPECT_EQ(bill.at("total_fen").as_int64(), price);
  EXPECT_EQ(bill.at("lines").at(0).at("item_code").as_string(), "homecare.service");
  EXPECT_EQ(bill.at("lines").at(0).at("item_class").as_string(), "none");  // 自费
  EXPECT_TRUE(OnBoard(order));
  auto accepted =
      s().Post("/api/v1/homecare/orders/" + std::to_string(order) + "/accept", json::object{}, nurse_.token);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  // Cancelled after acceptance (with a reason): the whole price back, once.
  auto cancel =
      s().Post("/api/v1/homecare/orders/" + std::to_string(order) + "/cancel", {{"reason", "家人已陪同就医"}}, p.token);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  ExpectRefundedOnce(id, p.token, price);
}

TEST_P(BillingSourcesApiTest, AZeroPricedServiceIsExplicitlyFree) {
  auto put = s().Call(verb::put, "/api/v1/homecare/services/injection", json::serialize(json::object{{"price_fen", 0}}),
                      admin_.token);
  ASSERT_EQ(put.status, 200) << put.body;
  auto p = s().NewPatient("义务护理");
  auto placed = CareOrder(p);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto order = placed.json().at("id").as_int64();
  EXPECT_EQ(NewOrder("homecare_order", order, p.token).json().at("code").as_string(), "order_free");
  EXPECT_TRUE(OnBoard(order));
  EXPECT_EQ(
      s().Post("/api/v1/homecare/orders/" + std::to_string(order) + "/accept", json::object{}, nurse_.token).status,
      200);
}

TEST_P(BillingSourcesApiTest, TheHospitalGradeDecidesTheRatio) {
  // The region pays 70% of 甲 items at any grade but 90% at a 三级甲等 hospital (the fixture's).
  constexpr char kRegion[] = "420102";
  auto pol = s().Post("/api/v1/billing/policies",
                      {{"region_code", kRegion},
                       {"scheme", "employee"},
                       {"deductible_fen", 0},
                       {"annual_cap_fen", 400000},
                       {"personal_account_pays", false},
                       {"ratios", json::array{{{"grade", "*"}, {"item_class", "A"}, {"ratio_bp", 7000}},
                                              {{"grade", "3A"}, {"item_class", "A"}, {"ratio_bp", 9000}}}}},
                      admin_.token);
  ASSERT_EQ(pol.status, 201) << pol.body;
  auto doctor = s().NewPatient("等级医生");
  const auto practitioner = testing::InsertPractitioner(s().app().db(), doctor.id).practitioner_id;  // 3A, 2,500
  auto p = s().NewPatient("等级患者");
  ASSERT_EQ(s().Call(verb::put, "/api/v1/billing/profile",
                     json::serialize(json::object{{"scheme", "employee"}, {"region_code", kRegion}}), p.token)
                .status,
            200);
  // A follow-up claimed with the offline record uploaded is 甲 (consult.followup).
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png.resize(256, 'x');
  auto up = s().Call(verb::post, "/api/v1/files", png, p.token, {{"Content-Type", "image/png"}});
  ASSERT_EQ(up.status, 201) << up.body;
  auto c = s().Post("/api/v1/consultations",
                    {{"kind", "text"},
                     {"practitioner_id", practitioner},
                     {"intake",
                      {{"chief_complaint", "高血压复诊"},
                       {"duration", "2年"},
                       {"symptoms", json::array{"头晕"}},
                       {"history", "高血压"},
                       {"allergies", "无"},
                       {"medications", "氨氯地平"},
                       {"is_follow_up", true},
                       {"proof_upload_ids", json::array{up.json().at("id").as_int64()}}}}},
                    p.token);
  ASSERT_EQ(c.status, 201) << c.body;
  const auto cid = c.json().at("id").as_int64();
  auto o = NewOrder("consultation", cid, p.token);
  ASSERT_EQ(o.status, 201) << o.body;
  EXPECT_EQ(o.json().at("hospital_grade").as_string(), "3A");
  const auto id = o.json().at("id").as_int64();
  auto split = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/presettle",
                        {{"use_insurance", true}, {"use_personal_account", false}}, p.token);
  ASSERT_EQ(split.status, 200) << split.body;
  EXPECT_EQ(split.json().at("fund_fen").as_int64(), 2250) << split.body;  // 90% of 2,500, not 70% (1,750)
  EXPECT_EQ(split.json().at("cash_fen").as_int64(), 250);
}

// An adapter that records what billing asks of the 医保 platform (the DEMO adapter's answers).
class RecordingInsurance : public domain::billing::DemoInsurance {
 public:
  struct Call {
    std::string what;
    std::int64_t order_id, fund_fen, personal_fen;
    std::string ref;
  };
  std::string name() const override { return "recording"; }
  Result<std::string> Settle(const domain::billing::InsuranceClaim& c, const domain::billing::Split& s) override {
    std::lock_guard l(mu_);
    calls_.push_back({"settle", c.order_id, s.fund_fen, s.personal_fen, ""});
    return DemoInsurance::Settle(c, s);
  }
  Status Cancel(const domain::billing::InsuranceClaim& c, const std::string& ref, std::int64_t fund,
                std::int64_t personal) override {
    std::lock_guard l(mu_);
    calls_.push_back({"cancel", c.order_id, fund, personal, ref});
    // The platform reversed, but its answer was lost: billing's transaction rolls back.
    if (lose_answer_of_order_ == c.order_id) {
      lose_answer_of_order_ = 0;
      return MakeError(Errc::unavailable, "insurance_unavailable");
    }
    return DemoInsurance::Cancel(c, ref, fund, personal);
  }
  std::vector<Call> Calls() {
    std::lock_guard l(mu_);
    return calls_;
  }
  // The next Cancel for the order answers an error after recording it.
  void LoseNextCancelAnswer(std::int64_t order_id) {
    std::lock_guard l(mu_);
    lose_answer_of_order_ = order_id;
  }

 private:
  std::mutex mu_;
  std::vector<Call> calls_;
  std::int64_t lose_answer_of_order_ = 0;
};

TEST_P(BillingSourcesApiTest, TheInsuranceAdapterSettlesAndReversesExactlyTheInsuredParts) {
  static RecordingInsurance recorder;  // outlives every server of this process
  const std::size_t before = recorder.Calls().size();
  s().app().billing().SetInsuranceAdapter(recorder);
  TestServer::Account p;
  std::int64_t cid = 0;
  std::int64_t id = 0;
  PaidInsuredConsultation(p, cid, id);
  ASSERT_GT(id, 0);
  auto cancel = s().Post("/api/v1/consultations/" + std::to_string(cid) + "/cancel", json::object{}, p.token);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  ExpectRefundedOnce(id, p.token, 2500);
  std::vector<RecordingInsurance::Call> mine;  // this server's calls for the order
  const auto calls = recorder.Calls();
  for (std::size_t i = before; i < calls.size(); ++i)
    if (calls[i].order_id == id) mine.push_back(calls[i]);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].what, "settle");
  EXPECT_EQ(mine[0].fund_fen, 1750);
  EXPECT_EQ(mine[0].personal_fen, 750);
  EXPECT_EQ(mine[1].what, "cancel");
  EXPECT_EQ(mine[1].fund_fen, 1750);
  EXPECT_EQ(mine[1].personal_fen, 750);
}

// A refund whose transaction rolls back after the platform reversed (its answer lost) is asked
// again under the same reference, so an idempotent platform reverses once; the next refund of the
// order has its own.
TEST_P(BillingSourcesApiTest, ARetriedRefundAsksThePlatformUnderTheSameReference) {
  static RecordingInsurance recorder;  // outlives every server of this process
  const std::size_t before = recorder.Calls().size();
  s().app().billing().SetInsuranceAdapter(recorder);
  TestServer::Account p;
  std::int64_t cid = 0, id = 0;
  PaidInsuredConsultation(p, cid, id);
  ASSERT_GT(id, 0);
  const std::string path = "/api/v1/billing/orders/" + std::to_string(id) + "/refunds";
  recorder.LoseNextCancelAnswer(id);
  auto lost = s().Post(path, {{"amount_fen", 1000}, {"reason", "部分退费"}}, admin_.token);
  EXPECT_EQ(lost.status, 503) << lost.body;
  EXPECT_EQ(Bill(id, p.token).at("refunded_fen").as_int64(), 0);
  auto again = s().Post(path, {{"amount_fen", 1000}, {"reason", "部分退费"}}, admin_.token);
  ASSERT_EQ(again.status, 200) << again.body;
  auto rest = s().Post(path, {{"amount_fen", 1500}, {"reason", "全部退费"}}, admin_.token);
  ASSERT_EQ(rest.status, 200) << rest.body;
  std::vector<std::string> refs;
  const auto calls = recorder.Calls();
  for (std::size_t i = before; i < calls.size(); ++i)
    if (calls[i].order_id == id && calls[i].what == "cancel") refs.push_back(calls[i].ref);
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0], refs[1]);
  EXPECT_NE(refs[1], refs[2]);
  EXPECT_EQ(refs[0], "order:" + std::to_string(id) + ":refund:1");
  EXPECT_EQ(refs[2], "order:" + std::to_string(id) + ":refund:2");
}

INSTANTIATE_TEST_SUITE_P(Backends, BillingSourcesApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_billing_sources_api_test
}  // namespace ihos::apitest
