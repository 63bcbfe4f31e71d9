// Health code on both backends, the authority/speed part of issue #5: "show my code" served from
// memory changes at once when a fact, a risk area or the rules change; a card is served again
// while half its life remains and re-signed after; the lab CSV import reports every problem by
// line, field and code (a spreadsheet's BOM and blank lines are fine) and writes all rows or none.
#include <boost/json.hpp>

#include "api/harness.hpp"
#include "domain/healthcode/shc.hpp"

namespace ihos::apitest {
namespace api_healthcode_authority_api_test {
namespace json = boost::json;
namespace shc = domain::healthcode::shc;
using HealthCodeAuthorityApiTest = ApiTest;

constexpr std::int64_t kHour = 3600LL * 1000;

struct Staff {
  TestServer::Account admin, lab, authority;
};

Staff MakeStaff(TestServer& s) {
  Staff st{s.NewAdmin(), s.NewPatient("测试检验"), s.NewPatient("测试疾控")};
  for (auto [a, role] : {std::pair{&st.lab, "lab"}, std::pair{&st.authority, "health_authority"}}) {
    auto r = s.Post("/api/v1/admin/users/" + std::to_string(a->id) + "/roles", {{"role", role}}, st.admin.token);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  return st;
}

struct Code {
  std::string colour, jws;
  std::int64_t nbf = 0;
};
Code MyCode(TestServer& s, const TestServer::Account& a) {
  auto r = s.Get("/api/v1/me/healthcode", a.token);
  EXPECT_EQ(r.status, 200) << r.body;
  Code c{std::string(r.json().at("colour").as_string()), std::string(r.json().at("card").at("jws").as_string())};
  auto p = shc::ParseJws(c.jws);
  EXPECT_TRUE(p);
  if (p) c.nbf = json::parse(p->payload_json).at("nbf").as_int64();
  return c;
}

Resp ImportCsv(TestServer& s, const std::string& token, const std::string& csv) {
  return s.Call(boost::beast::http::verb::post, "/api/v1/healthcode/tests/import", csv, token,
                {{"Content-Type", "text/csv"}});
}

TEST_P(HealthCodeAuthorityApiTest, ACardIsServedAgainUntilHalfItsLifeAndAFactChangesTheCodeAtOnce) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  const Code first = MyCode(s(), p);
  EXPECT_EQ(first.colour, "green");
  s().clock().Advance(100 * 1000);
  const Code again = MyCode(s(), p);
  EXPECT_EQ(again.jws, first.jws) << "a card with more than half its life left is served again";
  s().clock().Advance(60 * 1000);  // 160 s: less than half of the 5 minutes left
  const Code renewed = MyCode(s(), p);
  EXPECT_NE(renewed.jws, first.jws);
  EXPECT_EQ(renewed.nbf, first.nbf + 160);

  // A new fact shows in the very next read, with no clock change (the snapshot in memory is dropped).
  auto e = s().Post("/api/v1/healthcode/exposures", {{"id_number", p.id_number}, {"value", "close_contact"}},
                    staff.authority.token);
  ASSERT_EQ(e.status, 201) << e.body;
  const Code red = MyCode(s(), p);
  EXPECT_EQ(red.colour, "red");
  EXPECT_NE(red.jws, renewed.jws);
  // The green card is revoked: the red one starts after the revocation, so it is valid.
  EXPECT_GT(red.nbf, renewed.nbf);
}

TEST_P(HealthCodeAuthorityApiTest, SettingARiskAreaChangesATravellersCodeAtOnce) {
  auto staff = MakeStaff(s());
  auto p = s().NewPatient();
  const std::string today = CivilDateCst(s().clock().NowMs());
  auto d = s().Post("/api/v1/me/healthcode/declarations",
                    {{"kind", "travel"}, {"region_code", "420106"}, {"date", today}}, p.token);
  ASSERT_EQ(d.status, 201) << d.body;
  EXPECT_EQ(MyCode(s(), p).colour, "green");  // read and kept in memory
  auto ra = s().Post("/api/v1/healthcode/risk-areas",
                     {{"region_code", "420000"}, {"level", "high"}, {"start_date", today}}, staff.authority.token);
  ASSERT_EQ(ra.status, 201) << ra.body;
  EXPECT_EQ(ra.json().at("recomputed"), 1);
  EXPECT_EQ(MyCode(s(), p).colour, "red");
  // The map reads the areas in force with the division's names.
  auto areas = s().Get("/api/v1/healthcode/risk-areas?current=1", p.token);
  ASSERT_EQ(areas.status, 200) << areas.body;
  const auto& a = areas.json().at("items").at(0);
  EXPECT_EQ(a.at("region_code"), "420000");
  EXPECT_EQ(a.at("region_name"), "湖北省");
  EXPECT_EQ(a.at("region_level"), "province");
  EXPECT_EQ(a.at("level"), "high");
  auto end = s().Post("/api/v1/healthcode/risk-areas/" + std::to_string(ra.json().at("id").as_int64()) + "/end",
                      {{"end_date", today}}, staff.authority.token);
  ASSERT_EQ(end.status, 200) << end.body;
  // Ended today: the traveller arrived while it was in force, so the rule's period still applies.
  EXPECT_EQ(end.json().at("recomputed"), 1);
  EXPECT_EQ(MyCode(s(), p).colour, "red");
}

TEST_P(HealthCodeAuthorityApiTest, CsvImportReportsEveryProblemByLineAndWritesNothing) {
  auto staff = MakeStaff(s());
  auto a = s().NewPatient(), b = s().NewPatient();
  const std::string when = std::to_string(s().clock().NowMs() - kHour);
  // BOM, a blank line (line 3) and a sample id twice (lines 4 and 5).
  auto bad = ImportCsv(s(), staff.lab.token,
                       "\xEF\xBB\xBFid_number,sample_id,result,sampled_at\r\n" + a.id_number + ",CSV-1,negative," +
                           when + "\r\n\r\n" + b.id_number + ",CSV-2,negative," + when + "\r\n" + b.id_number +
                           ",CSV-2,negative," + when + "\r\n" + b.id_number + ",CSV-3,negative,2026-13-01 08:00\r\n");
  ASSERT_EQ(bad.status, 400) << bad.body;
  const auto& errs = bad.json().at("errors").as_array();
  ASSERT_EQ(errs.size(), 2u) << bad.body;
  EXPECT_EQ(errs.at(0).at("field"), "line 5.sample_id");
  EXPECT_EQ(errs.at(0).at("code"), "sample_duplicate_in_file");
  EXPECT_FALSE(errs.at(0).at("message").at("en").as_string().empty());
  EXPECT_EQ(errs.at(1).at("field"), "line 6.sampled_at");
  EXPECT_EQ(errs.at(1).at("code"), "invalid_date");
  // A person who is not registered is found only against the database: still by line, and still
  // nothing written (the first row, which was fine, is not imported either).
  auto unknown = ImportCsv(s(), staff.lab.token,
                           "id_number,sample_id,result,sampled_at\n" + a.id_number + ",CSV-1,negative," + when +
                               "\n\n" + MakeIdNumber("19800101") + ",CSV-9,negative," + when + "\n");
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.json().at("errors").at(0).at("field"), "line 4.id_number");
  EXPECT_EQ(unknown.json().at("errors").at(0).at("code"), "person_not_found");
  auto again =
      ImportCsv(s(), staff.lab.token,
                "\xEF\xBB\xBFid_number,sample_id,result,sampled_at\n" + a.id_number + ",CSV-1,positive," + when + "\n");
  ASSERT_EQ(again.status, 201) << again.body;  // CSV-1 was never written
  EXPECT_EQ(again.json().at("imported"), 1);
  EXPECT_EQ(MyCode(s(), a).colour, "red");
  EXPECT_EQ(ImportCsv(s(), a.token, "id_number,sample_id,result,sampled_at\n").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, HealthCodeAuthorityApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_healthcode_authority_api_test
}  // namespace ihos::apitest
