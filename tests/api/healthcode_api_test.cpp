// Health code through the HTTP API on both backends: facts turn colours by the rules, the card
// verifies (and stops verifying when tampered, expired or revoked), exposure search, appeals.
#include <boost/json.hpp>

#include "api/harness.hpp"
#include "domain/healthcode/shc.hpp"

namespace ihos::apitest {
namespace api_healthcode_api_test {
namespace json = boost::json;
namespace shc = domain::healthcode::shc;
using HealthCodeApiTest = ApiTest;

constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::int64_t kDay = 24 * kHour;

struct Staff {
  TestServer::Account admin, lab, authority, gate;
};

Staff MakeStaff(TestServer& s) {
  Staff st{s.NewAdmin(), s.NewPatient("测试检验"), s.NewPatient("测试疾控"), s.NewPatient("测试门岗")};
  auto grant = [&](const TestServer::Account& a, const char* role) {
    auto r = s.Post("/api/v1/admin/users/" + std::to_string(a.id) + "/roles", {{"role", role}}, st.admin.token);
    EXPECT_EQ(r.status, 200) << r.body;
  };
  grant(st.lab, "lab");
  grant(st.authority, "health_authority");
  grant(st.gate, "nurse");
  return st;
}

std::string Colour(TestServer& s, const TestServer::Account& a) {
  auto r = s.Get("/api/v1/me/healthcode", a.token);
  EXPECT_EQ(r.status, 200) << r.body;
  return std::string(r.json().at("colour").as_string());
}

TEST_P(HealthCodeApiTest, NewPersonIsGreenWithAVerifiableSmartHealthCard) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient("张三丰");
  auto r = s().Get("/api/v1/me/healthcode", p.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("colour"), "green");
  EXPECT_EQ(r.json().at("name_masked"), "张*丰");
  const auto& card = r.json().at("card").as_object();
  const std::string qr(card.at("qr_text").as_string());
  ASSERT_EQ(qr.rfind("shc:/", 0), 0u);
  EXPECT_NE(std::string(card.at("qr_svg").as_string()).find("<svg"), std::string::npos);

  // The JWS as the spec wants it: ES256, zip DEF, kid = the published key's thumbprint.
  auto parsed = shc::ParseJws(*shc::FromQrText(qr));
  ASSERT_TRUE(parsed);
  auto payload = json::parse(parsed->payload_json).as_object();
  EXPECT_EQ(payload.at("vc").at("type").at(0), "https://smarthealth.cards#health-card");
  EXPECT_EQ(payload.at("exp").as_int64() - payload.at("nbf").as_int64(), 5 * 60);
  auto jwks = s().Get("/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  const auto& key = jwks.json().at("keys").at(0).as_object();
  EXPECT_EQ(key.at("kid").as_string(), parsed->kid);
  EXPECT_EQ(shc::Thumbprint(key.at("x").as_string(), key.at("y").as_string()), parsed->kid);

  auto v = s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "东门"}}, staff.gate.token);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.json().at("result"), "valid");
  EXPECT_EQ(v.json().at("colour"), "green");
  EXPECT_EQ(v.json().at("name_masked"), "张*丰");

  // A patient may not use the gate route.
  EXPECT_EQ(s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "x"}}, p.token).status, 403);
}

