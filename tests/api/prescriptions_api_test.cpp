// Prescription safety through the real HTTP server, on SQLite and PostgreSQL. The expectations
// were written from the published sources (issue 20's rule table, docs RULES.md §Prescriptions,
// 处方管理办法 2007, 长期处方管理规范（试行）2021, 互联网诊疗监管细则 2022, the ONC high-priority
// interaction list, cn_controlled_drugs/SOURCE.md) before the implementation's rules were read;
// see tests/PRESCRIPTION_TEST_PLAN.md. For every rule code: one request that triggers it (409 with
// the code, the message naming the drug) and one near miss that is allowed.
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/clock.hpp"
#include "domain/drugs/import.hpp"
#include "domain/drugs/service.hpp"
#include "harness.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest {
namespace api_prescriptions_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

constexpr char kDoctorPin[] = "135790";
constexpr char kPharmacistPin[] = "246802";

std::string DataDir() {
  const char* d = std::getenv("IHOS_DRUG_DATA");
  return d && *d ? d : "/work/shared/data";
}

struct Line {
  const char* name;
  const char* form;
  const char* en;
  const char* strength;
  const char* unit;
  std::int64_t amount_milli;
  const char* package_unit;
  std::int64_t package_size;
  const char* route;
  std::optional<std::int64_t> max_single, max_daily, child_per_kg;
  std::int64_t min_age;
  const char* storage;
};

