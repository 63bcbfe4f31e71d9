// Pharmacies through the real HTTP server, on SQLite and PostgreSQL: a user applies to register a
// pharmacy, an admin approves (the pharmacy_staff role and the staff row), the manager opens it and
// receives stock, the public nearby search finds it with the basket price and delivery fee, and
// nobody else can touch its stock.
#include "core/civil_time.hpp"
#include "harness.hpp"

namespace ihos::apitest {
namespace api_pharmacy_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

class PharmacyApiTest : public ApiTest {
 protected:
  std::int64_t AddItem(const std::string& name) {
    auto id = s().app().db().With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto d = tx.Query(
          "INSERT INTO drugs (nhsa_id, name, section, kind, search_text) VALUES (77001, $1, '西药部分', 'western', $1) "
          "RETURNING id",
          {name});
      if (!d) return d.error();
      auto f = tx.Query(
          "INSERT INTO formulary (drug_id, strength, dose_unit, strength_amount_milli, package_unit, package_size, "
          "price_fen, created_at) VALUES ($1, '5mg', 'mg', 5000, '片', 28, 2800, 0) RETURNING id",
          {d->front().Int(0)});
      if (!f) return f.error();
      return f->front().Int(0);
    });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }
};

TEST_P(PharmacyApiTest, ApplyApproveReceiveAndFindNearby) {
  auto admin = s().NewAdmin();
  auto staff = s().NewPatient("药房店长");
  auto other = s().NewPatient("路人");
  const auto item = AddItem("氨氯地平");
  const double lat = 30.601475 + 0.003, lon = 114.270867 + 0.004;  // 武汉市江汉区

  json::object app{{"kind", "register"},
                   {"name", "江汉测试药房"},
                   {"licence_no", "鄂CB123"},
                   {"region_code", "420103"},
                   {"address", "江汉路1号"},
                   {"lat", lat},
                   {"lon", lon}};
  auto bad = s().Post("/api/v1/pharmacy-applications", app, staff.token);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("invalid_format"), std::string::npos) << bad.body;
  app["licence_no"] = "鄂CB0270001";
  auto applied = s().Post("/api/v1/pharmacy-applications", app, staff.token);
  ASSERT_EQ(applied.status, 201) << applied.body;
  const auto app_id = applied.json().at("id").as_int64();
  EXPECT_EQ(s().Post("/api/v1/pharmacy-applications", app, staff.token).status, 409);

  // Only an admin reviews.
  EXPECT_EQ(s().Get("/api/v1/admin/pharmacy-applications?status=pending", staff.token).status, 403);
  auto pending = s().Get("/api/v1/admin/pharmacy-applications?status=pending", admin.token);
  ASSERT_EQ(pending.status, 200);
  ASSERT_EQ(pending.json().at("items").as_array().size(), 1u);
  auto approved = s().Post("/api/v1/admin/pharmacy-applications/" + std::to_string(app_id) + "/approve", json::object{},
                           admin.token);
  ASSERT_EQ(approved.status, 200) << approved.body;
  const auto ph = approved.json().at("pharmacy_id").as_int64();
  const std::string base = "/api/v1/pharmacies/" + std::to_string(ph);

  // The new manager sees the pharmacy (closed until opened) and opens it.
  auto mine = s().Get("/api/v1/pharmacy/mine", staff.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(mine.json().at("items").at(0).at("duty"), "manager");
  EXPECT_EQ(mine.json().at("items").at(0).at("status"), "closed");
  json::array hours;
  for (int d = 1; d <= 7; ++d) hours.push_back({{"weekday", d}, {"open", "00:00"}, {"close", "24:00"}});
  auto set = s().Call(verb::put, base + "/settings",
                      json::serialize(json::object{{"status", "open"},
                                                   {"hours", hours},
                                                   {"delivers", true},
                                                   {"delivery_radius_m", 3000},
                                                   {"delivery_fee_fen", 600},
                                                   {"pickup_counter", "1 号窗口"}}),
                      staff.token);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json().at("open_now"), true);

  const std::string expiry = AddDays(CivilDateCst(s().clock().NowMs()), 400);
  auto rec = s().Post(
      base + "/stock/receipts",
      {{"formulary_item_id", item}, {"batch_no", "B1"}, {"expiry_date", expiry}, {"quantity", 5}, {"price_fen", 2800}},
      staff.token);
  ASSERT_EQ(rec.status, 201) << rec.body;
  auto stock = s().Get(base + "/stock", staff.token);
  ASSERT_EQ(stock.status, 200);
  EXPECT_EQ(stock.json().at("items").at(0).at("on_hand"), 5);
  EXPECT_EQ(stock.json().at("items").at(0).at("available"), 5);

  // Nobody else touches it: no role 403; admins read but never receive.
  EXPECT_EQ(s().Get(base + "/stock", other.token).status, 403);
  EXPECT_EQ(s().Get(base + "/stock", admin.token).status, 200);
  EXPECT_EQ(
      s().Post(base + "/stock/receipts",
               {{"formulary_item_id", item}, {"batch_no", "B1"}, {"expiry_date", expiry}, {"quantity", 5}}, admin.token)
          .status,
      403);
  auto noreason =
      s().Post(base + "/stock/adjustments",
               {{"formulary_item_id", item}, {"batch_no", "B1"}, {"delta", -1}, {"reason", ""}}, staff.token);
  EXPECT_EQ(noreason.status, 400);
  auto tooMuch =
      s().Post(base + "/stock/adjustments",
               {{"formulary_item_id", item}, {"batch_no", "B1"}, {"delta", -6}, {"reason", "盘点"}}, staff.token);
  EXPECT_EQ(tooMuch.status, 409);
  EXPECT_EQ(tooMuch.json().at("code"), "stock_insufficient");

  // The public search, without signing in.
  char q[256];
  std::snprintf(q, sizeof q, "/api/v1/pharmacies/nearby?lat=%.6f&lon=%.6f&radius_m=2000&items=%lld:2", lat + 0.005, lon,
                static_cast<long long>(item));
  auto near = s().Get(q);
  ASSERT_EQ(near.status, 200) << near.body;
  ASSERT_EQ(near.json().at("items").as_array().size(), 1u);
  const auto& hit = near.json().at("items").at(0);
  EXPECT_EQ(hit.at("pharmacy").at("id"), ph);
  EXPECT_EQ(hit.at("basket_fen"), 5600);
  EXPECT_EQ(hit.at("delivery_fee_fen"), 600);
  EXPECT_EQ(hit.at("complete"), true);
  std::snprintf(q, sizeof q, "/api/v1/pharmacies/nearby?lat=%.6f&lon=%.6f&radius_m=2000&items=%lld:6", lat, lon,
                static_cast<long long>(item));
  EXPECT_EQ(s().Get(q).json().at("items").as_array().size(), 0u);  // 5 in stock, 6 asked
  EXPECT_EQ(s().Get("/api/v1/pharmacies/nearby?lat=abc&lon=114").status, 400);
  EXPECT_EQ(s().Get("/api/v1/pharmacies/nearby?lat=30&lon=114&items=1:0").status, 400);
  EXPECT_EQ(s().Get(base).json().at("name"), "江汉测试药房");

  auto moves = s().Get(base + "/stock/" + std::to_string(item) + "/moves", staff.token);
  ASSERT_EQ(moves.status, 200);
  EXPECT_EQ(moves.json().at("items").as_array().size(), 1u);
  auto check = s().Get("/api/v1/admin/pharmacy-stock/check", admin.token);
  ASSERT_EQ(check.status, 200);
  EXPECT_EQ(check.json().at("consistent"), true);
}

INSTANTIATE_TEST_SUITE_P(Backends, PharmacyApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_pharmacy_api_test
}  // namespace ihos::apitest
