#include "harness.hpp"

namespace ihos::apitest {
namespace api_accounts_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

TEST_P(ApiTest, RegisterLoginMeLogout) {
  const std::string id = MakeIdNumber("19850312");
  auto r = s().Post("/api/v1/auth/register", {{"phone", "13812345678"},
                                              {"password", "Health2026ok"},
                                              {"real_name", "王芳"},
                                              {"id_number", id},
                                              {"sms_code", s().RegisterCode("13812345678")}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto user = r.json().at("user");
  EXPECT_EQ(user.at("phone_masked"), "138****5678");
  EXPECT_EQ(user.at("birth_date"), "1985-03-12");
  EXPECT_EQ(user.at("roles"), json::array{"patient"});
  EXPECT_EQ(r.body.find(id), std::string::npos) << "the full ID number must not be echoed";
  EXPECT_FALSE(r.header("x-request-id").empty());

  auto l = s().Post("/api/v1/auth/login", {{"phone", "13812345678"}, {"password", "Health2026ok"}});
  ASSERT_EQ(l.status, 200) << l.body;
  const std::string token(l.json().at("token").as_string());
  auto me = s().Get("/api/v1/me", token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json().at("real_name"), "王芳");

  EXPECT_EQ(s().Call(verb::post, "/api/v1/auth/logout", "", token).status, 204);
  auto after = s().Get("/api/v1/me", token);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.json().at("code"), "session_expired");
}

TEST_P(ApiTest, OneAccountPerIdNumber) {
  const std::string id = MakeIdNumber("19700101");
  json::object body{{"phone", MakePhone()}, {"password", "Health2026ok"}, {"real_name", "李雷"}, {"id_number", id}};
  body["sms_code"] = s().RegisterCode(std::string(body["phone"].as_string()));
  ASSERT_EQ(s().Post("/api/v1/auth/register", body).status, 201);
  body["phone"] = MakePhone();
  body["sms_code"] = s().RegisterCode(std::string(body["phone"].as_string()));
  auto again = s().Post("/api/v1/auth/register", body);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json().at("code"), "id_number_taken");
  // lower-case x is the same number
  if (id.back() == 'X') {
    body["id_number"] = id.substr(0, 17) + "x";
    body["phone"] = MakePhone();
    body["sms_code"] = s().RegisterCode(std::string(body["phone"].as_string()));
    EXPECT_EQ(s().Post("/api/v1/auth/register", body).status, 409);
  }
}

TEST_P(ApiTest, BadIdNumberNamesTheRuleInBothLanguages) {
  std::string id = MakeIdNumber("19850312");
  id.back() = id.back() == '1' ? '2' : '1';
  auto r =
      s().Call(verb::post, "/api/v1/auth/register",
               json::serialize(json::object{
                   {"phone", MakePhone()}, {"password", "Health2026ok"}, {"real_name", "王芳"}, {"id_number", id}}),
               "", {{"Accept-Language", "en"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  auto p = r.json();
  EXPECT_EQ(p.at("code"), "validation_failed");
  EXPECT_EQ(p.at("title"), "Please check the fields you entered.");
  auto f = p.at("errors").at(0);
  EXPECT_EQ(f.at("field"), "id_number");
  EXPECT_EQ(f.at("code"), "id_number_check_digit");
  EXPECT_EQ(f.at("message").at("zh-CN"), "身份证号校验码不正确，请核对。");
  EXPECT_FALSE(p.at("request_id").as_string().empty());
}

TEST_P(ApiTest, MinorsCannotRegisterThemselvesButAGuardianAddsThem) {
  auto r = s().Post("/api/v1/auth/register", {{"phone", MakePhone()},
                                              {"password", "Health2026ok"},
                                              {"real_name", "王小明"},
                                              {"id_number", MakeIdNumber("20150601")}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("code"), "minor_needs_guardian");

  auto parent = s().NewPatient("王芳");
  const std::string child_number = MakeIdNumber("20150601");
  auto add = s().Post("/api/v1/me/dependents",
                      {{"real_name", "王小明"}, {"id_number", child_number}, {"relationship", "parent"}}, parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const auto child_id = add.json().at("id").as_int64();
  EXPECT_EQ(add.json().at("phone_masked"), nullptr);
  auto list = s().Get("/api/v1/me/dependents", parent.token);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json().at("items").as_array().size(), 1u);

  // Adding the same child twice is refused with a message that says so.
  json::object again{{"real_name", "王小明"}, {"id_number", child_number}, {"relationship", "parent"}};
  auto twice = s().Post("/api/v1/me/dependents", again, parent.token);
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json().at("code"), "already_guardian");

  // An adult cannot be added as a dependent.
  auto adult = s().Post("/api/v1/me/dependents",
                        {{"real_name", "王大明"}, {"id_number", MakeIdNumber("19900101")}, {"relationship", "parent"}},
                        parent.token);
  EXPECT_EQ(adult.json().at("code"), "dependent_not_minor");

  // The guardian can read the child's record; a stranger gets 404, not 403.
  EXPECT_EQ(s().Get("/api/v1/patients/" + std::to_string(child_id), parent.token).status, 200);
  auto stranger = s().NewPatient("陌生人");
  auto other = s().Post("/api/v1/me/dependents", again, stranger.token);
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.json().at("code"), "dependent_exists");
  EXPECT_EQ(s().Get("/api/v1/patients/" + std::to_string(child_id), stranger.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/me/access-log?patient_id=" + std::to_string(child_id), stranger.token).status, 404);

  // The guardian's reads are in the child's access log.
  auto log = s().Get("/api/v1/me/access-log?patient_id=" + std::to_string(child_id), parent.token);
  ASSERT_EQ(log.status, 200) << log.body;
  const auto log_json = log.json();
  const auto& items = log_json.at("items").as_array();
  ASSERT_GE(items.size(), 3u);  // create, list, read
  EXPECT_EQ(items[0].at("action"), "patient.read");
  EXPECT_EQ(items[0].at("actor_name"), "王芳");
  // Reading the child's access log is itself a read of the child's data, and is logged.
  auto again_log = s().Get("/api/v1/me/access-log?patient_id=" + std::to_string(child_id), parent.token);
  EXPECT_EQ(again_log.json().at("items").at(0).at("action"), "access_log.read");
}

TEST_P(ApiTest, GuardianshipEndsAtEighteen) {
  auto parent = s().NewPatient("周敏");
  // A child who turns 18 in 30 days: the civil date 30 days ahead, 18 years back (its year,
  // not this year's, so that a date in January works from December; 29 February becomes the
  // 28th, which is still within the month).
  const std::int64_t in_30_days = s().clock().NowMs() + 30LL * 24 * 3600 * 1000;
  const std::string bday = CivilDateCst(in_30_days);
  const int y = std::stoi(bday.substr(0, 4)) - 18;
  std::string day = bday.substr(8, 2);
  if (bday.substr(5, 2) == "02" && day == "29") day = "28";
  const std::string birth = std::to_string(y) + bday.substr(5, 2) + day;
  auto add =
      s().Post("/api/v1/me/dependents",
               {{"real_name", "周小北"}, {"id_number", MakeIdNumber(birth)}, {"relationship", "parent"}}, parent.token);
  ASSERT_EQ(add.status, 201) << add.body;
  const std::string child = std::to_string(add.json().at("id").as_int64());
  EXPECT_EQ(s().Get("/api/v1/patients/" + child, parent.token).status, 200);

  s().clock().Advance(31LL * 24 * 3600 * 1000);
  auto relogin = s().Post("/api/v1/auth/login", {{"phone", parent.phone}, {"password", parent.password}});
  ASSERT_EQ(relogin.status, 200);
  const std::string token(relogin.json().at("token").as_string());
  EXPECT_EQ(s().Get("/api/v1/me/dependents", token).json().at("items").as_array().size(), 0u);
  EXPECT_EQ(s().Get("/api/v1/patients/" + child, token).status, 404);
}

TEST_P(ApiTest, RegistrationsAreRateLimitedPerAddress) {
  // Thirty attempts an hour per address (here: invalid ones, which cost nothing to refuse).
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(
        s().Post("/api/v1/auth/register", {{"phone", "1"}, {"password", "x"}, {"real_name", "x"}, {"id_number", "x"}})
            .status,
        400);
  auto blocked = s().Post("/api/v1/auth/register", {{"phone", MakePhone()},
                                                    {"password", "Health2026ok"},
                                                    {"real_name", "郑十"},
                                                    {"id_number", MakeIdNumber("19900101")}});
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(blocked.json().at("code"), "too_many_attempts");
}

TEST_P(ApiTest, AdminGrantsRolesAndTheAccessIsAudited) {
  auto admin = s().NewAdmin();
  auto pat = s().NewPatient("张医生");
  // A patient may not call admin routes.
  auto denied = s().Post("/api/v1/admin/users/" + std::to_string(pat.id) + "/roles", {{"role", "doctor"}}, pat.token);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.json().at("code"), "forbidden");
  // The doctor and pharmacist roles come only from a credential review, never from an admin.
  for (const char* credentialed : {"doctor", "pharmacist"}) {
    auto refused =
        s().Post("/api/v1/admin/users/" + std::to_string(pat.id) + "/roles", {{"role", credentialed}}, admin.token);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.json().at("code"), "role_needs_credential_review");
  }
  EXPECT_EQ(s().Get("/api/v1/me", pat.token).json().at("roles"), json::array{"patient"});
  auto g = s().Post("/api/v1/admin/users/" + std::to_string(pat.id) + "/roles", {{"role", "nurse"}}, admin.token);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.json().at("roles"), (json::array{"nurse", "patient"}));
  EXPECT_EQ(s().Get("/api/v1/me", pat.token).json().at("roles"), (json::array{"nurse", "patient"}));
  auto bad = s().Post("/api/v1/admin/users/" + std::to_string(pat.id) + "/roles", {{"role", "wizard"}}, admin.token);
  EXPECT_EQ(bad.status, 400);
  auto rv = s().Call(verb::delete_, "/api/v1/admin/users/" + std::to_string(pat.id) + "/roles/nurse", "", admin.token);
  ASSERT_EQ(rv.status, 200);
  EXPECT_EQ(rv.json().at("roles"), json::array{"patient"});
  auto self =
      s().Call(verb::delete_, "/api/v1/admin/users/" + std::to_string(admin.id) + "/roles/admin", "", admin.token);
  EXPECT_EQ(self.json().at("code"), "cannot_revoke_own_admin");

  // Reading another person's record needs a reason, and shows up in their access log.
  EXPECT_EQ(s().Get("/api/v1/patients/" + std::to_string(pat.id), admin.token).json().at("code"), "reason_required");
  EXPECT_EQ(s().Get("/api/v1/patients/" + std::to_string(pat.id) + "?reason=%E6%8A%95%E8%AF%89%E8%B0%83%E6%9F%A5",
                    admin.token)
                .status,
            200);
  auto log = s().Get("/api/v1/me/access-log", pat.token);
  ASSERT_EQ(log.status, 200);
  const auto log_json = log.json();
  const auto& items = log_json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);  // grant, revoke, read
  EXPECT_EQ(items[0].at("action"), "patient.read");
  EXPECT_EQ(items[0].at("reason"), "投诉调查");
  EXPECT_EQ(items[0].at("actor_role"), "admin");

  auto search = s().Get("/api/v1/admin/users?q=%E5%BC%A0", admin.token);
  ASSERT_EQ(search.status, 200);
  EXPECT_EQ(search.json().at("items").as_array().size(), 1u);
}

TEST_P(ApiTest, FailedLoginsAreRateLimitedPerAccount) {
  auto a = s().NewPatient();
  for (int i = 0; i < 5; ++i) {
    auto r = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", "WrongPass1"}});
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.json().at("code"), "login_failed");
  }
  auto blocked = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(blocked.json().at("code"), "too_many_attempts");
  EXPECT_GT(std::stoi(blocked.header("retry-after")), 0);
  s().clock().Advance(15 * 60 * 1000);
  EXPECT_EQ(s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}}).status, 200);
}

