// Drug orders at the counter and live, both backends: the batch scan at dispensing (every rule
// code of POST /drug-orders/{id}/batch-check and of dispense with batch_codes, each a problem+json
// in zh-CN and en, and the boxes scanned are the ones dispensed), and order changes pushed over the
// WebSocket to the patient (drug-order:<id>) and the pharmacy's console (pharmacy-orders:<id>), with
// access checked on subscribe.
#include "dispensing_fixture.hpp"
#include "ws_client.hpp"

namespace ihos::apitest {
namespace api_dispensing_live_batch_test {

constexpr double kLat = 30.6050, kLon = 114.2700;

std::string Code(const Resp& r) { return r.body.empty() ? "" : std::string(r.json().at("code").as_string()); }

class DispensingCounterTest : public DispensingApiTest {
 protected:
  // A received batch `batch` of `qty` boxes expiring on `expiry`.
  void Batch(std::int64_t pharmacy, std::int64_t item, const std::string& batch, const std::string& expiry,
             std::int64_t qty) {
    domain::pharmacy::Receipt r;
    r.formulary_item_id = item;
    r.batch_no = batch;
    r.expiry_date = expiry;
    r.quantity = qty;
    r.price_fen = 2000;
    auto st = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto m = s().app().pharmacy().ReceiveIn(tx, pharmacy, r, std::nullopt, s().clock().NowMs());
      if (!m) return m.error();
      return {};
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().code + " " + st.error().detail);
  }
  Resp Check(std::int64_t id, json::array codes, const std::string& token, bool partial = false) {
    json::object b{{"batch_codes", std::move(codes)}};
    if (partial) b["partial"] = true;
    return s().Post(OPath(id, "/batch-check"), b, token);
  }
  // The first subscription's answer: the backlog events, then "subscribed" (or an error frame).
  static std::optional<json::value> Subscribe(WsClient& c, const std::string& topic) {
    c.Send({{"type", "subscribe"}, {"ref", topic}, {"topic", topic}});
    for (;;) {
      auto f = c.Next();
      if (!f) return std::nullopt;
      const auto& type = f->at("type");
      if (type == "subscribed" || type == "error") return f;
    }
  }
  // The next drug_order event on `topic` whose status is `status`.
  static bool EventWith(WsClient& c, const std::string& topic, const std::string& status) {
    for (;;) {
      auto f = c.NextOf("event");
      if (!f) return false;
      if (f->at("topic").as_string() == topic && f->at("event").at("status").as_string() == status) return true;
    }
  }
};

TEST_P(DispensingCounterTest, BatchScanRefusesEachRuleAndDispensesTheBoxesScanned) {
  auto patient = Insured("扫码患者");
  auto ph = NewPharmacy("扫码药房", kLat, kLon, 0, 0);
  // Expired now: received a week before it expired (the ledger takes no expired box in).
  const auto now = s().clock().NowMs();
  s().clock().Set(945475200000);  // 1999-12-18
  Batch(ph, amlodipine_, "A-OLD", "2000-01-01", 2);
  s().clock().Set(now);
  Batch(ph, amlodipine_, "A-EARLY", "2098-06-30", 1);  // the earliest unexpired
  Batch(ph, amlodipine_, "A-LATE", "2099-12-31", 5);
  Batch(ph, atorvastatin_, "T-1", "2099-12-31", 5);  // not in the order
  auto counter = Staff(ph, "扫码店员", "counter");
  auto courier = Staff(ph, "扫码配送员", "courier");
  auto other_ph = NewPharmacy("别家药房", kLat + 0.01, kLon, 0, 0);
  auto stranger = Staff(other_ph, "别家店员", "counter");

  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  // Not accepted yet: nothing to scan.
  EXPECT_EQ(Code(Check(id, {"A-EARLY"}, counter.token)), "drug_order_wrong_status");
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  const auto on_hand = OnHand(ph, amlodipine_);

  struct Case {
    json::array codes;
    std::string rule;
  };
  const std::vector<Case> cases = {
      {{"NOPE-404"}, "batch_unknown"},
      {{"12345678901234567890"}, "trace_code_unresolved"},
      {{"T-1"}, "batch_wrong_drug"},
      {{"A-OLD"}, "batch_expired"},
      {{"A-LATE"}, "batch_not_fefo"},
      {{"A-EARLY", "A-EARLY"}, "batch_scan_extra"},
      {{}, "batch_scan_incomplete"},
  };
  for (const auto& c : cases) {
    auto r = Check(id, c.codes, counter.token);
    ASSERT_EQ(r.status, 409) << c.rule << " " << r.body;
    EXPECT_EQ(r.json().at("code").as_string(), c.rule) << r.body;
    EXPECT_EQ(r.json().at("type").as_string(), "https://ihos.dev/problems/" + c.rule);
    const auto& msg = r.json().at("message");
    EXPECT_FALSE(msg.at("zh-CN").as_string().empty());
    EXPECT_FALSE(msg.at("en").as_string().empty());
    EXPECT_NE(msg.at("en").as_string(), msg.at("zh-CN").as_string());
    ASSERT_FALSE(r.json().at("violations").as_array().empty()) << r.body;
    EXPECT_EQ(r.json().at("violations").as_array()[0].at("code").as_string(), c.rule);
    // The same codes at dispense are refused with the same rule, and nothing moves.
    auto d = s().Post(OPath(id, "/dispense"), {{"batch_codes", c.codes}}, counter.token);
    ASSERT_EQ(d.status, 409) << c.rule << " " << d.body;
    EXPECT_EQ(Code(d), c.rule);
  }
  // The message names what was scanned and the batch to take instead.
  auto fefo = s().Call(verb::post, OPath(id, "/batch-check"),
                       json::serialize(json::object{{"batch_codes", json::array{"A-LATE"}}}), counter.token,
                       {{"Content-Type", "application/json"}, {"Accept-Language", "en"}});
  ASSERT_EQ(fefo.status, 409);
  EXPECT_NE(fefo.json().at("title").as_string().find("A-EARLY"), std::string::npos) << fefo.body;
  // Every refused scan is listed, in scan order.
  auto many = Check(id, {"NOPE-404", "A-OLD", "A-EARLY"}, counter.token);
  ASSERT_EQ(many.status, 409);
  EXPECT_EQ(Code(many), "batch_unknown");
  ASSERT_EQ(many.json().at("violations").as_array().size(), 2u) << many.body;
  EXPECT_EQ(many.json().at("violations").as_array()[1].at("code").as_string(), "batch_expired");
  EXPECT_EQ(many.json().at("violations").as_array()[1].at("index"), "1");
  // A scan in progress: nothing scanned yet is not a refusal.
  auto progress = Check(id, {}, counter.token, true);
  ASSERT_EQ(progress.status, 200) << progress.body;
  EXPECT_EQ(progress.json().at("complete"), false);
  EXPECT_EQ(progress.json().at("items").as_array()[0].at("ordered"), 1);
  EXPECT_EQ(OnHand(ph, amlodipine_), on_hand);

  // Only counter staff of the order's pharmacy.
  EXPECT_EQ(Check(id, {"A-EARLY"}, stranger.token).status, 404);
  EXPECT_EQ(Check(id, {"A-EARLY"}, courier.token).status, 403);
  EXPECT_EQ(Check(id, {"A-EARLY"}, patient.token).status, 404);
  // Bad input is a field error, never a 500.
  auto bad = s().Post(OPath(id, "/batch-check"), {{"batch_codes", "A-EARLY"}}, counter.token);
  EXPECT_EQ(bad.status, 400) << bad.body;

  auto ok = Check(id, {" A-EARLY "}, counter.token);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("complete"), true);
  EXPECT_EQ(ok.json().at("scans").as_array()[0].at("batch_no"), "A-EARLY");
  auto done = s().Post(OPath(id, "/dispense"), {{"batch_codes", json::array{"A-EARLY"}}}, counter.token);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("status"), "dispensed");
  const auto& batches = done.json().at("batches").as_array();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].at("batch_no"), "A-EARLY");
  EXPECT_EQ(OnHand(ph, amlodipine_), on_hand - 1);
  EXPECT_EQ(Code(Check(id, {"A-EARLY"}, counter.token)), "drug_order_wrong_status");
}

