// My sessions, password change and password reset by SMS code (issue 17).

#include "api/harness.hpp"
#include "domain/accounts/service.hpp"

namespace ihos::apitest {
namespace api_account_security_api_test {

namespace json = boost::json;
using boost::beast::http::verb;

class AccountSecurityApiTest : public ApiTest {
 protected:
  // Signs in again as `a` from a device named `ua`; the new bearer token.
  std::string LoginFrom(const TestServer::Account& a, const std::string& ua, const std::string& password = "") {
    const Resp r = s().Call(
        verb::post, "/api/v1/auth/login",
        json::serialize(json::object{{"phone", a.phone}, {"password", password.empty() ? a.password : password}}), "",
        {{"User-Agent", ua}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(r.json().at("token").as_string()) : "";
  }
  json::array Sessions(const std::string& token) {
    const Resp r = s().Get("/api/v1/me/sessions", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("items").as_array();
  }
  static std::string Code(const Resp& r) { return r.body.empty() ? "" : std::string(r.json().at("code").as_string()); }
  static std::string FieldCode(const Resp& r) {
    return std::string(r.json().at("errors").at(0).at("code").as_string());
  }
};

TEST_P(AccountSecurityApiTest, ListsMySessionsWithDeviceAndMarksThisOne) {
  const auto a = s().NewPatient();
  const std::string phone_tok = LoginFrom(a, "Mozilla/5.0 (iPhone) 手机");
  const std::string desk_tok = LoginFrom(a, "Mozilla/5.0 (X11; Linux) Desktop");
  const auto items = Sessions(desk_tok);
  ASSERT_EQ(items.size(), 3u);  // NewPatient's own session too
  EXPECT_TRUE(items[0].at("current").as_bool()) << "this session comes first";
  EXPECT_EQ(items[0].at("user_agent"), "Mozilla/5.0 (X11; Linux) Desktop");
  EXPECT_EQ(items[0].at("client_addr"), "127.0.0.1");
  int current = 0;
  bool phone_seen = false;
  for (const auto& it : items) {
    current += it.at("current").as_bool() ? 1 : 0;
    phone_seen = phone_seen || it.at("user_agent") == "Mozilla/5.0 (iPhone) 手机";
    EXPECT_EQ(it.at("id").as_string().size(), 24u);
    EXPECT_GE(it.at("last_seen_at").as_int64(), it.at("created_at").as_int64());
    EXPECT_GT(it.at("expires_at").as_int64(), it.at("created_at").as_int64());
  }
  EXPECT_EQ(current, 1);
  EXPECT_TRUE(phone_seen);
  // Nothing of the token leaks into the list.
  const std::string listed = json::serialize(items);
  EXPECT_EQ(listed.find(phone_tok), std::string::npos);
  EXPECT_EQ(listed.find(desk_tok), std::string::npos);
  // Another user sees only their own.
  const auto b = s().NewPatient();
  EXPECT_EQ(Sessions(b.token).size(), 1u);
}

TEST_P(AccountSecurityApiTest, SignOutOneSessionAndEverywhereElse) {
  const auto a = s().NewPatient();
  const std::string phone_tok = LoginFrom(a, "phone");
  const std::string desk_tok = LoginFrom(a, "desk");
  std::string phone_id;
  for (const auto& it : Sessions(desk_tok))
    if (it.at("user_agent") == "phone") phone_id = std::string(it.at("id").as_string());
  ASSERT_FALSE(phone_id.empty());
  // Someone else cannot sign my session out (404, as for any session not theirs).
  const auto b = s().NewPatient();
  EXPECT_EQ(s().Call(verb::delete_, "/api/v1/me/sessions/" + phone_id, "", b.token).status, 404);
  EXPECT_EQ(s().Get("/api/v1/me", phone_tok).status, 200);
  EXPECT_EQ(s().Call(verb::delete_, "/api/v1/me/sessions/" + phone_id, "", desk_tok).status, 204);
  EXPECT_EQ(s().Get("/api/v1/me", phone_tok).status, 401) << "the signed-out session is refused at once";
  EXPECT_EQ(s().Call(verb::delete_, "/api/v1/me/sessions/" + phone_id, "", desk_tok).status, 404);
  // Everywhere else: a.token (NewPatient's) goes, this one stays.
  const Resp out = s().Post("/api/v1/me/sessions/sign-out-others", json::object{}, desk_tok);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(out.json().at("signed_out").as_int64(), 1);
  EXPECT_EQ(s().Get("/api/v1/me", a.token).status, 401);
  EXPECT_EQ(s().Get("/api/v1/me", desk_tok).status, 200);
  EXPECT_EQ(Sessions(desk_tok).size(), 1u);
  EXPECT_EQ(s().Get("/api/v1/me", b.token).status, 200) << "other users are untouched";
}

TEST_P(AccountSecurityApiTest, ChangePasswordNeedsTheOldOneAndAnSmsCodeAndSignsOutTheOthers) {
  const auto a = s().NewPatient();
  const std::string other = LoginFrom(a, "other device");
  // The code goes to the account's own phone (shown masked), never to one the caller names.
  Resp sent = s().Post("/api/v1/me/password/code", {{"phone", "13900000000"}}, a.token);
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json().at("phone").as_string(), a.phone.substr(0, 3) + "****" + a.phone.substr(7)) << sent.body;
  EXPECT_EQ(s().LastSmsCode("13900000000"), "");
  const std::string code = s().LastSmsCode(a.phone);
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(Code(s().Post("/api/v1/me/password/code", boost::json::object{}, a.token)), "sms_too_frequent");
  EXPECT_EQ(s().Post("/api/v1/me/password/code", boost::json::object{}, "").status, 401);

  auto change = [&](const std::string& old_pw, const std::string& new_pw, const std::string& sms) {
    boost::json::object body{{"old_password", old_pw}, {"new_password", new_pw}};
    if (!sms.empty()) body["sms_code"] = sms;
    return s().Post("/api/v1/me/password", body, a.token);
  };
  Resp r = change("Wrong-pass-1", "Brand2new2026", code);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(FieldCode(r), "password_wrong");
  r = change(a.password, "12345678", code);
  EXPECT_EQ(FieldCode(r), "password_weak") << r.body;
  r = change(a.password, a.phone.substr(0, 11) + "abc", code);
  EXPECT_EQ(FieldCode(r), "password_weak") << "the registration rules: not containing the phone";
  r = change(a.password, a.password, code);
  EXPECT_EQ(FieldCode(r), "password_unchanged");
  // The old password alone is not enough.
  r = change(a.password, "Brand2new2026", "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(FieldCode(r), "required") << r.body;
  const std::string wrong = code == "000000" ? "111111" : "000000";
  r = change(a.password, "Brand2new2026", wrong);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Code(r), "sms_code_invalid");
  EXPECT_EQ(s().Get("/api/v1/me", other).status, 200) << "a refused change revokes nothing";
  EXPECT_EQ(s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}}).status, 200)
      << "a refused change keeps the old password";
  r = change(a.password, "Brand2new2026", code);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(s().Get("/api/v1/me", other).status, 401) << "the other session is signed out";
  EXPECT_EQ(s().Get("/api/v1/me", a.token).status, 200) << "this one stays";
  EXPECT_EQ(s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}}).status, 401);
  EXPECT_FALSE(LoginFrom(a, "x", "Brand2new2026").empty());
  // The code was used once.
  r = change("Brand2new2026", "Third3time2026", code);
  EXPECT_EQ(Code(r), "sms_code_invalid") << r.body;
}