TEST_P(HealthCodeApiTest, TamperedExpiredAndRevokedCardsAreRefused) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  const std::string qr(s().Get("/api/v1/me/healthcode", p.token).json().at("card").at("qr_text").as_string());
  // One character of the signature changed, still a well-formed JWS.
  std::string jws_text = *shc::FromQrText(qr);
  char& c = jws_text[jws_text.size() - 5];
  c = c == 'A' ? 'B' : 'A';
  const std::string tampered = shc::ToQrText(jws_text);
  EXPECT_EQ(
      s().Post("/api/v1/healthcode/verify", {{"qr", tampered}, {"gate", "g"}}, staff.gate.token).json().at("result"),
      "invalid_signature");
  EXPECT_EQ(
      s().Post("/api/v1/healthcode/verify", {{"qr", "hello"}, {"gate", "g"}}, staff.gate.token).json().at("result"),
      "malformed");

  // The person becomes a close contact: the green card already shown is revoked (CRL) at once.
  auto e = s().Post("/api/v1/healthcode/exposures", {{"id_number", p.id_number}, {"value", "close_contact"}},
                    staff.authority.token);
  ASSERT_EQ(e.status, 201) << e.body;
  EXPECT_EQ(e.json().at("colour"), "red");
  s().clock().Advance(2000);
  auto v = s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "g"}}, staff.gate.token);
  EXPECT_EQ(v.json().at("result"), "revoked") << v.body;
  auto jws = shc::ParseJws(*shc::FromQrText(qr));
  auto crl = s().Get("/.well-known/crl/" + jws->kid + ".json");
  ASSERT_EQ(crl.status, 200) << crl.body;
  EXPECT_EQ(crl.json().at("method"), "rid");
  const std::string rid(json::parse(jws->payload_json).at("vc").at("rid").as_string());
  ASSERT_EQ(crl.json().at("rids").as_array().size(), 1u);
  EXPECT_EQ(std::string(crl.json().at("rids").at(0).as_string()).rfind(rid + ".", 0), 0u);

  // A fresh card says red; after its 5 minutes it is expired.
  const std::string red(s().Get("/api/v1/me/healthcode", p.token).json().at("card").at("qr_text").as_string());
  auto rv = s().Post("/api/v1/healthcode/verify", {{"qr", red}, {"gate", "g"}}, staff.gate.token);
  EXPECT_EQ(rv.json().at("result"), "valid");
  EXPECT_EQ(rv.json().at("colour"), "red");
  s().clock().Advance(6 * 60 * 1000);
  EXPECT_EQ(s().Post("/api/v1/healthcode/verify", {{"qr", red}, {"gate", "g"}}, staff.gate.token).json().at("result"),
            "expired");
  EXPECT_EQ(s().Get("/.well-known/crl/nokey.json").status, 404);
}

// A card verified once is kept (VerifiedCards) and a repeat scan skips the signature check, but
// what happened to its holder since is read for every scan: revocation wins over the cache.
TEST_P(HealthCodeApiTest, ACachedCardIsRevokedAtTheNextScan) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  const std::string qr(s().Get("/api/v1/me/healthcode", p.token).json().at("card").at("qr_text").as_string());
  for (int i = 0; i < 3; ++i) {
    auto v = s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "东门"}}, staff.gate.token);
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(v.json().at("result"), "valid");
    EXPECT_EQ(v.json().at("colour"), "green");
  }
  EXPECT_EQ(s().app().healthcode().gate().CachedCards(), 1u) << "one distinct card, verified once";

  auto e = s().Post("/api/v1/healthcode/exposures", {{"id_number", p.id_number}, {"value", "close_contact"}},
                    staff.authority.token);
  ASSERT_EQ(e.status, 201) << e.body;
  s().clock().Advance(2000);
  auto v = s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "东门"}}, staff.gate.token);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.json().at("result"), "revoked") << "the cached signature does not outlive the revocation";

  // A byte changed is another card: it is checked in full, not matched to the cached one.
  std::string jws_text = *shc::FromQrText(qr);
  char& c = jws_text[jws_text.size() - 5];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(s().Post("/api/v1/healthcode/verify", {{"qr", shc::ToQrText(jws_text)}, {"gate", "g"}}, staff.gate.token)
                .json()
                .at("result"),
            "invalid_signature");
  // Past its exp the cached card is gone and the full check says expired.
  s().clock().Advance(6 * 60 * 1000);
  EXPECT_EQ(s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "g"}}, staff.gate.token).json().at("result"),
            "expired");
}