TEST_P(ApiTest, FailedLoginsAreRateLimitedPerAddress) {
  // 20 failures from one address across many phone numbers blocks that address.
  for (int i = 0; i < 20; ++i) s().Post("/api/v1/auth/login", {{"phone", MakePhone()}, {"password", "WrongPass1"}});
  // Registering is not limited, but signing in from that address now is, even with the right
  // password.
  const std::string phone = MakePhone();
  ASSERT_EQ(s().Post("/api/v1/auth/register", {{"phone", phone},
                                               {"password", "Health2026ok"},
                                               {"real_name", "钱七"},
                                               {"id_number", MakeIdNumber("19900101")},
                                               {"sms_code", s().RegisterCode(phone)}})
                .status,
            201);
  auto blocked = s().Post("/api/v1/auth/login", {{"phone", phone}, {"password", "Health2026ok"}});
  EXPECT_EQ(blocked.status, 429);
}

TEST_P(ApiTest, SessionsExpire) {
  auto a = s().NewPatient();
  EXPECT_EQ(s().Get("/api/v1/me", a.token).status, 200);
  s().clock().Advance(7LL * 24 * 3600 * 1000 + 1);
  EXPECT_EQ(s().Get("/api/v1/me", a.token).status, 401);
}

TEST_P(ApiTest, EveryProtectedRouteRefusesAnonymousCallers) {
  for (const auto& r : s().app().router().routes()) {
    if (r->access.kind == http::Access::Kind::anyone) continue;
    std::string target = r->path;
    for (auto p = target.find('{'); p != std::string::npos; p = target.find('{'))
      target.replace(p, target.find('}', p) - p + 1, "1");
    auto resp = s().Call(r->method, target, r->method == verb::post ? "{}" : "");
    EXPECT_EQ(resp.status, 401) << r->path;
    EXPECT_EQ(resp.header("content-type"), "application/problem+json");
  }
}

