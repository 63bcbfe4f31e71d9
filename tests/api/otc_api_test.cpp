// OTC (非处方药) drug orders over HTTP on both backends: the OTC classification a pharmacist
// records with the NMPA reference (access, audit, history, revocation, what the 药品网络销售禁止清单
// refuses), and OTC orders without a prescription through the same order machinery (stock reserved,
// self-pay bill, accept, dispense, pickup code, cancellation refunded once) with every refusal code,
// and two buyers racing for the last boxes.
#include <atomic>
#include <thread>

#include "core/civil_time.hpp"
#include "dispensing_fixture.hpp"

namespace ihos::apitest {
namespace api_otc_api_test {

class OtcApiTest : public DispensingApiTest {
 protected:
  void SetUp() override {
    DispensingApiTest::SetUp();
    if (HasFatalFailure()) return;
    ImportOtcDrugs();
    ibuprofen_ = AddFormLine("布洛芬", "口服常释剂型", "0.2g", 200'000, 24);
    loratadine_ = AddFormLine("氯雷他定", "口服常释剂型", "10mg", 10'000, 6);
    ibuprofen_inj_ = AddFormLine("布洛芬", "注射剂", "4ml:0.4g", 400'000, 1);
    insulin_ = AddFormLine("甘精胰岛素", "注射剂", "3ml:300单位", 300'000, 1);
    amoxicillin_ = AddFormLine("阿莫西林", "口服常释剂型", "0.25g", 250'000, 24);
    diazepam_ = AddFormLine("地西泮", "口服常释剂型", "2.5mg", 2'500, 20);
    ephedrine_ = AddFormLine("复方盐酸伪麻黄碱", "缓释控释剂型", "90mg", 90'000, 10);
  }

  // The NRDL rows these tests use, and one compound preparation with pseudoephedrine that the
  // NRDL does not list (made up here, nhsa_id 9900001) for the 含麻黄碱类复方制剂 rule.
  void ImportOtcDrugs() {
    const char* d = std::getenv("IHOS_DRUG_DATA");
    const std::string data = d && *d ? d : "/work/shared/data";
    auto controlled = domain::drugs::ReadControlled(data + "/cn_controlled_drugs/controlled_drugs.csv");
    ASSERT_TRUE(controlled);
    auto drugs = domain::drugs::ReadNrdl(data + "/drugs_nrdl/nrdl_2024_drug_list.csv", *controlled, {});
    ASSERT_TRUE(drugs);
    std::vector<domain::drugs::Drug> keep;
    for (const auto& x : *drugs)
      if (((x.name == "布洛芬" || x.name == "氯雷他定" || x.name == "阿莫西林" || x.name == "地西泮") &&
           x.dosage_form == "口服常释剂型") ||
          ((x.name == "布洛芬" || x.name == "甘精胰岛素") && x.dosage_form == "注射剂"))
        keep.push_back(x);
    ASSERT_EQ(keep.size(), 6u);
    domain::drugs::Drug e;
    e.nhsa_id = 9'900'001;
    e.name = "复方盐酸伪麻黄碱";
    e.section = "西药部分";
    e.kind = "western";
    e.dosage_form = "缓释控释剂型";
    e.category_path = "呼吸系统 > 咳嗽和感冒制剂";
    e.therapeutic_class = "咳嗽和感冒制剂";
    keep.push_back(e);
    ASSERT_TRUE(s().app().drugs().Import(keep, {}));
  }

  std::int64_t AddFormLine(const std::string& name, const std::string& form, const std::string& strength,
                           std::int64_t amount_milli, std::int64_t package_size, std::int64_t min_age = 0) {
    auto drug = s().app().drugs().FindByName(name, form);
    EXPECT_TRUE(drug) << name << " " << form;
    if (!drug) return 0;
    json::object body{{"drug_id", drug->id},
                       {"strength", strength},
                       {"dose_unit", "mg"},
                       {"strength_amount_milli", amount_milli},
                       {"package_unit", "片"},
                       {"package_size", package_size},
                       {"price_fen", 1000},
                       {"routes", json::array{"oral"}},
                       {"insert_source", "test fixture (说明书)"}};
    if (min_age) body["min_age_years"] = min_age;
    auto r = s().Post("/api/v1/admin/formulary", body, admin_.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  std::string Otc(std::int64_t item, const std::string& rest = "") {
    return "/api/v1/formulary/" + std::to_string(item) + "/otc" + rest;
  }
  Resp Mark(std::int64_t item, const std::string& cls, const std::string& token, std::int64_t max = 0) {
    json::object b{{"otc_class", cls}, {"reference", "国家药监局非处方药目录（测试引用）"}, {"reason", "核对目录"}};
    if (cls == "A") b["advice"] = "按说明书服用；症状未缓解请就医。";
    if (max) b["max_per_order"] = max;
    return s().Post(Otc(item), b, token);
  }
  // ack: the buyer acknowledges the advice of every line of the basket.
  Resp Buy(const std::string& token, std::int64_t pharmacy, json::array lines, bool ack = false,
           const std::string& mode = "pickup") {
    json::array acks;
    if (ack)
      for (const auto& l : lines) acks.push_back(l.at("formulary_item_id"));
    json::object b{
        {"pharmacy_id", pharmacy}, {"mode", mode}, {"lines", std::move(lines)}, {"advice_acknowledged_items", acks}};
    if (mode == "delivery") {
      b["address"] = "武汉市江汉区测试路1号";
      b["lat"] = 30.6010;
      b["lon"] = 114.2710;
    }
    return s().Post("/api/v1/otc-orders", b, token);
  }
  static json::array Line(std::int64_t item, std::int64_t qty) {
    return json::array{{{"formulary_item_id", item}, {"quantity", qty}}};
  }
  std::int64_t OrdersCount() { return Count("SELECT COUNT(*) FROM drug_orders WHERE kind = 'otc'"); }

  std::int64_t ibuprofen_ = 0, loratadine_ = 0, ibuprofen_inj_ = 0, insulin_ = 0, amoxicillin_ = 0, diazepam_ = 0, ephedrine_ = 0;
};

TEST_P(OtcApiTest, OnlyPharmacistsMarkWithAReferenceAuditedAndRevocable) {
  auto patient = s().NewPatient("想标记的患者");
  auto ph = NewPharmacy("标记药房", 30.6000, 114.2700, 3000, 0);
  auto staff = Staff(ph, "药房店员", "manager");
  EXPECT_EQ(Mark(ibuprofen_, "B", patient.token).status, 403);
  EXPECT_EQ(Mark(ibuprofen_, "B", staff.token).status, 403) << "a pharmacy's staff is not a pharmacist";
  EXPECT_EQ(Mark(ibuprofen_, "B", admin_.token).status, 403) << "an admin is not a pharmacist";
  EXPECT_EQ(s().Get(Otc(ibuprofen_), patient.token).status, 403);
  // The reference is required; 甲类 needs the pharmacist's advice; the limit is capped.
  auto noref = s().Post(Otc(ibuprofen_), {{"otc_class", "B"}}, pharmacist_.token);
  ASSERT_EQ(noref.status, 400) << noref.body;
  EXPECT_EQ(noref.json().at("errors").at(0).at("field"), "reference");
  auto noadvice =
      s().Post(Otc(ibuprofen_), {{"otc_class", "A"}, {"reference", "国药监公告（测试）"}}, pharmacist_.token);
  ASSERT_EQ(noadvice.status, 400) << noadvice.body;
  EXPECT_EQ(noadvice.json().at("errors").at(0).at("field"), "advice");
  EXPECT_EQ(Mark(ibuprofen_, "B", pharmacist_.token, 6).status, 400);
  EXPECT_EQ(Mark(999999, "B", pharmacist_.token).status, 404);

  auto marked = Mark(ibuprofen_, "B", pharmacist_.token);
  ASSERT_EQ(marked.status, 201) << marked.body;
  EXPECT_EQ(marked.json().at("otc_class"), "B");
  EXPECT_EQ(marked.json().at("max_per_order").as_int64(), 3) << "the ihos default";
  auto again = Mark(ibuprofen_, "A", pharmacist_.token, 2);  // reclassified: a new row
  ASSERT_EQ(again.status, 201) << again.body;
  // The shop lists it with its current class and limit.
  auto shop = s().Get("/api/v1/otc/drugs?q=%E5%B8%83%E6%B4%9B%E8%8A%AC", patient.token);
  ASSERT_EQ(shop.status, 200) << shop.body;
  ASSERT_EQ(shop.json().at("items").as_array().size(), 1u) << shop.body;
  EXPECT_EQ(shop.json().at("items").at(0).at("id").as_int64(), ibuprofen_);
  EXPECT_EQ(shop.json().at("items").at(0).at("otc").at("otc_class"), "A");
  EXPECT_EQ(shop.json().at("items").at(0).at("otc").at("max_per_order").as_int64(), 2);
  // Who marked it is not shown to every signed-in user (the history, for pharmacists, keeps it).
  EXPECT_FALSE(shop.json().at("items").at(0).at("otc").as_object().contains("by_user")) << shop.body;
  EXPECT_FALSE(shop.json().at("items").at(0).at("otc").as_object().contains("by_name")) << shop.body;

  // Revoked with a reason: out of the shop; revoking again is refused; the history keeps all three.
  EXPECT_EQ(s().Post(Otc(ibuprofen_, "/revoke"), json::object{}, pharmacist_.token).status, 400);
  // An admin may stop a mark (not make one).
  auto rev = s().Post(Otc(ibuprofen_, "/revoke"), {{"reason", "目录调整"}}, admin_.token);
  ASSERT_EQ(rev.status, 201) << rev.body;
  auto twice = s().Post(Otc(ibuprofen_, "/revoke"), {{"reason", "再次"}}, pharmacist_.token);
  ASSERT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json().at("code"), "otc_not_marked");
  EXPECT_TRUE(
      s().Get("/api/v1/otc/drugs?q=%E5%B8%83%E6%B4%9B%E8%8A%AC", patient.token).json().at("items").as_array().empty());
  // Re-running the demo seed does not undo the revocation.
  ASSERT_TRUE(s().app().drugs().SeedOtcMark(ibuprofen_, {"B", "DEMO 演示标记（非真实目录）", "", "", 0, true}));
  EXPECT_TRUE(
      s().Get("/api/v1/otc/drugs?q=%E5%B8%83%E6%B4%9B%E8%8A%AC", patient.token).json().at("items").as_array().empty());
  auto hist = s().Get(Otc(ibuprofen_), pharmacist_.token);
  ASSERT_EQ(hist.status, 200) << hist.body;
  const auto& h = hist.json().at("items").as_array();
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].at("action"), "revoke");
  EXPECT_EQ(h[0].at("reason"), "目录调整");
  EXPECT_EQ(h[0].at("by_user").as_int64(), admin_.id);
  EXPECT_EQ(h[1].at("by_name"), "赵药师");
  EXPECT_EQ(h[2].at("reference"), "国家药监局非处方药目录（测试引用）");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('formulary.otc_mark', 'formulary.otc_revoke') "
                  "AND resource_id = '" +
                  std::to_string(ibuprofen_) + "'"),
            3);
}

TEST_P(OtcApiTest, WhatTheProhibitionListCoversCannotBeMarked) {
  auto refused = [&](std::int64_t item, const std::string& code) {
    auto r = Mark(item, "B", pharmacist_.token);
    EXPECT_EQ(r.status, 409) << r.body;
    if (r.status != 409) return;
    EXPECT_EQ(std::string(r.json().at("code").as_string()), code);
    // Bilingual, naming the drug.
    EXPECT_NE(std::string(r.json().at("message").at("zh-CN").as_string()).find("“"), std::string::npos) << r.body;
    EXPECT_FALSE(r.json().at("message").at("en").as_string().empty());
  };
  refused(ibuprofen_inj_, "otc_rx_only");            // 注射剂: no injection is OTC
  refused(insulin_, "otc_rx_only");                  // glucose-lowering injections included
  refused(diazepam_, "otc_online_prohibited");       // 精神药品
  refused(ephedrine_, "otc_ephedrine_compound");     // 含麻黄碱类复方制剂
  refused(amoxicillin_, "otc_rx_only");              // systemic antibacterial
  EXPECT_EQ(Count("SELECT COUNT(*) FROM formulary_otc_marks"), 0);
}

TEST_P(OtcApiTest, APatientBuysOtcDrugsWithoutAPrescriptionPaysSelfPayAndCollects) {
  auto mark_a = Mark(ibuprofen_, "A", pharmacist_.token);
  ASSERT_EQ(mark_a.status, 201) << mark_a.body;
  ASSERT_EQ(Mark(loratadine_, "B", pharmacist_.token).status, 201);
  auto ph = NewPharmacy("OTC药房", 30.6000, 114.2700, 3000, 500);
  Stock(ph, ibuprofen_, 10, 1200);
  Stock(ph, loratadine_, 10, 1800);
  auto counter = Staff(ph, "柜台", "counter");
  auto patient = Insured("买药患者");

  // Nearby search (the pharmacy capability's) finds the pharmacy with both in stock and prices them.
  auto near =
      s().Get("/api/v1/pharmacies/nearby?lat=30.6010&lon=114.2710&radius_m=3000&items=" + std::to_string(ibuprofen_) +
                  ":2," + std::to_string(loratadine_) + ":1",
              patient.token);
  ASSERT_EQ(near.status, 200) << near.body;
  ASSERT_EQ(near.json().at("items").as_array().size(), 1u) << near.body;

  json::array lines{{{"formulary_item_id", ibuprofen_}, {"quantity", 2}},
                    {{"formulary_item_id", loratadine_}, {"quantity", 1}}};
  auto placed = Buy(patient.token, ph, lines, true, "delivery");
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto& o = placed.json();
  EXPECT_EQ(o.at("kind"), "otc");
  EXPECT_TRUE(o.at("prescription_id").is_null());
  EXPECT_EQ(o.at("items_fen").as_int64(), 2 * 1200 + 1800);
  EXPECT_EQ(o.at("lines").at(0).at("otc_class"), "A");
  // The line keeps the mark whose advice was acknowledged.
  EXPECT_EQ(o.at("lines").at(0).at("otc_mark_id").as_int64(), mark_a.json().at("id").as_int64());
  EXPECT_EQ(o.at("events").at(0).at("note"), "otc_advice_acknowledged");
  const auto id = o.at("id").as_int64();
  EXPECT_EQ(Available(ph, ibuprofen_), 8);

  // Self-pay: without a prescription the insurance fund pays nothing (only drug.none lines and the fee).
  auto bill = Bill(id, patient.token);
  EXPECT_EQ(bill.at("total_fen").as_int64(), 4200 + 500);
  for (const auto& l : bill.at("lines").as_array()) EXPECT_NE(l.at("item_class"), "A");
  PayBill(id, patient.token);
  const auto paid = Bill(id, patient.token);
  ASSERT_TRUE(paid.contains("settlement")) << paid;
  EXPECT_EQ(paid.at("settlement").at("fund_fen").as_int64(), 0) << paid;
  EXPECT_EQ(paid.at("payment").at("amount_fen").as_int64(), 4200 + 500) << "all of it in cash";

  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  auto disp = s().Post(OPath(id, "/dispense"), json::object{}, counter.token);
  ASSERT_EQ(disp.status, 200) << disp.body;
  EXPECT_EQ(disp.json().at("status"), "dispensed");
  EXPECT_EQ(OnHand(ph, ibuprofen_), 8);
  EXPECT_EQ(OnHand(ph, loratadine_), 9);
  auto mine = s().Get("/api/v1/me/drug-orders", patient.token);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("items").at(0).at("kind"), "otc");

  // A pickup order of the same, collected with the pickup code at the counter.
  auto pick = Buy(patient.token, ph, Line(loratadine_, 2));
  ASSERT_EQ(pick.status, 201) << pick.body;
  const auto pid = pick.json().at("id").as_int64();
  PayBill(pid, patient.token);
  ASSERT_EQ(s().Post(OPath(pid, "/accept"), json::object{}, counter.token).status, 200);
  ASSERT_EQ(s().Post(OPath(pid, "/dispense"), json::object{}, counter.token).status, 200);
  auto code = s().Get(OPath(pid, "/pickup-code"), patient.token);
  ASSERT_EQ(code.status, 200) << code.body;
  auto scan = s().Post("/api/v1/pharmacy-orders/" + std::to_string(ph) + "/pickup-scans",
                       {{"code", code.json().at("code")}}, counter.token);
  ASSERT_EQ(scan.status, 200) << scan.body;
  EXPECT_EQ(scan.json().at("status"), "handed_over");
}

TEST_P(OtcApiTest, EveryOrderRefusalHasItsCodeAndLeavesNoOrder) {
  ASSERT_EQ(Mark(ibuprofen_, "A", pharmacist_.token).status, 201);
  ASSERT_EQ(Mark(loratadine_, "B", pharmacist_.token, 2).status, 201);
  auto ph = NewPharmacy("拒单药房", 30.6000, 114.2700, 3000, 0);
  Stock(ph, ibuprofen_, 10, 1200);
  Stock(ph, loratadine_, 1, 1800);
  Stock(ph, amlodipine_, 10, 2000);
  Stock(ph, amoxicillin_, 10, 900);
  auto bare = NewPharmacy("无货药房", 30.6005, 114.2705, 3000, 0);
  auto patient = s().NewPatient("被拒患者");
  auto refused = [&](const Resp& r, const std::string& code, const std::string& name = "") {
    EXPECT_EQ(r.status, 409) << r.body;
    if (r.status != 409) return;
    EXPECT_EQ(std::string(r.json().at("code").as_string()), code) << r.body;
    if (!name.empty()) {
      EXPECT_NE(std::string(r.json().at("message").at("zh-CN").as_string()).find(name), std::string::npos) << r.body;
    }
  };
  refused(Buy(patient.token, ph, Line(amoxicillin_, 1)), "rx_required", "阿莫西林");
  refused(Buy(patient.token, ph, Line(diazepam_, 1)), "rx_required", "地西泮");
  refused(Buy(patient.token, ph, Line(amlodipine_, 1)), "otc_not_marked", "氨氯地平");
  refused(Buy(patient.token, ph, Line(ibuprofen_inj_, 1)), "rx_required", "布洛芬");
  // Insulin is sold online only with a prescription, whatever was marked.
  refused(Buy(patient.token, ph, Line(insulin_, 1), true), "rx_required", "甘精胰岛素");
  refused(Buy(patient.token, ph, Line(ephedrine_, 1)), "otc_ephedrine_compound");
  auto over = Buy(patient.token, ph, Line(loratadine_, 3));
  refused(over, "otc_quantity_limit", "氯雷他定");
  EXPECT_NE(std::string(over.json().at("message").at("en").as_string()).find("At most 2 boxes"), std::string::npos)
      << over.body;
  refused(Buy(patient.token, ph, Line(ibuprofen_, 4), true), "otc_quantity_limit");  // the default 3
  refused(Buy(patient.token, ph, Line(ibuprofen_, 1), false), "otc_advice_required", "布洛芬");
  // The acknowledgement is per line: one for the 乙类 line does not cover the 甲类 one.
  refused(s().Post("/api/v1/otc-orders",
                   {{"pharmacy_id", ph},
                    {"mode", "pickup"},
                    {"lines", json::array{{{"formulary_item_id", loratadine_}, {"quantity", 1}},
                                          {{"formulary_item_id", ibuprofen_}, {"quantity", 1}}}},
                    {"advice_acknowledged_items", json::array{loratadine_}}},
                   patient.token),
          "otc_advice_required", "布洛芬");
  auto oldbool = s().Post("/api/v1/otc-orders",
                          {{"pharmacy_id", ph},
                           {"mode", "pickup"},
                           {"lines", Line(ibuprofen_, 1)},
                           {"advice_acknowledged_items", json::array{"yes"}}},
                          patient.token);
  EXPECT_EQ(oldbool.status, 400) << oldbool.body;
  refused(Buy(patient.token, bare, Line(ibuprofen_, 1), true), "pharmacy_item_unavailable");
  refused(Buy(patient.token, ph, Line(loratadine_, 2)), "stock_insufficient");
  // Validation: no lines, the same line twice, an unknown line, an unknown pharmacy.
  EXPECT_EQ(Buy(patient.token, ph, json::array{}).status, 400);
  json::array dup{{{"formulary_item_id", loratadine_}, {"quantity", 1}},
                  {{"formulary_item_id", loratadine_}, {"quantity", 1}}};
  EXPECT_EQ(Buy(patient.token, ph, dup).status, 400);
  EXPECT_EQ(Buy(patient.token, ph, Line(999999, 1)).status, 400);
  EXPECT_EQ(Buy(patient.token, 999999, Line(loratadine_, 1)).status, 400);
  // Someone else as the patient: not the actor's ward.
  auto other = s().NewPatient("别人");
  auto stranger =
      s().Post("/api/v1/otc-orders",
               {{"pharmacy_id", ph}, {"mode", "pickup"}, {"patient_id", other.id}, {"lines", Line(loratadine_, 1)}},
               patient.token);
  EXPECT_EQ(stranger.status, 404) << stranger.body;
  // A revoked mark is not sold any more.
  ASSERT_EQ(s().Post(Otc(loratadine_, "/revoke"), {{"reason", "撤销"}}, pharmacist_.token).status, 201);
  refused(Buy(patient.token, ph, Line(loratadine_, 1)), "otc_not_marked");
  EXPECT_EQ(OrdersCount(), 0);
  EXPECT_EQ(Available(ph, loratadine_), 1);
  EXPECT_EQ(Available(ph, ibuprofen_), 10);
}

TEST_P(OtcApiTest, ACancelledPaidOtcOrderReleasesTheStockAndIsRefundedOnce) {
  ASSERT_EQ(Mark(loratadine_, "B", pharmacist_.token).status, 201);
  auto ph = NewPharmacy("退款OTC药房", 30.6000, 114.2700, 3000, 0);
  Stock(ph, loratadine_, 3, 1800);
  auto counter = Staff(ph, "柜台", "counter");
  auto patient = s().NewPatient("退款患者");
  auto placed = Buy(patient.token, ph, Line(loratadine_, 2));
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).status, 200);
  EXPECT_EQ(Available(ph, loratadine_), 1);
  auto c = s().Post(OPath(id, "/cancel"), {{"reason", "不需要了"}}, patient.token);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.json().at("status"), "cancelled");
  EXPECT_EQ(Available(ph, loratadine_), 3);
  ASSERT_TRUE(WaitFor([&] { return Bill(id, patient.token).at("status") == "refunded"; }));
  EXPECT_EQ(Bill(id, patient.token).at("refunds").as_array().size(), 1u);
  EXPECT_EQ(s().Post(OPath(id, "/cancel"), json::object{}, patient.token).json().at("code"), "drug_order_wrong_status");
  EXPECT_EQ(Bill(id, patient.token).at("refunds").as_array().size(), 1u);
}

TEST_P(OtcApiTest, AMarkRevokedAfterPayingStopsTheOrderWhichIsRejectedAndRefundedOnce) {
  ASSERT_EQ(Mark(loratadine_, "B", pharmacist_.token).status, 201);
  ASSERT_EQ(Mark(ibuprofen_, "B", pharmacist_.token).status, 201);
  auto ph = NewPharmacy("撤销标记药房", 30.6000, 114.2700, 3000, 0);
  Stock(ph, loratadine_, 5, 1800);
  Stock(ph, ibuprofen_, 5, 1200);
  auto counter = Staff(ph, "柜台", "counter");
  auto patient = s().NewPatient("撤销后患者");
  // Revoked after paying, before the pharmacy accepts: accept refused, rejected, stock back, refunded once.
  auto placed = Buy(patient.token, ph, Line(loratadine_, 2));
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto id = placed.json().at("id").as_int64();
  PayBill(id, patient.token);
  ASSERT_EQ(s().Post(Otc(loratadine_, "/revoke"), {{"reason", "目录调整"}}, pharmacist_.token).status, 201);
  auto acc = s().Post(OPath(id, "/accept"), json::object{}, counter.token);
  ASSERT_EQ(acc.status, 409) << acc.body;
  EXPECT_EQ(acc.json().at("code"), "otc_not_marked");
  EXPECT_NE(std::string(acc.json().at("message").at("zh-CN").as_string()).find("氯雷他定"), std::string::npos)
      << acc.body;
  EXPECT_EQ(s().Get(OPath(id), patient.token).json().at("status"), "rejected");
  EXPECT_EQ(Available(ph, loratadine_), 5);
  ASSERT_TRUE(WaitFor([&] { return Bill(id, patient.token).at("status") == "refunded"; }));
  EXPECT_EQ(Bill(id, patient.token).at("refunds").as_array().size(), 1u);
  EXPECT_EQ(s().Post(OPath(id, "/accept"), json::object{}, counter.token).json().at("code"), "drug_order_wrong_status");
  EXPECT_EQ(Bill(id, patient.token).at("refunds").as_array().size(), 1u);
  // Revoked after it was accepted: dispense refused, nothing leaves the shelf.
  auto second = Buy(patient.token, ph, Line(ibuprofen_, 1));
  ASSERT_EQ(second.status, 201) << second.body;
  const auto id2 = second.json().at("id").as_int64();
  PayBill(id2, patient.token);
  ASSERT_EQ(s().Post(OPath(id2, "/accept"), json::object{}, counter.token).status, 200);
  ASSERT_EQ(s().Post(Otc(ibuprofen_, "/revoke"), {{"reason", "目录调整"}}, pharmacist_.token).status, 201);
  auto disp = s().Post(OPath(id2, "/dispense"), json::object{}, counter.token);
  ASSERT_EQ(disp.status, 409) << disp.body;
  EXPECT_EQ(disp.json().at("code"), "otc_not_marked");
  EXPECT_EQ(s().Get(OPath(id2), patient.token).json().at("status"), "rejected");
  EXPECT_EQ(OnHand(ph, ibuprofen_), 5);
  ASSERT_TRUE(WaitFor([&] { return Bill(id2, patient.token).at("status") == "refunded"; }));
  EXPECT_EQ(Bill(id2, patient.token).at("refunds").as_array().size(), 1u);
}

TEST_P(OtcApiTest, AGuardianOrdersForAMinorWardAndNobodyElseCan) {
  ASSERT_EQ(Mark(loratadine_, "B", pharmacist_.token).status, 201);
  auto ph = NewPharmacy("监护OTC药房", 30.6000, 114.2700, 3000, 0);
  Stock(ph, loratadine_, 5, 1800);
  auto parent = s().NewPatient("监护家长");
  const auto today = CivilDateCst(s().clock().NowMs());
  const std::string born = std::to_string(std::stoi(today.substr(0, 4)) - 8) + today.substr(5, 2) + "01";
  auto add =
      s().Post("/api/v1/me/dependents",
               {{"real_name", "小明明"}, {"id_number", MakeIdNumber(born)}, {"relationship", "parent"}}, parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const auto ward = add.json().at("id").as_int64();
  auto placed = s().Post(
      "/api/v1/otc-orders",
      {{"pharmacy_id", ph}, {"mode", "pickup"}, {"patient_id", ward}, {"lines", Line(loratadine_, 1)}}, parent.token);
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(placed.json().at("patient_id").as_int64(), ward);
  auto mine = s().Get("/api/v1/me/drug-orders", parent.token);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("items").as_array().size(), 1u);
  // Another adult cannot order for the ward, nor see the order.
  auto stranger = s().NewPatient("无关成人");
  EXPECT_EQ(s().Post("/api/v1/otc-orders",
                     {{"pharmacy_id", ph}, {"mode", "pickup"}, {"patient_id", ward}, {"lines", Line(loratadine_, 1)}},
                     stranger.token)
                .status,
            404);
  EXPECT_EQ(s().Get(OPath(placed.json().at("id").as_int64()), stranger.token).status, 404);
  EXPECT_EQ(Available(ph, loratadine_), 4);
}

TEST_P(OtcApiTest, ALineWithAMinimumAgeIsNotSoldForAYoungerWard) {
  // The same drug as an adults' line: the insert says 12 and over.
  const auto adults = AddFormLine("氯雷他定", "口服常释剂型", "10mg（成人）", 10'000, 12, 12);
  ASSERT_EQ(Mark(adults, "B", pharmacist_.token).status, 201);
  auto ph = NewPharmacy("年龄药房", 30.6000, 114.2700, 3000, 0);
  Stock(ph, adults, 5, 1800);
  auto parent = s().NewPatient("年龄家长");
  const auto today = CivilDateCst(s().clock().NowMs());
  const std::string born = std::to_string(std::stoi(today.substr(0, 4)) - 8) + today.substr(5, 2) + "01";
  auto add =
      s().Post("/api/v1/me/dependents",
               {{"real_name", "小年龄"}, {"id_number", MakeIdNumber(born)}, {"relationship", "parent"}}, parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const auto ward = add.json().at("id").as_int64();
  auto young = s().Post("/api/v1/otc-orders",
                        {{"pharmacy_id", ph}, {"mode", "pickup"}, {"patient_id", ward}, {"lines", Line(adults, 1)}},
                        parent.token);
  ASSERT_EQ(young.status, 409) << young.body;
  EXPECT_EQ(young.json().at("code"), "otc_min_age");
  EXPECT_NE(std::string(young.json().at("message").at("zh-CN").as_string()).find("12岁"), std::string::npos)
      << young.body;
  EXPECT_NE(std::string(young.json().at("message").at("en").as_string()).find("ages 12"), std::string::npos)
      << young.body;
  EXPECT_EQ(OrdersCount(), 0);
  EXPECT_EQ(Available(ph, adults), 5);
  // The adult guardian buys it for themself.
  auto self = Buy(parent.token, ph, Line(adults, 1));
  EXPECT_EQ(self.status, 201) << self.body;
}

TEST_P(OtcApiTest, BuyersRacingForTheLastBoxesNeverTakeTheStockBelowZero) {
  ASSERT_EQ(Mark(loratadine_, "B", pharmacist_.token).status, 201);
  auto ph = NewPharmacy("抢购药房", 30.6000, 114.2700, 3000, 0);
  Stock(ph, loratadine_, 3, 1800);  // the last 3 boxes
  constexpr int kBuyers = 12;
  std::vector<TestServer::Account> buyers;
  const char* kNames[kBuyers] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑"};
  for (int i = 0; i < kBuyers; ++i) buyers.push_back(s().NewPatient(std::string("抢购") + kNames[i]));
  std::atomic<int> placed{0}, short_stock{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kBuyers; ++i)
    threads.emplace_back([&, i] {
      for (;;) {
        auto r = Buy(buyers[i].token, ph, Line(loratadine_, 1));
        if (r.status == 503) continue;  // overloaded: asked again, as a client would
        if (r.status == 201)
          ++placed;
        else if (r.status == 409 && r.json().at("code") == "stock_insufficient")
          ++short_stock;
        else
          ++other;
        return;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(placed.load(), 3);
  EXPECT_EQ(short_stock.load(), kBuyers - 3);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Available(ph, loratadine_), 0);
  EXPECT_EQ(OrdersCount(), 3);
  // A refused order made no bill.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM billing_orders WHERE source_kind = 'drug_order'"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, OtcApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_otc_api_test
}  // namespace ihos::apitest