// Fixture formulary: strengths and limits from the package inserts, as in the demo formulary
// (src/cli/demo_prescriptions.cpp), plus controlled and near-miss rows from the controlled lists.
const Line kLines[] = {
    {"二甲双胍", "口服常释剂型", "Metformin", "0.5g", "mg", 500'000, "片", 20, "oral", std::nullopt, 2'550'000,
     std::nullopt, 10, ""},
    {"氨氯地平", "口服常释剂型", "Amlodipine", "5mg", "mg", 5'000, "片", 28, "oral", 10'000, 10'000, std::nullopt, 6,
     ""},
    {"阿托伐他汀", "口服常释剂型", "Atorvastatin", "20mg", "mg", 20'000, "片", 7, "oral", 80'000, 80'000, std::nullopt,
     10, ""},
    {"辛伐他汀", "口服常释剂型", "Simvastatin", "20mg", "mg", 20'000, "片", 14, "oral", 80'000, 80'000, std::nullopt,
     10, ""},
    {"阿司匹林", "口服常释剂型(不含分散片)", "Aspirin", "100mg", "mg", 100'000, "片", 30, "oral", 300'000, 300'000,
     std::nullopt, 16, ""},
    {"布洛芬", "口服常释剂型", "Ibuprofen", "0.2g", "mg", 200'000, "片", 24, "oral", 400'000, 2'400'000, 30'000, 0, ""},
    {"布洛芬", "口服液体剂", "Ibuprofen", "100ml:2g", "mg", 2'000'000, "瓶", 1, "oral", std::nullopt, std::nullopt,
     40'000, 1, ""},
    {"阿莫西林", "口服常释剂型", "Amoxicillin", "0.25g", "mg", 250'000, "粒", 24, "oral", std::nullopt, 4'000'000,
     40'000, 0, ""},
    {"氟康唑", "口服常释剂型", "Fluconazole", "150mg", "mg", 150'000, "粒", 1, "oral", 400'000, 400'000, 12'000, 0, ""},
    {"甘精胰岛素", "注射剂", "Insulin glargine", "3ml:300单位", "IU", 300'000, "支", 1, "subcutaneous", std::nullopt,
     std::nullopt, std::nullopt, 6, "2~8°C冷藏（未开启）"},
    {"氯雷他定", "口服常释剂型", "Loratadine", "10mg", "mg", 10'000, "片", 6, "oral", 10'000, 10'000, std::nullopt, 2,
     ""},
    {"奥美拉唑", "口服常释剂型", "Omeprazole", "20mg", "mg", 20'000, "粒", 14, "oral", 40'000, 40'000, std::nullopt, 18,
     ""},
    {"异烟肼", "口服常释剂型", "Isoniazid", "0.1g", "mg", 100'000, "片", 100, "oral", 300'000, 300'000, 10'000, 0, ""},
    {"左氧氟沙星", "口服常释剂型", "Levofloxacin", "0.5g", "mg", 500'000, "片", 4, "oral", 750'000, 750'000,
     std::nullopt, 18, ""},
    {"地西泮", "口服常释剂型", "Diazepam", "2.5mg", "mg", 2'500, "片", 20, "oral", 10'000, 40'000, std::nullopt, 0, ""},
    {"吗啡", "口服常释剂型", "Morphine", "10mg", "mg", 10'000, "片", 10, "oral", 30'000, 100'000, std::nullopt, 0, ""},
    {"麻黄碱", "滴鼻剂", "Ephedrine", "1%", "ml", 1'000, "支", 1, "nasal", std::nullopt, std::nullopt, std::nullopt, 0,
     ""},
    {"阿托品", "口服常释剂型", "Atropine", "0.3mg", "mg", 300, "片", 100, "oral", 1'000, 3'000, std::nullopt, 0, ""},
    {"氢氯噻嗪", "口服常释剂型", "Hydrochlorothiazide", "25mg", "mg", 25'000, "片", 100, "oral", 100'000, 100'000,
     std::nullopt, 0, ""},
    {"黄芪", "", "Astragali Radix", "饮片", "g", 1'000, "g", 1, "oral", 30'000, 30'000, std::nullopt, 0, ""},
};

struct Doctor {
  TestServer::Account account;
  std::int64_t practitioner_id = 0;
  std::int64_t hospital_id = 0;
};

class PrescriptionApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // The diagnosis catalogue rows the records name (ICD-10 北京临床版 v6.01 codes).
    auto st = s().app().db().Transact(store::TxMode::write, [](store::Tx& tx) -> Status {
      for (auto [code, name] : {std::pair{"I10.X00", "原发性高血压"}, std::pair{"A15.001", "肺结核(显微镜检证实)"}}) {
        auto n = tx.Exec(
            "INSERT INTO icd10_codes (code, name_zh, level, category, search_text) VALUES ($1, $2, "
            "'extension', $3, $4)",
            {code, name, std::string(code).substr(0, 3), std::string(code) + " " + name});
        if (!n) return n.error();
      }
      return {};
    });
    ASSERT_TRUE(st);
    ImportCatalogue();
    admin_ = s().NewAdmin();
    for (const auto& l : kLines) formulary_[std::string(l.name) + "|" + l.form] = AddLine(l);
    doctor_ = NewDoctor("李医生");
    pharmacist_ = NewPharmacist(doctor_.hospital_id, "赵药师");
  }

  void ImportCatalogue() {
    const std::string data = DataDir();
    auto pinyin = domain::drugs::ReadPinyinTable("/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go");
    ASSERT_TRUE(pinyin) << pinyin.error().code;
    auto controlled = domain::drugs::ReadControlled(data + "/cn_controlled_drugs/controlled_drugs.csv");
    ASSERT_TRUE(controlled) << controlled.error().code;
    auto drugs = domain::drugs::ReadNrdl(data + "/drugs_nrdl/nrdl_2024_drug_list.csv", *controlled, *pinyin);
    ASSERT_TRUE(drugs) << drugs.error().code;
    auto pairs = domain::drugs::ReadInteractions(data + "/ddi_onc_high_priority");
    ASSERT_TRUE(pairs) << pairs.error().code;
    auto rep = s().app().drugs().Import(*drugs, *pairs);
    ASSERT_TRUE(rep) << rep.error().code;
  }

  std::int64_t DrugId(const std::string& name, const std::string& form) {
    auto d = s().app().drugs().FindByName(name, form);
    EXPECT_TRUE(d) << name << " " << form;
    return d ? d->id : 0;
  }

  std::int64_t AddLine(const Line& l) {
    json::object b{{"drug_id", DrugId(l.name, l.form)},
                   {"name_en", l.en},
                   {"strength", l.strength},
                   {"dose_unit", l.unit},
                   {"strength_amount_milli", l.amount_milli},
                   {"package_unit", l.package_unit},
                   {"package_size", l.package_size},
                   {"price_fen", 1000},
                   {"routes", json::array{l.route}},
                   {"min_age_years", l.min_age},
                   {"special_storage", l.storage},
                   {"insert_source", "test fixture (说明书)"}};
    if (l.max_single) b["max_single_milli"] = *l.max_single;
    if (l.max_daily) b["max_daily_milli"] = *l.max_daily;
    if (l.child_per_kg) b["child_max_daily_milli_per_kg"] = *l.child_per_kg;
    auto r = s().Post("/api/v1/admin/formulary", b, admin_.token);
    EXPECT_EQ(r.status, 201) << l.name << " " << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  std::int64_t F(const std::string& name, const std::string& form = "口服常释剂型") {
    auto it = formulary_.find(name + "|" + form);
    EXPECT_NE(it, formulary_.end()) << name;
    return it == formulary_.end() ? 0 : it->second;
  }

  Doctor NewDoctor(const std::string& name) {
    Doctor d{s().NewPatient(name), 0, 0};
    auto ids = testing::InsertPractitioner(s().app().db(), d.account.id);
    d.practitioner_id = ids.practitioner_id;
    d.hospital_id = ids.hospital_id;
    auto pin = s().Post("/api/v1/me/signing-pin", {{"role", "doctor"}, {"pin", kDoctorPin}}, d.account.token);
    EXPECT_EQ(pin.status, 201) << pin.body;
    return d;
  }

  void MakePharmacist(const TestServer::Account& a, std::int64_t hospital_id) {
    // The registration with the licence gives the role; an admin cannot grant it directly.
    auto g = s().Post("/api/v1/admin/users/" + std::to_string(a.id) + "/roles", {{"role", "pharmacist"}}, admin_.token);
    ASSERT_EQ(g.status, 409) << g.body;
    auto p =
        s().Post("/api/v1/admin/pharmacists",
                 {{"user_id", a.id}, {"hospital_id", hospital_id}, {"licence_number", "YS-" + a.phone}}, admin_.token);
    ASSERT_EQ(p.status, 201) << p.body;
    auto pin = s().Post("/api/v1/me/signing-pin", {{"role", "pharmacist"}, {"pin", kPharmacistPin}}, a.token);
    ASSERT_EQ(pin.status, 201) << pin.body;
  }

  TestServer::Account NewPharmacist(std::int64_t hospital_id, const std::string& name) {
    auto a = s().NewPatient(name);
    MakePharmacist(a, hospital_id);
    return a;
  }

  std::string CPath(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/consultations/" + std::to_string(id) + rest;
  }

  std::int64_t Upload(const std::string& token) {
    std::string png("\x89PNG\r\n\x1a\n", 8);
    png.resize(256, 'x');
    auto r = s().Call(verb::post, "/api/v1/files", png, token, {{"Content-Type", "image/png"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }

  // A follow-up consultation with a proof upload, accepted by `d`, with the follow-up decided
  // (`decision` empty = undecided) and a record naming `diagnosis`. `ward` = a dependent's id.
  std::int64_t Consultation(const Doctor& d, const std::string& patient_token, const std::string& decision = "verified",
                            std::optional<std::int64_t> ward = std::nullopt, const std::string& diagnosis = "I10.X00") {
    const auto proof = Upload(patient_token);
    json::object intake{{"chief_complaint", "高血压复诊开药"},
                        {"duration", "5年"},
                        {"symptoms", json::array{"头晕"}},
                        {"history", "高血压5年，规律服药"},
                        {"allergies", "无"},
                        {"medications", "氨氯地平 5mg qd"},
                        {"is_follow_up", true},
                        {"proof_upload_ids", json::array{proof}}};
    json::object body{{"kind", "text"}, {"practitioner_id", d.practitioner_id}, {"intake", intake}};
    if (ward) body["patient_id"] = *ward;
    auto r = s().Post("/api/v1/consultations", body, patient_token);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return 0;
    const auto id = r.json().at("id").as_int64();
    EXPECT_EQ(s().Post(CPath(id, "/accept"), json::object{}, d.account.token).status, 200);
    if (!decision.empty()) {
      auto v = s().Post(CPath(id, "/follow-up"), {{"decision", decision}, {"note", "已核对出院小结"}}, d.account.token);
      EXPECT_EQ(v.status, 200) << v.body;
    }
    auto rec = s().Call(verb::put, CPath(id, "/record"),
                        json::serialize(json::object{{"chief_complaint", "高血压复诊"},
                                                     {"present_illness", "血压控制平稳"},
                                                     {"diagnosis_code", diagnosis},
                                                     {"advice", "继续服药，定期复查"}}),
                        d.account.token);
    EXPECT_EQ(rec.status, 200) << rec.body;
    return id;
  }

  // A dependent born `years` ago (today's month, day 01 or earlier) of `parent`.
  std::int64_t Child(const TestServer::Account& parent, int years, const std::string& name) {
    const auto today = CivilDateCst(s().clock().NowMs());
    const std::string born = std::to_string(std::stoi(today.substr(0, 4)) - years) + today.substr(5, 2) + "01";
    auto add =
        s().Post("/api/v1/me/dependents",
                 {{"real_name", name}, {"id_number", MakeIdNumber(born)}, {"relationship", "parent"}}, parent.token);
    EXPECT_EQ(add.status, 201) << add.body;
    return add.status == 201 ? add.json().at("id").as_int64() : 0;
  }

  static json::object Item(std::int64_t formulary_id, std::int64_t single_dose_milli,
                           const std::string& frequency = "qd", std::int64_t days = 7,
                           const std::string& route = "oral") {
    return {{"formulary_id", formulary_id},
            {"single_dose_milli", single_dose_milli},
            {"route", route},
            {"frequency", frequency},
            {"days", days}};
  }
  static json::object Rx(std::int64_t consultation, json::array items) {
    return {{"consultation_id", consultation}, {"items", std::move(items)}};
  }
  Resp Sign(json::object body, const std::string& token, const std::string& pin = kDoctorPin) {
    body["pin"] = pin;
    return s().Post("/api/v1/prescriptions", body, token);
  }
  Resp Sign(json::object body) { return Sign(std::move(body), doctor_.account.token); }
  Resp Check(const json::object& body) { return s().Post("/api/v1/prescriptions/check", body, doctor_.account.token); }

  // A refusal at signing: 409, the rule code, and (for a drug rule) the drug named in the message.
  void ExpectRefused(const Resp& r, const std::string& code, const std::string& drug = "") {
    EXPECT_EQ(r.status, 409) << r.body;
    if (r.status >= 400 && r.status < 500 && r.json().is_object()) {
      EXPECT_EQ(r.json().at("code"), json::value(code)) << r.body;
      if (!drug.empty()) {
        EXPECT_NE(json::serialize(r.json().at("message")).find(drug), std::string::npos)
            << "message should name " << drug << ": " << r.body;
      }
    }
  }
  // A near miss: the draft check has no blocking hit, and signing succeeds.
  void ExpectAllowed(const json::object& body, bool sign = true) {
    auto c = Check(body);
    ASSERT_EQ(c.status, 200) << c.body;
    EXPECT_EQ(c.json().at("can_sign"), true) << c.body;
    if (sign) {
      auto r = Sign(body);
      EXPECT_EQ(r.status, 201) << r.body;
      if (r.status == 201) {
        EXPECT_EQ(r.json().at("status"), "pending_review");
      }
    }
  }
  // True when the draft check reports `code` as a blocking hit.
  bool CheckHits(const json::object& body, const std::string& code) {
    auto c = Check(body);
    EXPECT_EQ(c.status, 200) << c.body;
    if (c.status != 200) return false;
    for (const auto& h : c.json().at("hits").as_array())
      if (h.at("code") == json::value(code) && h.at("blocking") == true) return true;
    return false;
  }
  Resp Review(std::int64_t id, const std::string& outcome, const std::string& token, const std::string& reason = "",
              const std::string& pin = kPharmacistPin) {
    const std::string fail = outcome == "approved" ? "pass" : "fail";
    return s().Post("/api/v1/pharmacist/prescriptions/" + std::to_string(id) + "/review",
                    {{"outcome", outcome},
                     {"legality", "pass"},
                     {"normativity", "pass"},
                     {"suitability", fail},
                     {"reason", reason},
                     {"pin", pin}},
                    token);
  }
  std::string RxPath(std::int64_t id) { return "/api/v1/prescriptions/" + std::to_string(id); }

  TestServer::Account admin_;
  Doctor doctor_;
  TestServer::Account pharmacist_;
  std::map<std::string, std::int64_t> formulary_;
};

// ---- rx_follow_up_not_verified (互联网诊疗监管细则 2022: only a verified follow-up) ----
TEST_P(PrescriptionApiTest, FollowUpNotVerifiedIsRefusedAndAVerifiedFollowUpIsAllowed) {
  auto patient = s().NewPatient("张三");
  const auto advice = Consultation(doctor_, patient.token, "advice_only");
  ExpectRefused(Sign(Rx(advice, {Item(F("氨氯地平"), 5'000)})), "rx_follow_up_not_verified");
  auto other = s().NewPatient("李四");
  const auto undecided = Consultation(doctor_, other.token, "");
  ExpectRefused(Sign(Rx(undecided, {Item(F("氨氯地平"), 5'000)})), "rx_follow_up_not_verified");
  // Near miss: the same line in a verified follow-up.
  auto third = s().NewPatient("王五");
  ExpectAllowed(Rx(Consultation(doctor_, third.token), {Item(F("氨氯地平"), 5'000)}));
}

// ---- rx_controlled_drug (RULES.md; 2013 lists; precursor list; SOURCE.md note 1) ----
TEST_P(PrescriptionApiTest, ControlledDrugsAreRefusedOnlineButAtropineTabletsAreNot) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  ExpectRefused(Sign(Rx(c, {Item(F("地西泮"), 2'500)})), "rx_controlled_drug", "地西泮");       // psychotropic 2
  ExpectRefused(Sign(Rx(c, {Item(F("吗啡"), 10'000, "q12h")})), "rx_controlled_drug", "吗啡");  // narcotic
  ExpectRefused(Sign(Rx(c, {Item(F("麻黄碱", "滴鼻剂"), 100, "tid", 3, "nasal")})), "rx_controlled_drug",
                "麻黄碱");  // 药品类易制毒化学品
  // Near miss: the Western toxic items are the raw substance only; atropine tablets are ordinary.
  ExpectAllowed(Rx(c, {Item(F("阿托品"), 300, "tid", 3)}));
}

// ---- rx_too_many_items (处方管理办法 2007 第十九条: 每张处方不得超过5种药品) ----
TEST_P(PrescriptionApiTest, SixDrugsAreTooManyAndExactlyFiveAreAllowed) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  json::array five{Item(F("二甲双胍"), 500'000, "bid"), Item(F("氨氯地平"), 5'000), Item(F("阿托伐他汀"), 20'000),
                   Item(F("氯雷他定"), 10'000), Item(F("奥美拉唑"), 20'000)};
  json::array six = five;
  six.push_back(Item(F("阿司匹林", "口服常释剂型(不含分散片)"), 100'000));
  ExpectRefused(Sign(Rx(c, six)), "rx_too_many_items");
  ExpectAllowed(Rx(c, five));
}

// ---- rx_herbal_mixed (处方管理办法 2007: 中药饮片应当单独开具处方) ----
TEST_P(PrescriptionApiTest, HerbalSlicesWithAWesternDrugAreRefusedAndAloneAllowed) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  ExpectRefused(Sign(Rx(c, {Item(F("黄芪", ""), 15'000, "bid"), Item(F("氨氯地平"), 5'000)})), "rx_herbal_mixed");
  ExpectAllowed(Rx(c, {Item(F("黄芪", ""), 15'000, "bid")}));
}

// ---- rx_days_exceeded (处方管理办法 2007 第十九条 ≤7 days; 长期处方管理规范 2021: ≤4 weeks, ≤12 weeks with
// the doctor's assessment and the patient's confirmation) ----
TEST_P(PrescriptionApiTest, DaysOfSupplyLimitsAndTheirNearMisses) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  const auto aml = F("氨氯地平");
  // > 7 without a long prescription.
  ExpectRefused(Sign(Rx(c, {Item(aml, 5'000, "qd", 8)})), "rx_days_exceeded", "氨氯地平");
  ExpectAllowed(Rx(c, {Item(aml, 5'000, "qd", 7)}), false);
  // > 28 as a long prescription without assessment + confirmation.
  json::object long29 = Rx(c, {Item(aml, 5'000, "qd", 29)});
  long29["long_term"] = true;
  ExpectRefused(Sign(long29), "rx_days_exceeded", "氨氯地平");
  json::object assessed_unconfirmed = long29;
  assessed_unconfirmed["long_term_assessment"] = "血压稳定半年，评估可开具长期处方";
  ExpectRefused(Sign(assessed_unconfirmed), "rx_days_exceeded", "氨氯地平");
  json::object long28 = Rx(c, {Item(aml, 5'000, "qd", 28)});
  long28["long_term"] = true;
  ExpectAllowed(long28, false);
  // > 84 ever, even with both.
  json::object long85 = Rx(c, {Item(aml, 5'000, "qd", 85)});
  long85["long_term"] = true;
  long85["long_term_assessment"] = "血压稳定半年，评估可开具长期处方";
  long85["patient_confirmed_long"] = true;
  ExpectRefused(Sign(long85), "rx_days_exceeded", "氨氯地平");
  json::object long84 = long85;
  long84["items"] = json::array{Item(aml, 5'000, "qd", 84)};
  ExpectAllowed(long84);
}

// ---- rx_long_term_excluded (长期处方管理规范 2021: no antimicrobial except chronic bacterial/fungal
// infection such as tuberculosis; no special storage) ----
TEST_P(PrescriptionApiTest, LongPrescriptionsExcludeAntimicrobialsAndRefrigeratedDrugsButNotTuberculosis) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  json::object amox = Rx(c, {Item(F("阿莫西林"), 500'000, "tid", 14)});
  amox["long_term"] = true;
  ExpectRefused(Sign(amox), "rx_long_term_excluded", "阿莫西林");
  json::object insulin = Rx(c, {Item(F("甘精胰岛素", "注射剂"), 10'000, "qd", 28, "subcutaneous")});
  insulin["long_term"] = true;
  ExpectRefused(Sign(insulin), "rx_long_term_excluded", "甘精胰岛素");
  // Near misses: the same insulin for 7 days (not long); isoniazid long for tuberculosis.
  ExpectAllowed(Rx(c, {Item(F("甘精胰岛素", "注射剂"), 10'000, "qd", 7, "subcutaneous")}), false);
  auto tb_patient = s().NewPatient("结核患者");
  const auto tb = Consultation(doctor_, tb_patient.token, "verified", std::nullopt, "A15.001");
  json::object inh = Rx(tb, {Item(F("异烟肼"), 300'000, "qd", 28)});
  inh["long_term"] = true;
  ExpectAllowed(inh);
}

// ---- rx_allergy (issue 20: the drug or its class matches a recorded allergy) ----
TEST_P(PrescriptionApiTest, AllergyToADrugOrItsClassIsRefused) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  const std::string allergies = "/api/v1/patients/" + std::to_string(patient.id) + "/allergies";
  auto a1 = s().Post(allergies, {{"class_code", "penicillins"}, {"reaction", "皮疹"}}, patient.token);
  ASSERT_EQ(a1.status, 201) << a1.body;
  auto a2 = s().Post(allergies, {{"drug_id", DrugId("布洛芬", "口服常释剂型")}, {"reaction", "哮喘"}}, patient.token);
  ASSERT_EQ(a2.status, 201) << a2.body;
  // Class: 青霉素类 → 阿莫西林.
  ExpectRefused(Sign(Rx(c, {Item(F("阿莫西林"), 500'000, "tid", 5)})), "rx_allergy", "阿莫西林");
  // Drug: 布洛芬 tablets, and the same generic drug in another dosage form.
  ExpectRefused(Sign(Rx(c, {Item(F("布洛芬"), 200'000, "tid", 3)})), "rx_allergy", "布洛芬");
  json::object susp = Rx(c, {Item(F("布洛芬", "口服液体剂"), 200'000, "tid", 3)});
  ExpectRefused(Sign(susp), "rx_allergy", "布洛芬");
  // Near miss: an unrelated drug.
  ExpectAllowed(Rx(c, {Item(F("氯雷他定"), 10'000, "qd", 5)}));
}

// ---- rx_interaction (ONC high-priority list: Simvastatin–Fluconazole) ----
TEST_P(PrescriptionApiTest, HighPriorityInteractionIsRefusedUnlessOverriddenAndCountsActivePrescriptions) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  json::array pair{Item(F("辛伐他汀"), 20'000, "qn"), Item(F("氟康唑"), 150'000, "qw", 7)};
  ExpectRefused(Sign(Rx(c, pair)), "rx_interaction", "辛伐他汀");
  // Near miss: atorvastatin + fluconazole is not on the high-priority list.
  ExpectAllowed(Rx(c, {Item(F("阿托伐他汀"), 20'000, "qn"), Item(F("氟康唑"), 150'000, "qw", 7)}), false);
  // Allowed with a recorded override reason.
  json::array overridden = pair;
  overridden[1].as_object()["override_reason"] = "短期单剂量，已告知患者监测肌痛";
  auto ov = Check(Rx(c, overridden));
  ASSERT_EQ(ov.status, 200) << ov.body;
  EXPECT_EQ(ov.json().at("can_sign"), true) << ov.body;
  bool reported = false;
  for (const auto& h : ov.json().at("hits").as_array())
    if (h.at("code") == "rx_interaction") reported = true;
  EXPECT_TRUE(reported) << "the overridden interaction is still reported: " << ov.body;
  // With an active prescription: simvastatin signed and approved, then fluconazole alone.
  auto first = Sign(Rx(c, {Item(F("辛伐他汀"), 20'000, "qn")}));
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(Review(first.json().at("id").as_int64(), "approved", pharmacist_.token).status, 200);
  ExpectRefused(Sign(Rx(c, {Item(F("氟康唑"), 150'000, "qw", 7)})), "rx_interaction", "氟康唑");
}

// ---- rx_duplicate_therapy (issue 20: same drug or class twice, or already active) ----
TEST_P(PrescriptionApiTest, DuplicateTherapyTwiceInOneOrAlreadyActiveIsRefused) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  ExpectRefused(Sign(Rx(c, {Item(F("氨氯地平"), 5'000), Item(F("氨氯地平"), 5'000)})), "rx_duplicate_therapy",
                "氨氯地平");
  ExpectRefused(Sign(Rx(c, {Item(F("阿托伐他汀"), 20'000, "qn"), Item(F("辛伐他汀"), 20'000, "qn")})),
                "rx_duplicate_therapy", "他汀");
  // Near miss: a statin and a calcium channel blocker.
  ExpectAllowed(Rx(c, {Item(F("阿托伐他汀"), 20'000, "qn"), Item(F("氨氯地平"), 5'000)}));
  // Now atorvastatin is active (pending review): simvastatin again is a duplicate.
  ExpectRefused(Sign(Rx(c, {Item(F("辛伐他汀"), 20'000, "qn")})), "rx_duplicate_therapy", "辛伐他汀");
}

// ---- rx_dose_limit (package inserts: adult single/daily maximum, child mg/kg, minimum age) ----
TEST_P(PrescriptionApiTest, DoseLimitsForAdultsAndChildren) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  // Single above the insert (氨氯地平 max 10 mg once daily).
  ExpectRefused(Sign(Rx(c, {Item(F("氨氯地平"), 15'000)})), "rx_dose_limit", "氨氯地平");
  // Daily above the insert (二甲双胍 max 2550 mg/day): 1 g tid = 3 g.
  ExpectRefused(Sign(Rx(c, {Item(F("二甲双胍"), 1'000'000, "tid")})), "rx_dose_limit", "二甲双胍");
  // Near miss: exactly the maximum.
  ExpectAllowed(Rx(c, {Item(F("氨氯地平"), 10'000)}), false);
  ExpectAllowed(Rx(c, {Item(F("二甲双胍"), 850'000, "tid")}), false);  // 2550 mg

  // A child of 8 weighing 20 kg: 布洛芬 30 mg/kg/day = 600 mg/day.
  auto parent = s().NewPatient("王家长");
  const auto child = Child(parent, 8, "王小明");
  const auto kc = Consultation(doctor_, parent.token, "verified", child);
  json::object over = Rx(kc, {Item(F("布洛芬"), 200'000, "qid", 3)});  // 800 mg/day
  over["patient_weight_g"] = 20'000;
  ExpectRefused(Sign(over), "rx_dose_limit", "布洛芬");
  json::object at = Rx(kc, {Item(F("布洛芬"), 200'000, "tid", 3)});  // 600 mg/day
  at["patient_weight_g"] = 20'000;
  ExpectAllowed(at, false);
  // Under the drug's minimum age: 左氧氟沙星 (18岁以下禁用).
  json::object levo = Rx(kc, {Item(F("左氧氟沙星"), 500'000, "qd", 3)});
  levo["patient_weight_g"] = 20'000;
  ExpectRefused(Sign(levo), "rx_dose_limit", "左氧氟沙星");
}

// ---- rx_guardian_required (issue 20 / 细则 2022: under 6 only with the guardian present) ----
TEST_P(PrescriptionApiTest, UnderSixNeedsTheGuardianPresent) {
  auto parent = s().NewPatient("王家长");
  const auto child = Child(parent, 3, "王小宝");
  const auto c = Consultation(doctor_, parent.token, "verified", child);
  json::object body = Rx(c, {Item(F("布洛芬", "口服液体剂"), 100'000, "tid", 3)});
  body["patient_weight_g"] = 15'000;
  ExpectRefused(Sign(body), "rx_guardian_required");
  body["guardian_present"] = true;
  ExpectAllowed(body);
}

// ---- rx_signature_invalid (issue 20: the doctor signs in person with the PIN) ----
TEST_P(PrescriptionApiTest, AWrongPinDoesNotSign) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  ExpectRefused(Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}), doctor_.account.token, "000000"), "rx_signature_invalid");
  auto list = s().Get(CPath(c, "/prescriptions"), doctor_.account.token);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("items").as_array().size(), 0u) << "nothing is stored when the PIN is wrong";
  auto ok = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  EXPECT_EQ(ok.status, 201) << ok.body;
}

// ---- the flow: sign → pending_review → approve → QR verifiable offline and online ----
TEST_P(PrescriptionApiTest, SignReviewApproveAndVerifyTheQr) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000, "qd", 7)}));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("status"), "pending_review");
  EXPECT_EQ(r.json().at("diagnosis_code"), "I10.X00");
  EXPECT_EQ(r.json().at("items").at(0).at("generic_name"), "氨氯地平");
  EXPECT_EQ(r.json().at("items").at(0).at("quantity").as_int64(), 1);  // 7 tablets, 28 per box
  // No QR before approval: nothing can be dispensed.
  EXPECT_FALSE(s().Get(RxPath(id), patient.token).json().as_object().contains("qr_payload"));
  auto queue = s().Get("/api/v1/pharmacist/queue", pharmacist_.token);
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.json().at("items").as_array().size(), 1u);
  // Approval needs the pharmacist's PIN.
  EXPECT_EQ(Review(id, "approved", pharmacist_.token, "", "999999").json().at("code"), "rx_signature_invalid");
  auto ap = Review(id, "approved", pharmacist_.token);
  ASSERT_EQ(ap.status, 200) << ap.body;
  EXPECT_EQ(ap.json().at("status"), "approved");
  EXPECT_EQ(ap.json().at("pharmacist_name"), "赵药师");
  auto mine = s().Get(RxPath(id), patient.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_TRUE(mine.json().as_object().contains("qr_payload")) << mine.body;
  const std::string qr(mine.json().at("qr_payload").as_string());
  auto v = s().Post("/api/v1/prescriptions/verify", {{"code", qr}}, pharmacist_.token);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.json().at("doctor_signature_valid"), true);
  EXPECT_EQ(v.json().at("pharmacist_signature_valid"), true);
  EXPECT_EQ(v.json().at("status"), "approved");
  EXPECT_EQ(v.json().at("dispensable"), true);
  // Published keys for offline verification.
  auto keys = s().Get("/api/v1/prescriptions/keys");
  ASSERT_EQ(keys.status, 200);
  EXPECT_GE(keys.json().at("keys").as_array().size(), 2u);
  // A tampered QR (one character of the signed content changed) does not verify.
  for (std::size_t pos : {qr.size() / 3, qr.size() / 2, qr.size() - 5}) {
    std::string bad = qr;
    bad[pos] = bad[pos] == 'A' ? 'B' : 'A';
    auto t = s().Post("/api/v1/prescriptions/verify", {{"code", bad}}, pharmacist_.token);
    EXPECT_LT(t.status, 500) << t.body;
    if (t.status == 200) {
      EXPECT_EQ(t.json().at("dispensable"), false) << "tampered at " << pos << ": " << t.body;
    }
  }
}

TEST_P(PrescriptionApiTest, RejectionLeadsToANewVersionThatIsApproved) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto first = Sign(Rx(c, {Item(F("氨氯地平"), 5'000, "qd", 7)}));
  ASSERT_EQ(first.status, 201) << first.body;
  const auto id = first.json().at("id").as_int64();
  EXPECT_EQ(Review(id, "rejected", pharmacist_.token, "").status, 400) << "a rejection needs a reason";
  auto rej = Review(id, "rejected", pharmacist_.token, "剂量与诊断不符，请核对");
  ASSERT_EQ(rej.status, 200) << rej.body;
  EXPECT_EQ(rej.json().at("status"), "rejected");
  auto seen = s().Get(RxPath(id), doctor_.account.token);
  EXPECT_EQ(seen.json().at("reject_reason"), "剂量与诊断不符，请核对");
  json::object v2 = Rx(c, {Item(F("氨氯地平"), 5'000, "qd", 7)});
  v2["previous_id"] = id;
  auto second = Sign(v2);
  ASSERT_EQ(second.status, 201) << second.body;
  const auto id2 = second.json().at("id").as_int64();
  EXPECT_NE(id2, id);
  EXPECT_EQ(second.json().at("previous_id").as_int64(), id);
  EXPECT_EQ(Review(id2, "approved", pharmacist_.token).json().at("status"), "approved");
  // Nothing deleted: both versions remain.
  auto all = s().Get(CPath(c, "/prescriptions"), doctor_.account.token);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json().at("items").as_array().size(), 2u);
  EXPECT_EQ(s().Get(RxPath(id), patient.token).json().at("status"), "rejected");
}

TEST_P(PrescriptionApiTest, APharmacistCannotReviewTheirOwnPrescription) {
  // A doctor who is also a pharmacist of the same hospital.
  auto both = NewDoctor("双证医生");
  MakePharmacist(both.account, both.hospital_id);
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(both, patient.token);
  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}), both.account.token);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  auto own = Review(id, "approved", both.account.token);
  EXPECT_GE(own.status, 400) << own.body;
  EXPECT_LT(own.status, 500) << own.body;
  EXPECT_EQ(s().Get(RxPath(id), patient.token).json().at("status"), "pending_review");
  // Another pharmacist of that hospital may.
  auto other = NewPharmacist(both.hospital_id, "钱药师");
  EXPECT_EQ(Review(id, "approved", other.token).status, 200);
}

TEST_P(PrescriptionApiTest, OnlyTheTreatingDoctorPrescribesAndOnlyThePatientReads) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto other_doctor = NewDoctor("王医生");
  auto other = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}), other_doctor.account.token);
  EXPECT_EQ(other.status, 404) << other.body;
  auto check = s().Post("/api/v1/prescriptions/check", Rx(c, {Item(F("氨氯地平"), 5'000)}), other_doctor.account.token);
  EXPECT_EQ(check.status, 404) << check.body;
  // The patient cannot sign for themselves.
  EXPECT_EQ(Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}), patient.token).status, 403);

  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  auto mine = s().Get("/api/v1/me/prescriptions", patient.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(mine.json().at("items").at(0).at("id").as_int64(), id);
  EXPECT_EQ(s().Get(RxPath(id), patient.token).status, 200);
  auto stranger = s().NewPatient("路人");
  EXPECT_EQ(s().Get(RxPath(id), stranger.token).status, 404);
  EXPECT_EQ(s().Get(RxPath(id), other_doctor.account.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/me/prescriptions", stranger.token).json().at("items").as_array().size(), 0u);
  // A pharmacist of another hospital sees nothing.
  auto far = NewPharmacist(other_doctor.hospital_id, "孙药师");
  EXPECT_EQ(s().Get("/api/v1/pharmacist/prescriptions/" + std::to_string(id), far.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/pharmacist/queue", far.token).json().at("items").as_array().size(), 0u);

  // Staff reads appear in the patient's access log.
  const auto before = s().Get("/api/v1/me/access-log", patient.token);
  ASSERT_EQ(before.status, 200) << before.body;
  auto review = s().Get("/api/v1/pharmacist/prescriptions/" + std::to_string(id), pharmacist_.token);
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_EQ(s().Get(RxPath(id), pharmacist_.token).status, 200);
  const auto after = s().Get("/api/v1/me/access-log", patient.token);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_GT(after.body.size(), before.body.size());
  EXPECT_NE(after.body.find("prescription"), std::string::npos) << after.body;
  EXPECT_NE(after.body.find("赵药师"), std::string::npos) << "who read it: " << after.body;
}

TEST_P(PrescriptionApiTest, APrescriptionExpiresAfterItsValidityDays) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  json::object body = Rx(c, {Item(F("氨氯地平"), 5'000)});
  body["valid_days"] = 4;  // at most 3 (处方管理办法 第十八条)
  EXPECT_EQ(Sign(body).status, 400);
  body["valid_days"] = 3;
  auto r = Sign(body);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  ASSERT_EQ(Review(id, "approved", pharmacist_.token).status, 200);
  s().clock().Advance(2LL * 24 * 3600 * 1000);
  EXPECT_EQ(s().Get(RxPath(id), patient.token).json().at("status"), "approved");
  s().clock().Advance(2LL * 24 * 3600 * 1000);  // past the third day
  std::string status;
  for (int i = 0; i < 100 && status != "expired"; ++i) {
    status = std::string(s().Get(RxPath(id), patient.token).json().at("status").as_string());
    if (status != "expired") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, "expired");
  auto mine = s().Get(RxPath(id), patient.token);
  if (mine.json().as_object().contains("qr_payload")) {
    auto v = s().Post("/api/v1/prescriptions/verify", {{"code", mine.json().at("qr_payload")}}, pharmacist_.token);
    EXPECT_EQ(v.json().at("dispensable"), false);
  }
}

TEST_P(PrescriptionApiTest, MalformedBodiesNeverGive5xx) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  const std::string tok = doctor_.account.token;
  const std::vector<std::string> bodies = {
      "",
      "{",
      "[]",
      "null",
      "42",
      R"({"consultation_id":"x"})",
      R"({"consultation_id":1,"items":{}})",
      R"({"consultation_id":1,"items":[1,2]})",
      R"({"consultation_id":1,"items":[{}],"pin":"1"})",
      R"({"consultation_id":)" + std::to_string(c) +
          R"(,"items":[{"formulary_id":99999999,"single_dose_milli":1,"route":"oral","frequency":"qd","days":1}],"pin":"135790"})",
      R"({"consultation_id":)" + std::to_string(c) +
          R"(,"items":[{"formulary_id":1,"single_dose_milli":-5,"route":"oral","frequency":"遵医嘱","days":0}],"pin":"135790"})",
      R"({"consultation_id":9223372036854775807,"items":[],"pin":"135790"})",
      R"({"consultation_id":1e400,"items":[],"pin":[]})"};
  for (const auto& b : bodies) {
    for (const auto* path : {"/api/v1/prescriptions", "/api/v1/prescriptions/check"}) {
      auto r = s().Call(verb::post, path, b, tok, {{"Content-Type", "application/json"}});
      EXPECT_GE(r.status, 400) << path << " " << b << " " << r.body;
      EXPECT_LT(r.status, 500) << path << " " << b << " " << r.body;
    }
    for (const std::string path : {"/api/v1/prescriptions/verify", "/api/v1/pharmacist/prescriptions/1/review",
                                   "/api/v1/admin/formulary", "/api/v1/admin/pharmacists", "/api/v1/me/signing-pin"}) {
      const std::string& t = path.find("pharmacist/") != std::string::npos || path.find("verify") != std::string::npos
                                 ? pharmacist_.token
                                 : (path.find("admin") != std::string::npos ? admin_.token : tok);
      auto r = s().Call(verb::post, path, b, t, {{"Content-Type", "application/json"}});
      EXPECT_LT(r.status, 500) << path << " " << b << " " << r.body;
    }
  }
  for (const std::string& code :
       {std::string("x"), std::string("IHOSRX:"), std::string("IHOSRX:!!!!"), std::string(7000, 'A')}) {
    auto r = s().Post("/api/v1/prescriptions/verify", {{"code", code}}, pharmacist_.token);
    EXPECT_GE(r.status, 400) << r.body;
    EXPECT_LT(r.status, 500) << r.body;
  }
}

// 处方管理办法 第十八条: 处方开具当日有效 — valid until the end of the day of issue (CST), extended by
// whole days; not 24 hours after signing.
TEST_P(PrescriptionApiTest, ValidityEndsAtMidnightOfTheIssueDay) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  for (int days : {1, 3}) {
    json::object body = Rx(c, {Item(F("氨氯地平"), 5'000)});
    body["valid_days"] = days;
    auto r = Sign(body);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto signed_at = r.json().at("signed_at").as_int64();
    const auto expires = r.json().at("expires_at").as_int64();
    EXPECT_EQ(CivilDateCst(signed_at), std::string(r.json().at("issued_on").as_string()));
    // The last valid instant is on the (days-1)th day after issue; one ms later is the next day, 00:00 CST.
    EXPECT_EQ(CivilDateCst(expires - 1), CivilDateCst(signed_at + (days - 1) * 24LL * 3600 * 1000));
    EXPECT_NE(CivilDateCst(expires), CivilDateCst(expires - 1));
    EXPECT_EQ((expires + 8LL * 3600 * 1000) % (24LL * 3600 * 1000), 0) << "expires at 00:00 CST";
    ASSERT_EQ(s().Post("/api/v1/prescriptions/" + std::to_string(r.json().at("id").as_int64()) + "/cancel",
                       json::object{}, doctor_.account.token)
                  .status,
              200);
  }
}

// An expired or rejected prescription is no longer active: the interaction and duplicate rules
// only look at prescriptions in force (issue 20: "the patient's active prescriptions").
TEST_P(PrescriptionApiTest, ExpiredPrescriptionsNoLongerInteract) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto first = Sign(Rx(c, {Item(F("辛伐他汀"), 20'000, "qn")}));
  ASSERT_EQ(first.status, 201) << first.body;
  const auto id = first.json().at("id").as_int64();
  ASSERT_EQ(Review(id, "approved", pharmacist_.token).status, 200);
  ExpectRefused(Sign(Rx(c, {Item(F("氟康唑"), 150'000, "qw", 7)})), "rx_interaction", "氟康唑");
  s().clock().Advance(2LL * 24 * 3600 * 1000);
  std::string status;
  for (int i = 0; i < 100 && status != "expired"; ++i) {
    status = std::string(s().Get(RxPath(id), patient.token).json().at("status").as_string());
    if (status != "expired") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status, "expired");
  const auto c2 = c;  // the same consultation, still open
  ExpectAllowed(Rx(c2, {Item(F("氟康唑"), 150'000, "qw", 7)}), false);
  // A pending prescription can no longer be approved once expired.
  auto pending = Sign(Rx(c2, {Item(F("阿托伐他汀"), 20'000, "qn")}));
  ASSERT_EQ(pending.status, 201) << pending.body;
  s().clock().Advance(2LL * 24 * 3600 * 1000);
  auto late = Review(pending.json().at("id").as_int64(), "approved", pharmacist_.token);
  EXPECT_GE(late.status, 400) << late.body;
  EXPECT_NE(s().Get(RxPath(pending.json().at("id").as_int64()), patient.token).json().at("status"), "approved");
}

// Package inserts give children's limits per kg (处方管理办法 第六条: 必要时要注明体重): without the
// weight a per-kg limit cannot be checked, so the line is not signed.
TEST_P(PrescriptionApiTest, AChildsPerKgLimitNeedsTheWeight) {
  auto parent = s().NewPatient("王家长");
  const auto child = Child(parent, 8, "王小明");
  const auto kc = Consultation(doctor_, parent.token, "verified", child);
  auto r = Sign(Rx(kc, {Item(F("布洛芬"), 200'000, "tid", 3)}));
  EXPECT_GE(r.status, 400) << r.body;
  EXPECT_LT(r.status, 500) << r.body;
  // The paper colour of a child's prescription is 儿科 (pale green); the age is printed.
  json::object ok = Rx(kc, {Item(F("布洛芬"), 200'000, "tid", 3)});
  ok["patient_weight_g"] = 20'000;
  auto signed_rx = Sign(ok);
  ASSERT_EQ(signed_rx.status, 201) << signed_rx.body;
  EXPECT_EQ(signed_rx.json().at("category"), "pediatric");
  EXPECT_EQ(signed_rx.json().at("patient_age"), "8岁");
  EXPECT_EQ(signed_rx.json().at("patient_weight_g").as_int64(), 20'000);
}

// Issue 20: suspension stops every clinical action at once, prescribing and signing included.
TEST_P(PrescriptionApiTest, ASuspendedDoctorCannotPrescribe) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto s1 = s().Post("/api/v1/admin/practitioners/" + std::to_string(doctor_.practitioner_id) + "/suspend",
                     {{"reason", "执业资格核查"}}, admin_.token);
  ASSERT_LT(s1.status, 300) << s1.body;
  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  EXPECT_GE(r.status, 400) << r.body;
  EXPECT_LT(r.status, 500) << r.body;
  auto chk = Check(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  EXPECT_TRUE(chk.status >= 400 || chk.json().at("can_sign") == false) << chk.body;
}

// A pharmacist of another hospital cannot review (医疗机构处方审核规范: the institution's own pharmacist).
TEST_P(PrescriptionApiTest, APharmacistOfAnotherHospitalCannotReview) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  ASSERT_EQ(r.status, 201) << r.body;
  auto elsewhere = NewDoctor("外院医生");
  auto far = NewPharmacist(elsewhere.hospital_id, "孙药师");
  auto rv = Review(r.json().at("id").as_int64(), "approved", far.token);
  EXPECT_EQ(rv.status, 404) << rv.body;
  EXPECT_EQ(s().Get(RxPath(r.json().at("id").as_int64()), patient.token).json().at("status"), "pending_review");
}

// ONC non-interruptive set (thiazide + NSAID): a warning shown, never a block; kept with the
// prescription for the pharmacist.
TEST_P(PrescriptionApiTest, NonInterruptiveInteractionWarnsButSigns) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  json::object body = Rx(c, {Item(F("氢氯噻嗪"), 25'000), Item(F("布洛芬"), 200'000, "tid", 3)});
  auto chk = Check(body);
  ASSERT_EQ(chk.status, 200) << chk.body;
  EXPECT_EQ(chk.json().at("can_sign"), true) << chk.body;
  bool warned = false;
  for (const auto& h : chk.json().at("hits").as_array())
    // The rule table names no code for a warning; the implementation reports rx_interaction_warning.
    if ((h.at("code") == "rx_interaction" || h.at("code") == "rx_interaction_warning") && h.at("blocking") == false &&
        h.at("drug") != "" && h.at("other") != "")
      warned = true;
  EXPECT_TRUE(warned) << "hydrochlorothiazide + ibuprofen is on the ONC non-interruptive list: " << chk.body;
  auto r = Sign(body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(json::serialize(r.json().at("warnings")).find("rx_interaction"), std::string::npos) << r.body;
  // No blocking interaction code on the signed prescription's own hits either.
  EXPECT_EQ(r.json().at("status"), "pending_review");
}

// Issue 20: the QR is verifiable online for the current status; a cancelled prescription is not
// dispensable even though both signatures still verify.
TEST_P(PrescriptionApiTest, ACancelledPrescriptionsQrIsNotDispensable) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  ASSERT_EQ(Review(id, "approved", pharmacist_.token).status, 200);
  const auto qr = s().Get(RxPath(id), patient.token).json().at("qr_payload");
  ASSERT_EQ(s().Post(RxPath(id) + "/cancel", json::object{}, doctor_.account.token).status, 200);
  auto v = s().Post("/api/v1/prescriptions/verify", {{"code", qr}}, pharmacist_.token);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.json().at("doctor_signature_valid"), true);
  EXPECT_EQ(v.json().at("status"), "cancelled");
  EXPECT_EQ(v.json().at("dispensable"), false);
  // Another doctor cannot cancel.
  auto r2 = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  ASSERT_EQ(r2.status, 201) << r2.body;
  auto other = NewDoctor("王医生");
  EXPECT_EQ(s().Post(RxPath(r2.json().at("id").as_int64()) + "/cancel", json::object{}, other.account.token).status,
            404);
}

// RULES.md §Records and privacy: each read of a patient's record by staff is logged — the
// prescribing doctor's read of the prescription too, not only the pharmacist's.
TEST_P(PrescriptionApiTest, EveryStaffReadIsInTheAccessLog) {
  auto patient = s().NewPatient("张三");
  const auto c = Consultation(doctor_, patient.token);
  auto r = Sign(Rx(c, {Item(F("氨氯地平"), 5'000)}));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  auto count = [&](const std::string& needle) {
    auto log = s().Get("/api/v1/me/access-log", patient.token);
    EXPECT_EQ(log.status, 200) << log.body;
    std::size_t n = 0;
    for (std::size_t pos = log.body.find(needle); pos != std::string::npos; pos = log.body.find(needle, pos + 1)) ++n;
    return n;
  };
  const auto before = count("prescription");
  // The patient's own read is not a staff read.
  ASSERT_EQ(s().Get(RxPath(id), patient.token).status, 200);
  EXPECT_EQ(count("prescription"), before);
  ASSERT_EQ(s().Get(RxPath(id), doctor_.account.token).status, 200);
  EXPECT_GT(count("prescription"), before) << "the doctor's read is a staff read";
  const auto mid = count("prescription");
  ASSERT_EQ(s().Get("/api/v1/pharmacist/prescriptions/" + std::to_string(id), pharmacist_.token).status, 200);
  EXPECT_GT(count("prescription"), mid) << "the pharmacist's read";
}

// "Under 6" is the completed age: the day before the sixth birthday needs the guardian, the sixth
// birthday does not.
TEST_P(PrescriptionApiTest, GuardianRuleBoundaryIsTheSixthBirthday) {
  auto add = [&](const TestServer::Account& parent, const std::string& born, const std::string& name) {
    auto r =
        s().Post("/api/v1/me/dependents",
                 {{"real_name", name}, {"id_number", MakeIdNumber(born)}, {"relationship", "parent"}}, parent.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  };
  auto ymd = [](const std::string& iso, int minus_years) {
    return std::to_string(std::stoi(iso.substr(0, 4)) - minus_years) + iso.substr(5, 2) + iso.substr(8, 2);
  };
  const auto today = CivilDateCst(s().clock().NowMs());
  const auto tomorrow = CivilDateCst(s().clock().NowMs() + 24LL * 3600 * 1000);
  auto p1 = s().NewPatient("家长甲");
  const auto six = add(p1, ymd(today, 6), "六岁生日");
  json::object b6 =
      Rx(Consultation(doctor_, p1.token, "verified", six), {Item(F("布洛芬", "口服液体剂"), 100'000, "tid", 3)});
  b6["patient_weight_g"] = 20'000;
  ExpectAllowed(b6);
  auto p2 = s().NewPatient("家长乙");
  const auto five = add(p2, ymd(tomorrow, 6), "明天六岁");
  json::object b5 =
      Rx(Consultation(doctor_, p2.token, "verified", five), {Item(F("布洛芬", "口服液体剂"), 100'000, "tid", 3)});
  b5["patient_weight_g"] = 20'000;
  ExpectRefused(Sign(b5), "rx_guardian_required");
}

// The doctor records an allergy the questionnaire names, and confirms one the patient recorded.
TEST_P(PrescriptionApiTest, TheTreatingDoctorRecordsAndConfirmsAllergiesFromTheQuestionnaire) {
  auto patient = s().NewPatient("李四");
  const auto c = Consultation(doctor_, patient.token);
  const std::string cons = "/api/v1/consultations/" + std::to_string(c);
  // The patient recorded an NSAID allergy; the doctor confirms it.
  auto own = s().Post("/api/v1/patients/" + std::to_string(patient.id) + "/allergies", {{"class_code", "nsaids"}},
                      patient.token);
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(own.json().at("confirmed"), false);
  auto confirmed = s().Post(cons + "/allergies/" + std::to_string(own.json().at("id").as_int64()) + "/confirm",
                            json::object{}, doctor_.account.token);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json().at("confirmed"), true);
  // The questionnaire says 青霉素过敏: the doctor records it, and 阿莫西林 is refused at once.
  auto rec =
      s().Post(cons + "/allergies", {{"class_code", "penicillins"}, {"reaction", "皮疹"}}, doctor_.account.token);
  ASSERT_EQ(rec.status, 201) << rec.body;
  EXPECT_EQ(rec.json().at("confirmed"), true);
  ExpectRefused(Sign(Rx(c, {Item(F("阿莫西林"), 500'000, "tid", 5)})), "rx_allergy", "阿莫西林");
  auto list = s().Get(cons + "/allergies", doctor_.account.token);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("items").as_array().size(), 2u);
  // Another doctor is not treating this patient: 404, and nothing is recorded.
  auto other = NewDoctor("别的医生").account;
  EXPECT_EQ(s().Post(cons + "/allergies", {{"class_code", "sulfonamides"}}, other.token).status, 404);
  EXPECT_EQ(s().Get(cons + "/allergies", other.token).status, 404);
  EXPECT_EQ(s().Get(cons + "/allergies", doctor_.account.token).json().at("items").as_array().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PrescriptionApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_prescriptions_api_test
}  // namespace ihos::apitest
