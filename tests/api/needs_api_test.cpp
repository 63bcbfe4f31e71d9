// The chronic-medicine need registry through the real HTTP server, on SQLite and PostgreSQL: a
// patient's need is matched to a pharmacy with stock nearby (5 km, then 10 km); pharmacy staff see
// it and answer; a reservation is released exactly once; a community worker's registration stays
// invisible to pharmacies until the patient's consent is recorded (SMS code or in the app); the
// follow-up consultation starts with the need's drug; the authority's shortage map counts it.
#include <atomic>
#include <set>

#include "core/civil_time.hpp"
#include "domain/pharmacy/model.hpp"
#include "harness.hpp"
#include "needs_fixture.hpp"
#include "support/practitioner_fixture.hpp"

namespace ihos::apitest::needstest {

// A formulary line of a drug made for the test. Returns the formulary item id.
std::int64_t InsertFormularyItem(store::Database& db, const std::string& name, const std::string& strength) {
  static std::atomic<std::int64_t> nhsa{900000};
  std::int64_t id = 0;
  auto st = db.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto d = tx.Query(
        "INSERT INTO drugs (nhsa_id, name, section, kind, dosage_form, search_text) VALUES ($1, $2, '西药部分', "
        "'western', '口服常释剂型', $2) RETURNING id",
        {nhsa++, name});
    if (!d) return d.error();
    auto f = tx.Query(
        "INSERT INTO formulary (drug_id, strength, dose_unit, strength_amount_milli, package_unit, package_size, "
        "price_fen, routes, created_at) VALUES ($1, $2, 'mg', 5000, '片', 28, 2800, '|oral|', 0) RETURNING id",
        {d->front().Int(0), strength});
    if (!f) return f.error();
    id = f->front().Int(0);
    return {};
  });
  EXPECT_TRUE(st) << (st ? "" : st.error().detail);
  return id;
}

// A pharmacy at (lat_e6, lon_e6) holding `boxes` of the item (one batch, a year to expiry), with
// `staff` on its counter (granted pharmacy_staff), made through the pharmacy service's own set-up
// methods.
PharmacyFixture MakePharmacy(TestServer& s, const TestServer::Account& admin, const TestServer::Account& staff,
                             const std::string& name, std::int64_t lat_e6, std::int64_t lon_e6, std::int64_t item,
                             std::int64_t boxes) {
  static std::atomic<int> next{1};
  const int n = next++;
  auto& ph = s.app().pharmacy();
  const std::int64_t now = s.clock().NowMs();
  std::int64_t id = 0;
  auto st = s.app().db().Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    domain::pharmacy::Pharmacy p;
    p.name = name + std::to_string(n);
    char licence[32];
    std::snprintf(licence, sizeof licence, "鄂CB02%05d", n);
    p.licence_no = licence;
    p.region_code = "420103";
    p.address = "测试地址 " + std::to_string(n) + " 号";
    p.lat = static_cast<double>(lat_e6) / 1e6;
    p.lon = static_cast<double>(lon_e6) / 1e6;
    for (int d = 1; d <= 7; ++d) p.hours.push_back({d, 0, 1440});
    p.status = "open";
    p.phone = "027-8888" + std::to_string(1000 + n);
    auto made = ph.CreatePharmacyIn(tx, p, now);
    if (!made) return made.error();
    id = *made;
    if (auto a = ph.AddStaffIn(tx, id, staff.id, "counter", admin.id, now); !a) return a;
    if (boxes > 0) {
      domain::pharmacy::Receipt r;
      r.formulary_item_id = item;
      r.batch_no = "B" + std::to_string(n);
      r.expiry_date = CivilDateCst(now + 365LL * 24 * 3600 * 1000);
      r.quantity = boxes;
      r.price_fen = 2800;
      auto rec = ph.ReceiveIn(tx, id, r, admin.id, now);
      if (!rec) return rec.error();
    }
    return {};
  });
  EXPECT_TRUE(st) << (st ? "" : st.error().code + " " + st.error().detail);
  s.app().accounts().SessionsChanged(staff.id);
  return {id, staff};
}