TEST_P(HealthCodeApiTest, TravelToAMediumRiskCountyTurnsYellowAndANegativeTestAfterSevenDaysTurnsGreen) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  const std::string today = CivilDateCst(s().clock().NowMs());
  // 420106 武昌区 (武汉市, 湖北省): the city is medium risk.
  auto ra = s().Post("/api/v1/healthcode/risk-areas",
                     {{"region_code", "420100"}, {"level", "medium"}, {"start_date", today}}, staff.authority.token);
  ASSERT_EQ(ra.status, 201) << ra.body;
  EXPECT_EQ(ra.json().at("region_name"), "武汉市");
  auto d = s().Post("/api/v1/me/healthcode/declarations",
                    {{"kind", "travel"}, {"region_code", "420106"}, {"date", today}}, p.token);
  ASSERT_EQ(d.status, 201) << d.body;
  EXPECT_EQ(d.json().at("colour"), "yellow");
  auto code = s().Get("/api/v1/me/healthcode", p.token);
  EXPECT_EQ(code.json().at("reasons").at(0).at("code"), "travel.medium");
  EXPECT_FALSE(code.json().at("changes_on").is_null());

  s().clock().Advance(8 * kDay);
  auto relogin = [&](TestServer::Account& a) {
    a.token = std::string(
        s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}}).json().at("token").as_string());
  };
  relogin(p);
  relogin(staff.lab);
  EXPECT_EQ(Colour(s(), p), "yellow");  // the period is over but the negative test is missing
  auto t = s().Post("/api/v1/healthcode/tests",
                    {{"id_number", p.id_number},
                     {"sample_id", "S-" + p.phone},
                     {"result", "negative"},
                     {"sampled_at", s().clock().NowMs() - kHour}},
                    staff.lab.token);
  ASSERT_EQ(t.status, 201) << t.body;
  EXPECT_EQ(t.json().at("colour"), "green");
  EXPECT_EQ(Colour(s(), p), "green");
  // The same sample twice is refused; a patient cannot enter results.
  EXPECT_EQ(s().Post("/api/v1/healthcode/tests",
                     {{"id_number", p.id_number},
                      {"sample_id", "S-" + p.phone},
                      {"result", "negative"},
                      {"sampled_at", s().clock().NowMs() - kHour}},
                     staff.lab.token)
                .json()
                .at("code"),
            "sample_exists");
  auto hist = s().Get("/api/v1/me/healthcode/history", p.token);
  ASSERT_EQ(hist.status, 200);
  const auto& h = hist.json().at("history").as_array();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h.at(0).at("colour"), "green");
  EXPECT_EQ(h.at(0).at("previous_colour"), "yellow");
  EXPECT_EQ(h.at(0).at("cause"), "fact.added:nat_test");
  EXPECT_EQ(h.at(1).at("colour"), "yellow");
  EXPECT_EQ(h.at(1).at("cause"), "fact.added:travel");
  // Unknown region codes are refused with a field error.
  auto bad = s().Post("/api/v1/me/healthcode/declarations",
                      {{"kind", "travel"}, {"region_code", "999999"}, {"date", today}}, p.token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("errors").at(0).at("code"), "region_unknown");
}

// A card shown while its holder was green, scanned after the required test lapsed (within the
// card's five minutes): the gate's online check recomputes the colour first and refuses the card,
// although the holder has not opened the app since.
TEST_P(HealthCodeApiTest, AGreenCardWhoseTestLapsedIsRevokedAtTheGateBeforeItsHolderLooksAgain) {
  auto staff = MakeStaff(s());
  auto cur = s().Get("/api/v1/healthcode/rules", staff.authority.token);
  ASSERT_EQ(cur.status, 200) << cur.body;
  json::object rules = cur.json().at("current").at("rules").as_object();
  rules["test_valid_hours"] = 48;
  ASSERT_EQ(
      s().Post("/api/v1/healthcode/rules", {{"rules", rules}, {"note", "48 h test"}}, staff.authority.token).status,
      201);
  auto p = s().NewPatient();
  auto t = s().Post("/api/v1/healthcode/tests",
                    {{"id_number", p.id_number},
                     {"sample_id", "S-" + p.phone},
                     {"result", "negative"},
                     {"sampled_at", s().clock().NowMs()}},
                    staff.lab.token);
  ASSERT_EQ(t.status, 201) << t.body;
  s().clock().Advance(48 * kHour - 2 * 60 * 1000);
  auto code = s().Get("/api/v1/me/healthcode", p.token);
  ASSERT_EQ(code.status, 200) << code.body;
  ASSERT_EQ(code.json().at("colour"), "green");
  const std::string qr(code.json().at("card").at("qr_text").as_string());

  s().clock().Advance(3 * 60 * 1000);  // the test lapsed a minute ago; the card has two minutes left
  auto v = s().Post("/api/v1/healthcode/verify", {{"qr", qr}, {"gate", "东门"}}, staff.gate.token);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.json().at("result"), "revoked") << v.body;
  EXPECT_EQ(Colour(s(), p), "yellow");
}

