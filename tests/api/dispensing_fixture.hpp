#pragma once
// Shared set-up of the drug-order API tests: a small drug catalogue (NRDL rows of the drugs used),
// the formulary, a doctor and a hospital pharmacist, approved prescriptions through the real flow
// (follow-up consultation, record, signature, review), an insured region, and the pharmacy's
// side through the pharmacy capability's service (pharmacies, staff, stock).
#include <cstdlib>
#include <set>

#include "core/clock.hpp"
#include "domain/drugs/import.hpp"
#include "domain/drugs/service.hpp"
#include "domain/pharmacy/service.hpp"
#include "harness.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest {
namespace json = boost::json;
using boost::beast::http::verb;

inline constexpr char kDoctorPin[] = "135790";
inline constexpr char kPharmacistPin[] = "246802";
inline constexpr char kRegion[] = "420103";  // 武汉市江汉区

class DispensingApiTest : public ApiTest {
 protected:
  // The server's settings (a derived fixture changes some).
  virtual app::Config Overrides() { return {}; }

  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam(), Overrides());
    auto st = s().app().db().Transact(store::TxMode::write, [](store::Tx& tx) -> Status {
      auto n = tx.Exec(
          "INSERT INTO icd10_codes (code, name_zh, level, category, search_text) VALUES ('I10.X00', '原发性高血压', "
          "'extension', 'I10', 'I10.X00 原发性高血压')");
      if (!n) return n.error();
      return {};
    });
    ASSERT_TRUE(st);
    ImportDrugs();
    admin_ = s().NewAdmin();
    amlodipine_ = AddLine("氨氯地平", "Amlodipine", "5mg", 5'000, 28, 10'000);         // 医保甲类
    atorvastatin_ = AddLine("阿托伐他汀", "Atorvastatin", "20mg", 20'000, 7, 80'000);  // 医保乙类
    doctor_ = s().NewPatient("李医生");
    auto ids = testing::InsertPractitioner(s().app().db(), doctor_.id);
    practitioner_id_ = ids.practitioner_id;
    auto pin = s().Post("/api/v1/me/signing-pin", {{"role", "doctor"}, {"pin", kDoctorPin}}, doctor_.token);
    ASSERT_EQ(pin.status, 201) << pin.body;
    pharmacist_ = s().NewPatient("赵药师");
    auto p =
        s().Post("/api/v1/admin/pharmacists",
                 {{"user_id", pharmacist_.id}, {"hospital_id", ids.hospital_id}, {"licence_number", "YS2026000001"}},
                 admin_.token);
    ASSERT_EQ(p.status, 201) << p.body;
    auto ppin =
        s().Post("/api/v1/me/signing-pin", {{"role", "pharmacist"}, {"pin", kPharmacistPin}}, pharmacist_.token);
    ASSERT_EQ(ppin.status, 201) << ppin.body;
    // The region's employee policy: no deductible, 甲 70%, 乙 60%.
    auto pol = s().Post("/api/v1/billing/policies",
                        {{"region_code", kRegion},
                         {"scheme", "employee"},
                         {"deductible_fen", 0},
                         {"annual_cap_fen", 400000},
                         {"personal_account_pays", true},
                         {"ratios", json::array{{{"grade", "*"}, {"item_class", "A"}, {"ratio_bp", 7000}},
                                                {{"grade", "*"}, {"item_class", "B"}, {"ratio_bp", 6000}}}}},
                        admin_.token);
    ASSERT_EQ(pol.status, 201) << pol.body;
  }

  void ImportDrugs() {
    const char* d = std::getenv("IHOS_DRUG_DATA");
    const std::string data = d && *d ? d : "/work/shared/data";
    auto controlled = domain::drugs::ReadControlled(data + "/cn_controlled_drugs/controlled_drugs.csv");
    ASSERT_TRUE(controlled);
    auto drugs = domain::drugs::ReadNrdl(data + "/drugs_nrdl/nrdl_2024_drug_list.csv", *controlled, {});
    ASSERT_TRUE(drugs) << drugs.error().code;
    std::vector<domain::drugs::Drug> keep;
    for (const auto& x : *drugs)
      if ((x.name == "氨氯地平" || x.name == "阿托伐他汀") && x.dosage_form == "口服常释剂型") keep.push_back(x);
    ASSERT_EQ(keep.size(), 2u);
    ASSERT_TRUE(s().app().drugs().Import(keep, {}));
  }

  std::int64_t AddLine(const std::string& name, const std::string& en, const std::string& strength,
                       std::int64_t amount_milli, std::int64_t package_size, std::int64_t max_daily) {
    auto drug = s().app().drugs().FindByName(name, "口服常释剂型");
    EXPECT_TRUE(drug) << name;
    if (!drug) return 0;
    auto r = s().Post("/api/v1/admin/formulary",
                      {{"drug_id", drug->id},
                       {"name_en", en},
                       {"strength", strength},
                       {"dose_unit", "mg"},
                       {"strength_amount_milli", amount_milli},
                       {"package_unit", "片"},
                       {"package_size", package_size},
                       {"price_fen", 1000},
                       {"routes", json::array{"oral"}},
                       {"max_single_milli", max_daily},
                       {"max_daily_milli", max_daily},
                       {"min_age_years", 0},
                       {"special_storage", ""},
                       {"insert_source", "test fixture (说明书)"}},
                      admin_.token);
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

  std::int64_t Upload(const std::string& token) {
    std::string png("\x89PNG\r\n\x1a\n", 8);
    png.resize(256, 'x');
    auto r = s().Call(verb::post, "/api/v1/files", png, token, {{"Content-Type", "image/png"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  // A verified follow-up with its record, accepted by the doctor.
  std::int64_t FollowUp(const std::string& patient_token) {
    json::object intake{{"chief_complaint", "高血压复诊开药"},
                        {"duration", "5年"},
                        {"symptoms", json::array{"头晕"}},
                        {"history", "高血压5年"},
                        {"allergies", "无"},
                        {"medications", "氨氯地平 5mg qd"},
                        {"is_follow_up", true},
                        {"proof_upload_ids", json::array{Upload(patient_token)}}};
    auto r = s().Post("/api/v1/consultations",
                      {{"kind", "text"}, {"practitioner_id", practitioner_id_}, {"intake", intake}}, patient_token);
    EXPECT_EQ(r.status, 201) << r.body;
    const auto id = r.json().at("id").as_int64();
    const std::string c = "/api/v1/consultations/" + std::to_string(id);
    EXPECT_EQ(s().Post(c + "/accept", json::object{}, doctor_.token).status, 200);
    EXPECT_EQ(s().Post(c + "/follow-up", {{"decision", "verified"}, {"note", "已核对"}}, doctor_.token).status, 200);
    auto rec = s().Call(verb::put, c + "/record",
                        json::serialize(json::object{{"chief_complaint", "高血压复诊"},
                                                     {"present_illness", "血压平稳"},
                                                     {"diagnosis_code", "I10.X00"},
                                                     {"advice", "继续服药"}}),
                        doctor_.token);
    EXPECT_EQ(rec.status, 200) << rec.body;
    return id;
  }

  // A signed prescription (pending review) of amlodipine (1 box for 7 days) and, with `two_lines`,
  // atorvastatin (1 box). Returns its id.
  std::int64_t Signed(const std::string& patient_token, bool two_lines = false, std::int64_t days = 7) {
    json::array items{{{"formulary_id", amlodipine_},
                       {"single_dose_milli", 5'000},
                       {"route", "oral"},
                       {"frequency", "qd"},
                       {"days", days}}};
    if (two_lines)
      items.push_back({{"formulary_id", atorvastatin_},
                       {"single_dose_milli", 20'000},
                       {"route", "oral"},
                       {"frequency", "qd"},
                       {"days", days}});
    const auto consultation = FollowUp(patient_token);
    auto r = s().Post("/api/v1/prescriptions",
                      {{"consultation_id", consultation}, {"items", items}, {"pin", kDoctorPin}}, doctor_.token);
    EXPECT_EQ(r.status, 201) << r.body;
    // Closed, so the patient can start the next follow-up with the same doctor.
    auto closed =
        s().Post("/api/v1/consultations/" + std::to_string(consultation) + "/close", json::object{}, doctor_.token);
    EXPECT_EQ(closed.status, 200) << closed.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  Resp Review(std::int64_t rx, const std::string& outcome) {
    const std::string g = outcome == "approved" ? "pass" : "fail";
    return s().Post("/api/v1/pharmacist/prescriptions/" + std::to_string(rx) + "/review",
                    {{"outcome", outcome},
                     {"legality", "pass"},
                     {"normativity", "pass"},
                     {"suitability", g},
                     {"reason", outcome == "approved" ? "" : "剂量需调整"},
                     {"pin", kPharmacistPin}},
                    pharmacist_.token);
  }

  std::int64_t Approved(const std::string& patient_token, bool two_lines = false) {
    const auto rx = Signed(patient_token, two_lines);
    auto r = Review(rx, "approved");
    EXPECT_EQ(r.status, 200) << r.body;
    return rx;
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

  // --- drug orders
  Resp Place(const std::string& token, std::int64_t rx, std::int64_t pharmacy, const std::string& mode,
             json::array lines = {}, double lat = 0, double lon = 0) {
    json::object b{{"prescription_id", rx}, {"pharmacy_id", pharmacy}, {"mode", mode}};
    if (mode == "delivery") {
      b["address"] = "武汉市江汉区测试路1号";
      b["lat"] = lat;
      b["lon"] = lon;
    }
    if (!lines.empty()) b["lines"] = std::move(lines);
    return s().Post("/api/v1/drug-orders", b, token);
  }
  std::string OPath(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/drug-orders/" + std::to_string(id) + rest;
  }
  // The order's bill.
  json::object Bill(std::int64_t order, const std::string& token) {
    auto r = s().Get("/api/v1/billing/orders?source_kind=drug_order&source_id=" + std::to_string(order), token);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto& items = r.json().at("items").as_array();
    EXPECT_EQ(items.size(), 1u) << r.body;
    return items.empty() ? json::object{} : items.front().as_object();
  }
  json::object BillById(std::int64_t id, const std::string& token) {
    auto r = s().Get("/api/v1/billing/orders/" + std::to_string(id), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  // Pays the order's bill with insurance; the cash part on the DEMO provider's page.
  void PayBill(std::int64_t order, const std::string& token) {
    const auto bill = Bill(order, token);
    const auto id = bill.at("id").as_int64();
    auto paying = s().Post("/api/v1/billing/orders/" + std::to_string(id) + "/pay",
                           {{"use_insurance", true}, {"use_personal_account", false}}, token);
    ASSERT_EQ(paying.status, 200) << paying.body;
    if (paying.json().at("status") != "paid") {
      const std::string trade(paying.json().at("payment").at("out_trade_no").as_string());
      auto confirm = s().Post("/api/v1/demo-pay/" + trade + "/confirm", json::object{}, token);
      ASSERT_EQ(confirm.status, 200) << confirm.body;
    }
    ASSERT_TRUE(WaitFor([&] { return BillById(id, token).at("status") == "paid"; }));
  }

  // --- the pharmacy side, through the pharmacy capability's service
  // An open pharmacy (every day 00:00-24:00) at (lat, lon); delivers within radius_m when > 0.
  std::int64_t NewPharmacy(const std::string& name, double lat, double lon, std::int64_t radius_m,
                           std::int64_t fee_fen) {
    domain::pharmacy::Pharmacy p;
    p.name = name;
    const std::string seq = std::to_string(1000000 + ++licence_seq_);
    p.licence_no = "鄂AA" + seq;  // 药品经营许可证: province, two letters, seven digits
    p.region_code = kRegion;
    p.address = "武汉市江汉区" + name;
    p.lat = lat;
    p.lon = lon;
    for (int d = 1; d <= 7; ++d) p.hours.push_back({d, 0, 1440});
    p.status = "open";
    p.delivers = radius_m > 0;
    p.delivery_radius_m = radius_m;
    p.delivery_fee_fen = fee_fen;
    p.pickup_counter = "1 号窗口";
    p.phone = "027-88888888";
    std::int64_t id = 0;
    auto manager = s().NewPatient("药房店长");
    auto st = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto made = s().app().pharmacy().CreatePharmacyIn(tx, p, s().clock().NowMs());
      if (!made) return made.error();
      id = *made;
      return s().app().pharmacy().AddStaffIn(tx, id, manager.id, "manager", std::nullopt, s().clock().NowMs());
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().code + " " + st.error().detail);
    managers_[id] = manager.id;
    return id;
  }
  // A received batch of `qty` boxes (expiring in two years) at `price_fen` per box.
  void Stock(std::int64_t pharmacy, std::int64_t item, std::int64_t qty, std::int64_t price_fen) {
    domain::pharmacy::Receipt r;
    r.formulary_item_id = item;
    r.batch_no = "B" + std::to_string(item) + "-" + std::to_string(pharmacy);
    r.expiry_date = "2099-12-31";
    r.quantity = qty;
    r.price_fen = price_fen;
    auto st = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto m = s().app().pharmacy().ReceiveIn(tx, pharmacy, r, std::nullopt, s().clock().NowMs());
      if (!m) return m.error();
      return {};
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().code + " " + st.error().detail);
  }
  // A new account as staff of the pharmacy with `duty` (counter | courier | manager), signed in again
  // so the session carries the pharmacy_staff role.
  TestServer::Account Staff(std::int64_t pharmacy, const std::string& name, const std::string& duty) {
    auto a = s().NewPatient(name);
    auto st = s().app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      return s().app().pharmacy().AddStaffIn(tx, pharmacy, a.id, duty, std::nullopt, s().clock().NowMs());
    });
    EXPECT_TRUE(st) << (st ? "" : st.error().code + " " + st.error().detail);
    return a;
  }
  domain::pharmacy::StockItem StockOf(std::int64_t pharmacy, std::int64_t item) {
    Principal manager{managers_[pharmacy], "店长", {"patient", "pharmacy_staff"}};
    auto all = s().app().pharmacy().Stock(manager, pharmacy);
    EXPECT_TRUE(all) << (all ? "" : all.error().code);
    if (all)
      for (const auto& i : *all)
        if (i.formulary_item_id == item) return i;
    return {};
  }
  std::int64_t Available(std::int64_t pharmacy, std::int64_t item) { return StockOf(pharmacy, item).available; }
  std::int64_t OnHand(std::int64_t pharmacy, std::int64_t item) { return StockOf(pharmacy, item).on_hand; }

  std::map<std::int64_t, std::int64_t> managers_;
  int licence_seq_ = 0;
  TestServer::Account admin_, doctor_, pharmacist_;
  std::int64_t practitioner_id_ = 0;
  std::int64_t amlodipine_ = 0, atorvastatin_ = 0;
};

}  // namespace ihos::apitest