// What the pharmacy can still sell of the item (unexpired on hand minus reservations).
std::int64_t Available(TestServer& s, const PharmacyFixture& ph, std::int64_t item) {
  auto stock = s.app().pharmacy().Stock(Principal{ph.staff.id, "", {"pharmacy_staff"}}, ph.pharmacy_id);
  EXPECT_TRUE(stock) << (stock ? "" : stock.error().code);
  if (!stock) return -1;
  for (const auto& i : *stock)
    if (i.formulary_item_id == item) return i.available;
  return 0;
}

}  // namespace ihos::apitest::needstest

namespace ihos::apitest {
namespace api_needs_api_test {
namespace json = boost::json;

// 武汉 江汉区 (420103): the need's place; pharmacies around it.
constexpr std::int64_t kLat = 30'600'000, kLon = 114'270'000;

class NeedsApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    item_ = needstest::InsertFormularyItem(s().app().db(), "氨氯地平", "5mg");
    admin_ = s().NewAdmin();
  }

  json::object NeedBody(std::int64_t days_left = 5) const {
    return {{"formulary_item_id", item_},
            {"quantity", 2},
            {"region_code", "420103"},
            {"lat_e6", kLat},
            {"lon_e6", kLon},
            {"days_left", days_left},
            {"condition", "高血压"},
            {"icd10_code", "I10"},
            {"needs_prescription", true}};
  }
  // A pharmacy `north_m` metres north of the need's place, with `boxes` of the item and a staff member.
  needstest::PharmacyFixture Pharmacy(std::int64_t north_m, std::int64_t boxes) {
    auto staff = s().NewPatient("药店店员");
    return needstest::MakePharmacy(s(), admin_, staff, "测试药房", kLat + north_m * 9, kLon, item_, boxes);
  }
  std::int64_t Create(const TestServer::Account& who, const json::object& body) {
    auto r = s().Post("/api/v1/needs", body, who.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().at("id").as_int64() : 0;
  }
  std::int64_t item_ = 0;
  TestServer::Account admin_;
};

TEST_P(NeedsApiTest, APatientsNeedIsMatchedToAPharmacyNearbyAndThePatientIsTold) {
  auto ph = Pharmacy(1000, 10);
  auto far = Pharmacy(30000, 10);  // 30 km away: never matched
  auto patient = s().NewPatient("慢病患者");
  auto r = s().Post("/api/v1/needs", NeedBody(2), patient.token);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& n = r.json().as_object();
  EXPECT_EQ(n.at("status"), "open");
  EXPECT_EQ(n.at("urgency"), "urgent");  // 2 days left
  EXPECT_EQ(n.at("consent").at("method"), "self");
  ASSERT_EQ(n.at("matches").as_array().size(), 1u);
  EXPECT_EQ(n.at("matches").at(0).at("pharmacy_id").as_int64(), ph.pharmacy_id);
  EXPECT_EQ(n.at("match_radius_m").as_int64(), 5000);
  auto notes = s().Get("/api/v1/me/notifications", patient.token);
  ASSERT_EQ(notes.status, 200);
  bool told = false;
  for (const auto& x : notes.json().at("items").as_array()) told = told || x.at("kind") == "need_matched";
  EXPECT_TRUE(told) << notes.body;
  (void)far;
}

TEST_P(NeedsApiTest, NothingWithinFiveKilometresWidensToTen) {
  auto ph = Pharmacy(7000, 10);
  auto empty = Pharmacy(500, 0);  // near but without the item
  auto patient = s().NewPatient();
  auto r = s().Post("/api/v1/needs", NeedBody(), patient.token);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("urgency"), "normal");
  ASSERT_EQ(r.json().at("matches").as_array().size(), 1u);
  EXPECT_EQ(r.json().at("matches").at(0).at("pharmacy_id").as_int64(), ph.pharmacy_id);
  EXPECT_EQ(r.json().at("match_radius_m").as_int64(), 10000);
  (void)empty;
}