TEST_P(HealthCodeApiTest, AConfirmedCaseFlagsPeopleCheckedInAtTheSameVenueWithinTheWindow) {
  auto staff = MakeStaff(s());
  auto venue =
      s().Post("/api/v1/healthcode/venues", {{"name", "测试超市"}, {"kind", "supermarket"}, {"region_code", "110105"}},
               staff.authority.token);
  ASSERT_EQ(venue.status, 201) << venue.body;
  const std::string code(venue.json().at("code").as_string());
  auto kase = s().NewPatient(), near = s().NewPatient(), later = s().NewPatient();
  ASSERT_EQ(s().Post("/api/v1/me/checkins", {{"venue_code", "ihos-venue:" + code}}, kase.token).status, 201);
  s().clock().Advance(30 * 60 * 1000);
  ASSERT_EQ(s().Post("/api/v1/me/checkins", {{"venue_code", code}}, near.token).status, 201);
  s().clock().Advance(3 * kHour);
  ASSERT_EQ(s().Post("/api/v1/me/checkins", {{"venue_code", code}}, later.token).status, 201);
  EXPECT_EQ(s().Post("/api/v1/me/checkins", {{"venue_code", "nope"}}, later.token).status, 404);

  auto e =
      s().Post("/api/v1/healthcode/exposures",
               {{"id_number", kase.id_number}, {"value", "confirmed"}, {"detail", "测试病例"}}, staff.authority.token);
  ASSERT_EQ(e.status, 201) << e.body;
  const auto& contacts = e.json().at("contacts").as_array();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts.at(0).at("user_id").as_int64(), near.id);
  EXPECT_EQ(Colour(s(), kase), "red");
  EXPECT_EQ(Colour(s(), near), "yellow");
  EXPECT_EQ(Colour(s(), later), "green");
  auto why = s().Get("/api/v1/me/healthcode", near.token);
  EXPECT_EQ(why.json().at("reasons").at(0).at("code"), "exposure.possible_contact");

  // The contact appeals; the authority upholds it and withdraws the flag: green again.
  auto ap = s().Post("/api/v1/me/healthcode/appeals", {{"text", "我当时在收银台外，未进入超市"}}, near.token);
  ASSERT_EQ(ap.status, 201) << ap.body;
  EXPECT_EQ(s().Post("/api/v1/me/healthcode/appeals", {{"text", "再次申诉"}}, near.token).json().at("code"),
            "appeal_open");
  auto list = s().Get("/api/v1/healthcode/appeals?status=open", staff.authority.token);
  ASSERT_EQ(list.json().at("items").as_array().size(), 1u);
  const std::int64_t fact = why.json().at("reasons").at(0).at("fact_id").as_int64();
  auto res = s().Post("/api/v1/healthcode/appeals/" + std::to_string(ap.json().at("id").as_int64()) + "/resolve",
                      {{"decision", "upheld"}, {"resolution", "核实未接触"}, {"withdraw_fact_ids", json::array{fact}}},
                      staff.authority.token);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json().at("colour"), "green");
  EXPECT_EQ(Colour(s(), near), "green");

  // The authority's read of a person is audited and needs a reason.
  EXPECT_EQ(s().Get("/api/v1/healthcode/people?id_number=" + kase.id_number, staff.authority.token).json().at("code"),
            "reason_required");
  auto person =
      s().Get("/api/v1/healthcode/people?id_number=" + kase.id_number + "&reason=trace", staff.authority.token);
  ASSERT_EQ(person.status, 200) << person.body;
  auto log = s().Get("/api/v1/me/access-log", kase.token);
  bool read_logged = false;
  for (const auto& i : log.json().at("items").as_array()) read_logged |= i.at("action") == "healthcode.read";
  EXPECT_TRUE(read_logged);
}