TEST_P(DispensingCounterTest, OrderChangesArePushedToThePatientAndTheConsoleWithAccessChecked) {
  auto patient = Insured("实时患者");
  auto ph = NewPharmacy("实时药房", kLat, kLon, 0, 0);
  Stock(ph, amlodipine_, 5, 2000);
  auto counter = Staff(ph, "实时店员", "counter");
  auto other_ph = NewPharmacy("别家实时药房", kLat + 0.01, kLon, 0, 0);
  auto stranger_staff = Staff(other_ph, "别家实时店员", "counter");
  auto stranger = Insured("旁人");

  auto placed = Place(patient.token, Approved(patient.token), ph, "pickup");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  const std::string order_topic = "drug-order:" + std::to_string(id);
  const std::string console_topic = "pharmacy-orders:" + std::to_string(ph);

  WsClient mine(s().port());
  ASSERT_EQ(mine.Auth(patient.token)->at("type"), "ready");
  // Subscribing answers the order's state now (a page that reconnects starts from it).
  mine.Send({{"type", "subscribe"}, {"ref", "o"}, {"topic", order_topic}});
  auto first = mine.NextOf("event");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->at("event").at("status"), "placed");
  EXPECT_EQ(first->at("event").at("paid"), false);
  ASSERT_TRUE(mine.NextOf("subscribed"));

  WsClient console(s().port());
  ASSERT_EQ(console.Auth(counter.token)->at("type"), "ready");
  auto sub = Subscribe(console, console_topic);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->at("type"), "subscribed") << json::serialize(*sub);

  // Neither another patient nor another pharmacy's staff may follow them.
  WsClient nosy(s().port());
  ASSERT_EQ(nosy.Auth(stranger.token)->at("type"), "ready");
  auto refused = Subscribe(nosy, order_topic);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("type"), "error");
  EXPECT_EQ(refused->at("problem").at("code"), "not_found");
  WsClient other(s().port());
  ASSERT_EQ(other.Auth(stranger_staff.token)->at("type"), "ready");
  for (const auto& t : {console_topic, order_topic, std::string("pharmacy-orders:x"), std::string("drug-order:0")}) {
    auto r = Subscribe(other, t);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at("type"), "error") << t;
  }
  auto patient_on_console = Subscribe(mine, console_topic);
  ASSERT_TRUE(patient_on_console);
  EXPECT_EQ(patient_on_console->at("type"), "error");

  // Billing's change (paid) reaches both, then every step of the pharmacy.
  PayBill(id, patient.token);
  ASSERT_TRUE(EventWith(mine, order_topic, "placed"));  // paid now
  ASSERT_TRUE(EventWith(console, console_topic, "placed"));
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  ASSERT_TRUE(EventWith(mine, order_topic, "accepted"));
  ASSERT_TRUE(EventWith(console, console_topic, "accepted"));
  ASSERT_EQ(s().Post(OPath(id, "/dispense"), json::object{}, counter.token).status, 200);
  ASSERT_TRUE(EventWith(mine, order_topic, "dispensed"));
  ASSERT_TRUE(EventWith(console, console_topic, "dispensed"));
  // The other pharmacy's staff heard nothing of it.
  EXPECT_FALSE(other.NextOf("event", std::chrono::milliseconds(300)));
}

INSTANTIATE_TEST_SUITE_P(Backends, DispensingCounterTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_dispensing_live_batch_test
}  // namespace ihos::apitest