TEST_P(NeedsApiTest, ValidationAndAccess) {
  auto patient = s().NewPatient();
  auto body = NeedBody();
  body["formulary_item_id"] = 999999;
  body["lat_e6"] = 0;
  auto bad = s().Post("/api/v1/needs", body, patient.token);
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> fields;
  for (const auto& e : bad.json().at("errors").as_array()) fields.insert(std::string(e.at("field").as_string()));
  EXPECT_TRUE(fields.count("formulary_item_id")) << bad.body;
  EXPECT_TRUE(fields.count("lat")) << bad.body;
  // Someone else's need is not found; a stranger cannot register for another patient.
  const auto id = Create(patient, NeedBody());
  auto stranger = s().NewPatient("陌生人");
  EXPECT_EQ(s().Get("/api/v1/needs/" + std::to_string(id), stranger.token).status, 404);
  auto forOther = NeedBody();
  forOther["patient_id"] = patient.id;
  EXPECT_EQ(s().Post("/api/v1/needs", forOther, stranger.token).status, 404);
  // Only a registered worker registers for someone else.
  auto asWorker = NeedBody();
  asWorker["subject_name"] = "张大爷";
  asWorker["subject_phone"] = "13912345678";
  auto refused = s().Post("/api/v1/needs", asWorker, stranger.token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json().at("code"), "need_worker_only");
  // The shortage map is for the authority and admins.
  EXPECT_EQ(s().Get("/api/v1/needs/shortage", patient.token).status, 403);
}

TEST_P(NeedsApiTest, AGuardianRegistersForAWard) {
  auto parent = s().NewPatient("家长");
  auto add = s().Post("/api/v1/me/dependents",
                      {{"real_name", "王小明"}, {"id_number", MakeIdNumber("20150601")}, {"relationship", "parent"}},
                      parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const auto child = add.json().at("id").as_int64();
  auto body = NeedBody();
  body["patient_id"] = child;
  auto r = s().Post("/api/v1/needs", body, parent.token);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("registered_as"), "guardian");
  EXPECT_EQ(r.json().at("patient_id").as_int64(), child);
  auto mine = s().Get("/api/v1/needs", parent.token);
  ASSERT_EQ(mine.json().at("items").as_array().size(), 1u);
}