TEST_P(HealthCodeApiTest, RuleSetsAreValidatedAndVersionedAndReEvaluateEveryone) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  ASSERT_EQ(s().Post("/api/v1/me/healthcode/declarations",
                     {{"kind", "symptom"}, {"value", "cough"}, {"date", CivilDateCst(s().clock().NowMs())}}, p.token)
                .status,
            201);
  EXPECT_EQ(Colour(s(), p), "green");  // cough is not in the default rules
  auto bad = s().Post(
      "/api/v1/healthcode/rules",
      {{"rules",
        {{"rules",
          json::array{
              {{"fact", "symptom"}, {"value", "cough"}, {"colour", "blue"}, {"days", 400}, {"negative_tests", 1}}}}}}},
      staff.authority.token);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json().at("errors").as_array().size(), 2u);
  auto ok = s().Post(
      "/api/v1/healthcode/rules",
      {{"rules",
        {{"test_valid_hours", 0},
         {"rules",
          json::array{
              {{"fact", "symptom"}, {"value", "cough"}, {"colour", "yellow"}, {"days", 3}, {"negative_tests", 0}}}}}},
       {"note", "咳嗽黄码 3 天"}},
      staff.authority.token);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Colour(s(), p), "yellow");
  auto rules = s().Get("/api/v1/healthcode/rules", staff.authority.token);
  EXPECT_EQ(rules.json().at("versions").as_array().size(), 2u);
  // The editor's vocabulary: every fact with the values a rule may name (travel: risk levels).
  const auto& vocab = rules.json().at("vocabulary").as_object();
  EXPECT_EQ(vocab.size(), 5u);
  EXPECT_EQ(vocab.at("travel").as_array(), (json::array{"low", "medium", "high"}));
  EXPECT_EQ(vocab.at("nat_test").as_array(), (json::array{"positive", "negative"}));
  EXPECT_EQ(vocab.at("exposure").as_array().size(), 5u);
  EXPECT_EQ(s().Get("/api/v1/healthcode/rules", p.token).status, 403);
}

TEST_P(HealthCodeApiTest, CsvImportWritesAllRowsOrNone) {
  auto staff = MakeStaff(s());
  auto a = s().NewPatient(), b = s().NewPatient();
  const std::string when = std::to_string(s().clock().NowMs() - kHour);
  auto bad = s().Call(boost::beast::http::verb::post, "/api/v1/healthcode/tests/import",
                      "id_number,sample_id,result,sampled_at\n" + a.id_number + ",CSV-A1,negative," + when + "\n" +
                          b.id_number + ",CSV-B1,maybe," + when + "\n",
                      staff.lab.token, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json().at("errors").at(0).at("field"), "line 3.result");
  auto good = s().Call(boost::beast::http::verb::post, "/api/v1/healthcode/tests/import",
                       "id_number,sample_id,result,sampled_at\r\n" + a.id_number + ",CSV-A1,negative," + when + "\r\n" +
                           b.id_number + ",CSV-B1,positive," + when + "\r\n",
                       staff.lab.token, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(good.status, 201) << good.body;
  EXPECT_EQ(good.json().at("imported"), 2);
  EXPECT_EQ(Colour(s(), a), "green");
  EXPECT_EQ(Colour(s(), b), "red");
}

TEST_P(HealthCodeApiTest, AFeverMeasuredAtTheGateTurnsYellow) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  auto normal = s().Post("/api/v1/healthcode/fever-reports",
                         {{"id_number", p.id_number}, {"temperature", 36.6}, {"gate", "东门"}}, staff.gate.token);
  ASSERT_EQ(normal.status, 201) << normal.body;
  EXPECT_EQ(normal.json().at("colour"), "green");
  auto fever = s().Post("/api/v1/healthcode/fever-reports",
                        {{"id_number", p.id_number}, {"temperature", 38.2}, {"gate", "东门"}}, staff.gate.token);
  ASSERT_EQ(fever.status, 201) << fever.body;
  EXPECT_EQ(fever.json().at("colour"), "yellow");
  EXPECT_EQ(s().Get("/api/v1/me/healthcode", p.token).json().at("reasons").at(0).at("code"), "fever_onsite.fever");
  auto bad = s().Post("/api/v1/healthcode/fever-reports",
                      {{"id_number", p.id_number}, {"temperature", 99}, {"gate", "东门"}}, staff.gate.token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(s().Post("/api/v1/healthcode/fever-reports",
                     {{"id_number", p.id_number}, {"temperature", 38.2}, {"gate", "x"}}, p.token)
                .status,
            403);
}

INSTANTIATE_TEST_SUITE_P(Backends, HealthCodeApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_healthcode_api_test
}  // namespace ihos::apitest
