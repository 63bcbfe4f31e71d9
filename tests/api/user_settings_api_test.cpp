// My app preferences (GET/PUT /api/v1/me/settings): elder mode kept with the account.

#include "api/harness.hpp"

namespace ihos::apitest {
namespace api_user_settings_api_test {

namespace json = boost::json;
using boost::beast::http::verb;

class UserSettingsApiTest : public ApiTest {
 protected:
  Resp Put(const std::string& body, const std::string& token, const std::string& lang = "zh-CN") {
    return s().Call(verb::put, "/api/v1/me/settings", body, token,
                    {{"Accept-Language", lang}});
  }
};

TEST_P(UserSettingsApiTest, ElderModeIsKeptWithTheAccountAcrossSessions) {
  const auto a = s().NewPatient();
  Resp r = s().Get("/api/v1/me/settings", a.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("elder_mode"), false) << "off until the user turns it on";
  EXPECT_TRUE(r.json().at("updated_at").is_null());

  s().clock().Advance(5000);
  r = Put(R"({"elder_mode": true})", a.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("elder_mode"), true);
  EXPECT_EQ(r.json().at("updated_at").as_int64(), s().clock().NowMs());

  // Another sign-in of the same account (another phone) finds it on.
  const Resp login = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string other(login.json().at("token").as_string());
  EXPECT_EQ(s().Get("/api/v1/me/settings", other).json().at("elder_mode"), true);

  // Another account is not touched.
  const auto b = s().NewPatient();
  EXPECT_EQ(s().Get("/api/v1/me/settings", b.token).json().at("elder_mode"), false);

  // And off again.
  r = Put(R"({"elder_mode": false})", other);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s().Get("/api/v1/me/settings", a.token).json().at("elder_mode"), false);
}

TEST_P(UserSettingsApiTest, RefusesUnknownMembersAndWrongTypesFieldByField) {
  const auto a = s().NewPatient();
  Resp r = Put(R"({"elder_mode": "yes", "font": 20})", a.token, "en");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.json().at("code"), "validation_failed");
  EXPECT_EQ(r.json().at("title"), "Please check the fields you entered.");
  std::map<std::string, std::string> fields;
  for (const auto& e : r.json().at("errors").as_array()) {
    fields[std::string(e.at("field").as_string())] = std::string(e.at("code").as_string());
    EXPECT_FALSE(e.at("message").at("zh-CN").as_string().empty());
    EXPECT_FALSE(e.at("message").at("en").as_string().empty());
  }
  EXPECT_EQ(fields, (std::map<std::string, std::string>{{"elder_mode", "wrong_type"}, {"font", "unknown_field"}}));

  for (const char* body : {"{}", R"({"elder_mode": null})"}) {
    r = Put(body, a.token);
    ASSERT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "elder_mode") << body;
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "required") << body;
  }
  r = Put(R"({"elder_mode": 1})", a.token);
  EXPECT_EQ(r.status, 400) << "1 is not a boolean: " << r.body;
  EXPECT_EQ(Put("[true]", a.token).json().at("code"), "malformed_json");
  EXPECT_EQ(Put("{\"elder_mode\": tru", a.token).json().at("code"), "malformed_json");
  // Nothing was stored by the refused requests.
  EXPECT_TRUE(s().Get("/api/v1/me/settings", a.token).json().at("updated_at").is_null());
}

TEST_P(UserSettingsApiTest, NeedsASignedInUser) {
  EXPECT_EQ(s().Get("/api/v1/me/settings").status, 401);
  EXPECT_EQ(Put(R"({"elder_mode": true})", "").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, UserSettingsApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_user_settings_api_test
}  // namespace ihos::apitest