TEST_P(NeedsApiTest, PharmacyAnswersAndAReservationIsReleasedExactlyOnce) {
  auto ph = Pharmacy(1000, 10);
  auto patient = s().NewPatient();
  const auto id = Create(patient, NeedBody());
  const std::string path = "/api/v1/needs/" + std::to_string(id);

  auto near = s().Get("/api/v1/needs/nearby", ph.staff.token);
  ASSERT_EQ(near.status, 200) << near.body;
  ASSERT_EQ(near.json().at("items").as_array().size(), 1u);
  const auto& row = near.json().at("items").at(0);
  EXPECT_EQ(row.at("id").as_int64(), id);
  EXPECT_TRUE(row.at("in_stock").as_bool());
  EXPECT_FALSE(row.as_object().contains("subject_name"));  // no name, no phone for pharmacies

  // A patient is not pharmacy staff; staff of another pharmacy cannot answer for this one.
  EXPECT_EQ(s().Post(path + "/answers", {{"pharmacy_id", ph.pharmacy_id}, {"kind", "can_supply"}, {"quantity", 1}},
                     patient.token)
                .status,
            403);
  auto other = Pharmacy(40000, 5);
  EXPECT_EQ(s().Post(path + "/answers", {{"pharmacy_id", ph.pharmacy_id}, {"kind", "can_supply"}, {"quantity", 1}},
                     other.staff.token)
                .status,
            404);
  auto tooMany = s().Post(path + "/answers", {{"pharmacy_id", ph.pharmacy_id}, {"kind", "reserved"}, {"quantity", 3}},
                          ph.staff.token);
  EXPECT_EQ(tooMany.status, 400) << tooMany.body;

  auto ans = s().Post(path + "/answers",
                      {{"pharmacy_id", ph.pharmacy_id}, {"kind", "reserved"}, {"quantity", 2}, {"note", "下午来取"}},
                      ph.staff.token);
  ASSERT_EQ(ans.status, 201) << ans.body;
  EXPECT_EQ(ans.json().at("kind"), "reserved");
  EXPECT_EQ(needstest::Available(s(), ph, item_), 8);
  auto again = s().Post(path + "/answers", {{"pharmacy_id", ph.pharmacy_id}, {"kind", "reserved"}, {"quantity", 2}},
                        ph.staff.token);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json().at("code"), "need_already_reserved");
  EXPECT_EQ(needstest::Available(s(), ph, item_), 8);

  auto seen = s().Get(path, patient.token);
  ASSERT_EQ(seen.json().at("answers").as_array().size(), 1u);
  EXPECT_EQ(seen.json().at("answers").at(0).at("note"), "下午来取");

  auto done = s().Post(path + "/status", {{"status", "fulfilled"}}, patient.token);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("status"), "fulfilled");
  EXPECT_FALSE(done.json().at("answers").at(0).at("released_at").is_null());
  EXPECT_EQ(needstest::Available(s(), ph, item_), 10);
  auto twice = s().Post(path + "/status", {{"status", "cancelled"}}, patient.token);
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json().at("code"), "need_not_open");
  s().app().needs().Sweep();
  EXPECT_EQ(needstest::Available(s(), ph, item_), 10);
  // A closed need is no longer shown to pharmacies.
  EXPECT_EQ(s().Get("/api/v1/needs/nearby", ph.staff.token).json().at("items").as_array().size(), 0u);
}

TEST_P(NeedsApiTest, ALapsedReservationGoesBackOnce) {
  auto ph = Pharmacy(1000, 4);
  auto patient = s().NewPatient();
  const auto id = Create(patient, NeedBody());
  auto ans = s().Post("/api/v1/needs/" + std::to_string(id) + "/answers",
                      {{"pharmacy_id", ph.pharmacy_id}, {"kind", "reserved"}, {"quantity", 2}, {"reserve_days", 1}},
                      ph.staff.token);
  ASSERT_EQ(ans.status, 201) << ans.body;
  EXPECT_EQ(needstest::Available(s(), ph, item_), 2);
  s().clock().Advance(25LL * 3600 * 1000);
  ASSERT_TRUE(s().app().needs().Sweep());
  EXPECT_EQ(needstest::Available(s(), ph, item_), 4);
  ASSERT_TRUE(s().app().needs().Sweep());
  EXPECT_EQ(needstest::Available(s(), ph, item_), 4);
  // The need itself stays open; cancelling it releases nothing more.
  auto c = s().Post("/api/v1/needs/" + std::to_string(id) + "/status", {{"status", "cancelled"}}, patient.token);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(needstest::Available(s(), ph, item_), 4);
}