TEST_P(ApiTest, HealthReadinessMetricsAndMeta) {
  EXPECT_EQ(s().Get("/healthz").status, 200);
  EXPECT_EQ(s().Get("/readyz").json().at("status"), "ready");
  s().Get("/api/v1/me");
  auto m = s().Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("ihos_http_requests_total{route=\"/api/v1/me\",method=\"GET\",status=\"4xx\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("ihos_http_request_duration_seconds_bucket{route=\"/healthz\""), std::string::npos);
  EXPECT_NE(m.body.find("ihos_http_open_connections"), std::string::npos);
  EXPECT_NE(m.body.find("ihos_worker_pool_queue"), std::string::npos);
  EXPECT_EQ(s().Get("/api/v1/meta").json().at("demo"), false);
}

TEST_P(ApiTest, AuditChainVerifiesAndCatchesTampering) {
  auto admin = s().NewAdmin();
  auto pat = s().NewPatient("赵六");
  for (int i = 0; i < 3; ++i)
    s().Get("/api/v1/patients/" + std::to_string(pat.id) + "?reason=check" + std::to_string(i), admin.token);
  auto ok = domain::audit::Verify(s().app().db());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->rows_checked, 3);
  EXPECT_FALSE(ok->first_broken_id);

  // Someone edits the reason of the second row directly in the database.
  auto st = s().app().db().Transact(store::TxMode::write, [](store::Tx& tx) -> Status {
    auto r = tx.Exec("UPDATE audit_log SET reason = 'nothing to see' WHERE id = (SELECT MIN(id) + 1 FROM audit_log)");
    if (!r) return r.error();
    return {};
  });
  ASSERT_TRUE(st);
  auto bad = domain::audit::Verify(s().app().db());
  ASSERT_TRUE(bad);
  ASSERT_TRUE(bad->first_broken_id);
  EXPECT_NE(bad->problem.find("changed"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_accounts_api_test
}  // namespace ihos::apitest