TEST_P(AccountSecurityApiTest, WrongOldPasswordsAreLimited) {
  const auto a = s().NewPatient();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(
        s().Post("/api/v1/me/password",
                 {{"old_password", "Nope-" + std::to_string(i) + "x1"}, {"new_password", "Brand2new2026"}}, a.token)
            .status,
        400);
  const Resp r =
      s().Post("/api/v1/me/password", {{"old_password", a.password}, {"new_password", "Brand2new2026"}}, a.token);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(Code(r), "too_many_attempts");
  EXPECT_FALSE(r.header("retry-after").empty());
}

TEST_P(AccountSecurityApiTest, ResetPasswordBySmsCodeSignsOutEverySession) {
  const auto a = s().NewPatient();
  const std::string other = LoginFrom(a, "other device");
  Resp r = s().Post("/api/v1/auth/password-reset/code", {{"phone", a.phone}});
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string code = s().LastSmsCode(a.phone);
  ASSERT_EQ(code.size(), 6u);
  // A second code within the minute is refused like every SMS code.
  const Resp again = s().Post("/api/v1/auth/password-reset/code", {{"phone", a.phone}});
  EXPECT_EQ(again.status, 429);
  EXPECT_EQ(Code(again), "sms_too_frequent");
  // An unknown phone gets the same answer and no text.
  const std::string stranger = MakePhone();
  EXPECT_EQ(s().Post("/api/v1/auth/password-reset/code", {{"phone", stranger}}).status, 202);
  EXPECT_EQ(s().LastSmsCode(stranger), "");
  EXPECT_EQ(s().Post("/api/v1/auth/password-reset/code", {{"phone", "123"}}).status, 400);
  // A weak password is refused without using up the code.
  r = s().Post("/api/v1/auth/password-reset", {{"phone", a.phone}, {"sms_code", code}, {"new_password", "password"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(FieldCode(r), "password_weak");
  const std::string wrong = code == "000000" ? "111111" : "000000";
  r = s().Post("/api/v1/auth/password-reset",
               {{"phone", a.phone}, {"sms_code", wrong}, {"new_password", "Reset2026ok"}});
  EXPECT_EQ(Code(r), "sms_code_invalid");
  r = s().Post("/api/v1/auth/password-reset",
               {{"phone", a.phone}, {"sms_code", code}, {"new_password", "Reset2026ok"}});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(s().Get("/api/v1/me", a.token).status, 401);
  EXPECT_EQ(s().Get("/api/v1/me", other).status, 401);
  EXPECT_FALSE(LoginFrom(a, "x", "Reset2026ok").empty());
  // The code was single use.
  r = s().Post("/api/v1/auth/password-reset",
               {{"phone", a.phone}, {"sms_code", code}, {"new_password", "Again2026ok"}});
  EXPECT_EQ(Code(r), "sms_code_invalid");
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountSecurityApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_account_security_api_test
}  // namespace ihos::apitest