TEST_P(NeedsApiTest, AWorkersRegistrationIsInvisibleToPharmaciesUntilTheSmsCodeIsEntered) {
  auto ph = Pharmacy(1000, 10);
  auto worker = s().NewPatient("网格员");
  auto reg = s().Post("/api/v1/needs/workers",
                      {{"phone", worker.phone}, {"community", "江汉社区"}, {"region_code", "420103"}}, admin_.token);
  ASSERT_EQ(reg.status, 201) << reg.body;
  auto elder = s().NewPatient("李奶奶");  // has an account, but consents by SMS code here
  auto body = NeedBody(1);
  body["subject_name"] = "李奶奶";
  body["subject_phone"] = elder.phone;
  auto r = s().Post("/api/v1/needs", body, worker.token);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = r.json().at("id").as_int64();
  const std::string path = "/api/v1/needs/" + std::to_string(id);
  EXPECT_EQ(r.json().at("status"), "awaiting_consent");
  EXPECT_TRUE(r.json().at("consent").is_null());
  EXPECT_EQ(r.json().at("matches").as_array().size(), 0u);
  EXPECT_NE(r.json().at("subject_phone").as_string(), elder.phone);  // masked

  // Not visible to pharmacies, not answerable, not on the shortage map.
  EXPECT_EQ(s().Get("/api/v1/needs/nearby", ph.staff.token).json().at("items").as_array().size(), 0u);
  EXPECT_EQ(s().Post(path + "/answers", {{"pharmacy_id", ph.pharmacy_id}, {"kind", "can_supply"}, {"quantity", 1}},
                     ph.staff.token)
                .status,
            404);
  EXPECT_EQ(s().Get("/api/v1/needs/shortage", admin_.token).json().at("total").at("needs").as_int64(), 0);

  auto* sms = s().app().accounts().demo_sms();
  ASSERT_NE(sms, nullptr);
  auto msgs = sms->Recent(elder.phone);
  ASSERT_FALSE(msgs.empty());
  std::string code;
  for (char c : msgs.front().text)
    if (c >= '0' && c <= '9') code += c;
  ASSERT_GE(code.size(), 6u);
  code = code.substr(code.size() - 6);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto no = s().Post(path + "/consent", {{"decision", "confirm"}, {"code", wrong}}, worker.token);
  EXPECT_EQ(no.status, 400);
  EXPECT_EQ(no.json().at("code"), "sms_code_invalid");
  // Only the registering worker enters the code.
  EXPECT_EQ(s().Post(path + "/consent", {{"decision", "confirm"}, {"code", code}}, ph.staff.token).status, 404);
  auto yes = s().Post(path + "/consent", {{"decision", "confirm"}, {"code", code}}, worker.token);
  ASSERT_EQ(yes.status, 200) << yes.body;
  EXPECT_EQ(yes.json().at("status"), "open");
  EXPECT_EQ(yes.json().at("consent").at("method"), "sms_code");
  EXPECT_EQ(yes.json().at("consent").at("by").as_int64(), worker.id);
  EXPECT_EQ(yes.json().at("matches").as_array().size(), 1u);
  EXPECT_EQ(s().Get("/api/v1/needs/nearby", ph.staff.token).json().at("items").as_array().size(), 1u);
  auto list = s().Get("/api/v1/needs?as=worker", worker.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json().at("items").as_array().size(), 1u);
  // No account is linked by the code: the follow-up consultation waits for the patient's own app.
  auto c = s().Post(path + "/consultation", {{"department_code", "internal_medicine"}}, worker.token);
  EXPECT_EQ(c.status, 409);
  EXPECT_EQ(c.json().at("code"), "need_no_account");
}

TEST_P(NeedsApiTest, ThePatientConsentsOrDeclinesInTheirOwnApp) {
  auto worker = s().NewPatient("网格员");
  ASSERT_EQ(s().Post("/api/v1/needs/workers",
                     {{"phone", worker.phone}, {"community", "江汉社区"}, {"region_code", "420103"}}, admin_.token)
                .status,
            201);
  auto elder = s().NewPatient("王爷爷");
  auto body = NeedBody();
  body["subject_name"] = "王爷爷";
  body["subject_phone"] = elder.phone;
  const auto first = Create(worker, body);
  const auto second = Create(worker, body);
  auto pending = s().Get("/api/v1/needs/consents", elder.token);
  ASSERT_EQ(pending.json().at("items").as_array().size(), 2u);
  // Someone with another phone cannot consent.
  auto other = s().NewPatient();
  EXPECT_EQ(
      s().Post("/api/v1/needs/" + std::to_string(first) + "/consent", {{"decision", "confirm"}}, other.token).status,
      404);
  auto ok = s().Post("/api/v1/needs/" + std::to_string(first) + "/consent", {{"decision", "confirm"}}, elder.token);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("consent").at("method"), "in_app");
  EXPECT_EQ(ok.json().at("patient_id").as_int64(), elder.id);
  auto no = s().Post("/api/v1/needs/" + std::to_string(second) + "/consent", {{"decision", "decline"}}, elder.token);
  ASSERT_EQ(no.status, 200) << no.body;
  EXPECT_EQ(no.json().at("status"), "cancelled");
  auto mine = s().Get("/api/v1/needs", elder.token);
  ASSERT_EQ(mine.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(mine.json().at("items").at(0).at("id").as_int64(), first);
  auto again = s().Post("/api/v1/needs/" + std::to_string(first) + "/consent", {{"decision", "confirm"}}, elder.token);
  EXPECT_EQ(again.status, 409);
}

