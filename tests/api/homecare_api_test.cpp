// Home services (home nurse, escort) through the HTTP API on both backends: the catalogue,
// ordering, the nurse's area, accept (one nurse wins, also concurrently), arrive, complete, the
// patient's timeline and notices, cancellation rules and bad input.
#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "api/harness.hpp"
#include "core/civil_time.hpp"

namespace ihos::apitest {
namespace api_homecare_api_test {
namespace json = boost::json;

class HomeCareApiTest : public ApiTest {
 protected:
  struct Staff {
    TestServer::Account admin, nurse, nurse2, far_nurse;
  };
  Staff MakeStaff() {
    Staff st{s().NewAdmin(), s().NewPatient("护士甲"), s().NewPatient("护士乙"), s().NewPatient("护士丙")};
    for (const auto* a : {&st.nurse, &st.nurse2, &st.far_nurse}) {
      auto r = s().Post("/api/v1/admin/users/" + std::to_string(a->id) + "/roles", {{"role", "nurse"}}, st.admin.token);
      EXPECT_EQ(r.status, 200) << r.body;
    }
    EXPECT_EQ(SetAreas(st.nurse, {"110000"}).status, 200);
    EXPECT_EQ(SetAreas(st.nurse2, {"110105"}).status, 200);
    EXPECT_EQ(SetAreas(st.far_nurse, {"310000", "440106"}).status, 200);
    return st;
  }
  Resp SetAreas(const TestServer::Account& a, std::vector<std::string> codes) {
    json::array arr;
    for (auto& c : codes) arr.push_back(json::value(c));
    return s().Call(boost::beast::http::verb::put, "/api/v1/me/homecare/areas",
                    json::serialize(json::object{{"region_codes", arr}}), a.token);
  }
  std::string Tomorrow() { return AddDays(CivilDateCst(s().clock().NowMs()), 1); }
  Resp Order(const std::string& token, const std::string& service = "injection", const std::string& region = "110105") {
    return s().Post("/api/v1/homecare/orders",
                    {{"service_code", service},
                     {"region_code", region},
                     {"address", "朝阳区测试小区 5 号楼 202"},
                     {"date", Tomorrow()},
                     {"start_time", "09:00"},
                     {"end_time", "10:00"},
                     {"note", "胰岛素注射"}},
                    token);
  }
  Resp Act(std::int64_t id, const std::string& what, const std::string& token, json::object body = {}) {
    return s().Post("/api/v1/homecare/orders/" + std::to_string(id) + "/" + what, body, token);
  }
  // Pays a priced order (billing source homecare_order) on the DEMO provider's page: a nurse takes
  // only a paid one (homecare_payment_required).
  void Pay(std::int64_t order, const std::string& token) {
    auto o = s().Post("/api/v1/billing/orders", {{"source_kind", "homecare_order"}, {"source_id", order}}, token);
    ASSERT_EQ(o.status, 201) << o.body;
    const std::string bill = std::to_string(o.json().at("id").as_int64());
    auto paying = s().Post("/api/v1/billing/orders/" + bill + "/pay", {{"use_insurance", false}}, token);
    ASSERT_EQ(paying.status, 200) << paying.body;
    const std::string trade(paying.json().at("payment").at("out_trade_no").as_string());
    ASSERT_EQ(s().Post("/api/v1/demo-pay/" + trade + "/confirm", json::object{}, token).status, 200);
    ASSERT_TRUE(
        WaitFor([&] { return s().Get("/api/v1/billing/orders/" + bill, token).json().at("status") == "paid"; }));
  }
  json::array Open(const TestServer::Account& nurse) {
    auto r = s().Get("/api/v1/homecare/board", nurse.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("open").as_array();
  }
};

TEST_P(HomeCareApiTest, CatalogueShowsDemoPricesToAnyone) {
  auto r = s().Get("/api/v1/homecare/services");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& items = r.json().at("items").as_array();
  ASSERT_GE(items.size(), 7u);
  bool escort = false;
  for (const auto& i : items) {
    EXPECT_GT(i.at("price_fen").as_int64(), 0);
    EXPECT_EQ(i.at("demo"), true);
    escort = escort || i.at("kind") == "escort";
  }
  EXPECT_TRUE(escort);
  EXPECT_EQ(items.at(0).at("name_zh"), "注射");
  // The admin sets the hospital's own price: no longer a demo price.
  auto admin = s().NewAdmin();
  auto put = s().Call(boost::beast::http::verb::put, "/api/v1/homecare/services/injection",
                      json::serialize(json::object{{"price_fen", 12000}}), admin.token);
  ASSERT_EQ(put.status, 200) << put.body;
  auto again = s().Get("/api/v1/homecare/services");
  EXPECT_EQ(again.json().at("items").at(0).at("price_fen"), 12000);
  EXPECT_EQ(again.json().at("items").at(0).at("demo"), false);
  auto p = s().NewPatient();
  EXPECT_EQ(s().Call(boost::beast::http::verb::put, "/api/v1/homecare/services/injection",
                     json::serialize(json::object{{"price_fen", 1}}), p.token)
                .status,
            403);
}

TEST_P(HomeCareApiTest, NurseAcceptsArrivesCompletesAndThePatientSeesEveryStep) {
  auto st = MakeStaff();
  auto p = s().NewPatient("赵敏");
  auto o = Order(p.token);
  ASSERT_EQ(o.status, 201) << o.body;
  const auto id = o.json().at("id").as_int64();
  EXPECT_EQ(o.json().at("status"), "requested");
  EXPECT_EQ(o.json().at("price_fen"), 9900);
  EXPECT_EQ(o.json().at("price_demo"), true);
  EXPECT_EQ(o.json().at("region_name"), "北京市 朝阳区");
  EXPECT_EQ(o.json().at("contact_phone").as_string(), p.phone);
  EXPECT_EQ(o.json().at("events").as_array().size(), 1u);
  EXPECT_EQ(Act(id, "accept", st.nurse.token).json().at("code"), "homecare_payment_required");
  Pay(id, p.token);

  // Seen by nurses whose area covers 朝阳区, without the street address or phone.
  ASSERT_EQ(Open(st.nurse).size(), 1u);
  EXPECT_EQ(Open(st.nurse).at(0).at("address"), "");
  EXPECT_EQ(Open(st.nurse).at(0).at("contact_phone"), "");
  EXPECT_EQ(Open(st.nurse).at(0).at("patient_name"), "赵*");
  EXPECT_EQ(Open(st.nurse2).size(), 1u);
  EXPECT_EQ(Open(st.far_nurse).size(), 0u);
  EXPECT_EQ(Act(id, "accept", st.far_nurse.token).json().at("code"), "homecare_outside_area");
  EXPECT_EQ(Act(id, "accept", p.token).status, 403);
  EXPECT_EQ(s().Get("/api/v1/homecare/orders/" + std::to_string(id), st.nurse.token).status, 404);

  auto acc = Act(id, "accept", st.nurse.token);
  ASSERT_EQ(acc.status, 200) << acc.body;
  EXPECT_EQ(acc.json().at("status"), "accepted");
  EXPECT_EQ(acc.json().at("address"), "朝阳区测试小区 5 号楼 202");
  EXPECT_EQ(Act(id, "accept", st.nurse2.token).json().at("code"), "homecare_already_taken");
  EXPECT_EQ(Open(st.nurse2).size(), 0u);
  // After acceptance the patient cancels only with a reason; the other nurse cannot act on it.
  auto no_reason = Act(id, "cancel", p.token);
  ASSERT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_NE(no_reason.body.find("reason"), std::string::npos);
  EXPECT_EQ(Act(id, "arrive", st.nurse2.token).status, 404);
  EXPECT_EQ(Act(id, "complete", st.nurse.token, {{"service_note", "x"}}).json().at("code"), "homecare_wrong_status");

  auto arr = Act(id, "arrive", st.nurse.token);
  ASSERT_EQ(arr.status, 200) << arr.body;
  EXPECT_EQ(Act(id, "cancel", p.token, {{"reason", "不需要了"}}).json().at("code"), "homecare_not_cancellable");
  EXPECT_EQ(Act(id, "complete", st.nurse.token).status, 400);
  auto done = Act(id, "complete", st.nurse.token, {{"service_note", "已皮下注射胰岛素 8 单位，无不适。"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("status"), "completed");

  auto mine = s().Get("/api/v1/me/homecare/orders", p.token);
  ASSERT_EQ(mine.status, 200);
  const auto& order = mine.json().at("items").at(0);
  EXPECT_EQ(order.at("status"), "completed");
  EXPECT_EQ(order.at("nurse_name"), "护士甲");
  EXPECT_EQ(order.at("service_note"), "已皮下注射胰岛素 8 单位，无不适。");
  std::vector<std::string> steps;
  for (const auto& e : order.at("events").as_array()) steps.emplace_back(e.at("status").as_string());
  EXPECT_EQ(steps, (std::vector<std::string>{"requested", "accepted", "arrived", "completed"}));
  auto notes = s().Get("/api/v1/me/notifications", p.token);
  for (const char* t : {"护士已接单", "护士已到达", "服务已完成", "A nurse accepted your order"})
    EXPECT_NE(notes.body.find(t), std::string::npos) << t;
  auto log = s().Get("/api/v1/me/access-log", p.token);
  EXPECT_NE(log.body.find("homecare.accepted"), std::string::npos) << log.body;
  auto board = s().Get("/api/v1/homecare/board", st.nurse.token);
  EXPECT_EQ(board.json().at("mine").at(0).at("status"), "completed");
}

TEST_P(HomeCareApiTest, CancelBeforeAcceptanceNeedsNoReasonAndTheOrderLeavesTheBoard) {
  auto st = MakeStaff();
  auto p = s().NewPatient();
  auto o = Order(p.token, "escort_half_day");
  ASSERT_EQ(o.status, 201) << o.body;
  const auto id = o.json().at("id").as_int64();
  EXPECT_EQ(o.json().at("service_kind"), "escort");
  auto dup = Order(p.token, "escort_half_day");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json().at("code"), "homecare_duplicate");
  auto stranger = s().NewPatient();
  EXPECT_EQ(Act(id, "cancel", stranger.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/homecare/orders/" + std::to_string(id), stranger.token).status, 404);
  auto c = Act(id, "cancel", p.token);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.json().at("status"), "cancelled");
  EXPECT_EQ(Open(st.nurse).size(), 0u);
  EXPECT_EQ(Act(id, "accept", st.nurse.token).json().at("code"), "homecare_wrong_status");
  EXPECT_EQ(Order(p.token, "escort_half_day").status, 201) << "a cancelled order does not block a new one";
}

TEST_P(HomeCareApiTest, TwoNursesRacingForOneOrderOneWins) {
  auto st = MakeStaff();
  for (int round = 0; round < 5; ++round) {
    auto p = s().NewPatient();
    const auto id = Order(p.token).json().at("id").as_int64();
    Pay(id, p.token);
    Resp a, b;
    std::atomic<bool> go{false};
    std::thread t1([&] {
      while (!go) std::this_thread::yield();
      a = Act(id, "accept", st.nurse.token);
    });
    std::thread t2([&] {
      while (!go) std::this_thread::yield();
      b = Act(id, "accept", st.nurse2.token);
    });
    go = true;
    t1.join();
    t2.join();
    EXPECT_EQ((a.status == 200) + (b.status == 200), 1) << a.body << b.body;
    const Resp& lost = a.status == 200 ? b : a;
    EXPECT_EQ(lost.json().at("code"), "homecare_already_taken") << lost.body;
    auto view = s().Get("/api/v1/homecare/orders/" + std::to_string(id), p.token);
    EXPECT_EQ(view.json().at("events").as_array().size(), 2u) << "exactly one acceptance recorded";
  }
}

TEST_P(HomeCareApiTest, BadInputIsRefusedWithStableCodes) {
  auto st = MakeStaff();
  auto p = s().NewPatient();
  auto bad = s().Post("/api/v1/homecare/orders",
                      {{"service_code", "massage"},
                       {"region_code", "999999"},
                       {"address", "x"},
                       {"contact_phone", "12345"},
                       {"date", "2026-02-30"},
                       {"start_time", "9am"},
                       {"end_time", "10:00"}},
                      p.token);
  ASSERT_EQ(bad.status, 400) << bad.body;
  for (const char* code : {"unknown_service", "region_unknown", "phone_format", "invalid_date", "time_format"})
    EXPECT_NE(bad.body.find(code), std::string::npos) << code;
  auto backwards = s().Post("/api/v1/homecare/orders",
                            {{"service_code", "injection"},
                             {"region_code", "110105"},
                             {"address", "x"},
                             {"date", Tomorrow()},
                             {"start_time", "10:00"},
                             {"end_time", "09:00"}},
                            p.token);
  EXPECT_NE(backwards.body.find("end_before_start"), std::string::npos) << backwards.body;
  auto past = s().Post("/api/v1/homecare/orders",
                       {{"service_code", "injection"},
                        {"region_code", "110105"},
                        {"address", "x"},
                        {"date", CivilDateCst(s().clock().NowMs())},
                        {"start_time", "00:00"},
                        {"end_time", "00:30"}},
                       p.token);
  EXPECT_NE(past.body.find("window_past"), std::string::npos) << past.body;
  EXPECT_EQ(s().Post("/api/v1/homecare/orders", {{"service_code", 1}}, p.token).status, 400);
  EXPECT_EQ(s().Post("/api/v1/homecare/orders", json::object{}, "").status, 401);
  EXPECT_EQ(SetAreas(st.nurse, {"123456"}).status, 400);
  EXPECT_EQ(SetAreas(st.nurse, {}).status, 400);
  EXPECT_EQ(s().Get("/api/v1/homecare/board", p.token).status, 403);
  EXPECT_EQ(Act(424242, "accept", st.nurse.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/homecare/orders/abc", p.token).status, 404);
  // A nurse with no area sees no open orders.
  auto admin = st.admin;
  auto fresh = s().NewPatient("新护士");
  ASSERT_EQ(
      s().Post("/api/v1/admin/users/" + std::to_string(fresh.id) + "/roles", {{"role", "nurse"}}, admin.token).status,
      200);
  auto open = Order(p.token);
  ASSERT_EQ(open.status, 201);
  EXPECT_EQ(Open(st.nurse).size(), 0u) << "not paid yet";
  Pay(open.json().at("id").as_int64(), p.token);
  EXPECT_EQ(Open(fresh).size(), 0u);
  EXPECT_EQ(Open(st.nurse).size(), 1u);
}

TEST_P(HomeCareApiTest, AWindowEndingAtMidnightReads2400) {
  auto p = s().NewPatient();
  auto r = s().Post("/api/v1/homecare/orders",
                    {{"service_code", "injection"},
                     {"region_code", "110105"},
                     {"address", "朝阳区测试小区 5 号楼 202"},
                     {"date", Tomorrow()},
                     {"start_time", "23:00"},
                     {"end_time", "24:00"}},
                    p.token);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("window"), "23:00–24:00");
  EXPECT_EQ(r.json().at("date").as_string(), Tomorrow());
}

INSTANTIATE_TEST_SUITE_P(Backends, HomeCareApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_homecare_api_test
}  // namespace ihos::apitest