TEST_P(NeedsApiTest, TheFollowUpConsultationCarriesTheDrug) {
  auto doctor = s().NewPatient("李医生");
  testing::InsertPractitioner(s().app().db(), doctor.id);
  auto patient = s().NewPatient();
  const auto id = Create(patient, NeedBody());
  auto r = s().Post("/api/v1/needs/" + std::to_string(id) + "/consultation", {{"department_code", "internal_medicine"}},
                    patient.token);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(r.json().at("consultation_id").is_null());
  const auto cid = r.json().at("consultation_id").as_int64();
  auto c = s().Get("/api/v1/consultations/" + std::to_string(cid), patient.token);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_NE(std::string(c.json().at("intake").at("chief_complaint").as_string()).find("氨氯地平"), std::string::npos);
  EXPECT_TRUE(c.json().at("intake").at("is_follow_up").as_bool());
  // Linking a consultation of someone else is refused.
  auto other = s().NewPatient();
  const auto id2 = Create(other, NeedBody());
  EXPECT_EQ(s().Post("/api/v1/needs/" + std::to_string(id2) + "/consultation", {{"consultation_id", cid}}, other.token)
                .status,
            404);
}

TEST_P(NeedsApiTest, TheShortageMapCountsUnmetNeedsByRegionAndDrug) {
  auto authority = s().NewPatient("卫健委");
  ASSERT_EQ(s().Post("/api/v1/admin/users/" + std::to_string(authority.id) + "/roles", {{"role", "health_authority"}},
                     admin_.token)
                .status,
            200);
  auto a = s().NewPatient(), b = s().NewPatient(), c = s().NewPatient();
  Create(a, NeedBody(1));
  Create(b, NeedBody(10));
  auto beijing = NeedBody(10);
  beijing["region_code"] = "110105";
  beijing["lat_e6"] = 39'921'000;
  beijing["lon_e6"] = 116'443'000;
  const auto closed = Create(c, beijing);
  auto byProvince = s().Get("/api/v1/needs/shortage?level=province", authority.token);
  ASSERT_EQ(byProvince.status, 200) << byProvince.body;
  EXPECT_EQ(byProvince.json().at("total").at("needs").as_int64(), 3);
  EXPECT_EQ(byProvince.json().at("total").at("unmatched").as_int64(), 3);  // no pharmacy has it
  const auto& top = byProvince.json().at("items").at(0);
  EXPECT_EQ(top.at("region_code"), "420000");
  EXPECT_EQ(top.at("needs").as_int64(), 2);
  EXPECT_EQ(top.at("urgent").as_int64(), 1);
  auto urgentOnly = s().Get("/api/v1/needs/shortage?level=county&urgency=urgent&region=420100", authority.token);
  ASSERT_EQ(urgentOnly.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(urgentOnly.json().at("items").at(0).at("region_code"), "420103");
  EXPECT_EQ(s().Get("/api/v1/needs/shortage?level=planet", authority.token).status, 400);
  ASSERT_EQ(s().Post("/api/v1/needs/" + std::to_string(closed) + "/status", {{"status", "closed"}}, c.token).status,
            200);
  EXPECT_EQ(s().Get("/api/v1/needs/shortage", authority.token).json().at("total").at("needs").as_int64(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, NeedsApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_needs_api_test
}  // namespace ihos::apitest
