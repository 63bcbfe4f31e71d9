// Phone verification by SMS code at registration (issue 17), on both backends.
#include "api/harness.hpp"
#include "domain/accounts/service.hpp"

namespace ihos::apitest {
namespace api_register_sms_api_test {

namespace json = boost::json;
using boost::beast::http::verb;

std::int64_t CountUsers(TestServer& s) {
  auto n = s.app().db().With<std::int64_t>(store::TxMode::read, [](store::Tx& tx) -> Result<std::int64_t> {
    auto r = tx.Query("SELECT COUNT(*) FROM users");
    if (!r) return r.error();
    return (*r)[0].Int(0);
  });
  return n ? *n : -1;
}

// A provider that is not the demo one: records what it would send, like a carrier gateway.
class FakeCarrier : public domain::accounts::SmsSender {
 public:
  Status Send(const std::string& phone, const std::string&) override {
    sent.push_back(phone);
    return {};
  }
  std::string Name() const override { return "carrier"; }
  std::vector<std::string> sent;
};

class RegisterSmsApiTest : public ApiTest {
 protected:
  static std::string Code(const Resp& r) { return r.body.empty() ? "" : std::string(r.json().at("code").as_string()); }
  static json::object Body(const std::string& phone, const std::string& id_number, const std::string& code) {
    json::object o{{"phone", phone}, {"password", "Health2026ok"}, {"real_name", "周九"}, {"id_number", id_number}};
    if (!code.empty()) o["sms_code"] = code;
    return o;
  }
};

TEST_P(RegisterSmsApiTest, RegistrationNeedsTheCodeSentToThePhone) {
  const std::string phone = MakePhone();
  const std::string id = MakeIdNumber("19880808");

  // No code: refused, no account.
  const Resp none = s().Post("/api/v1/auth/register", Body(phone, id, ""));
  ASSERT_EQ(none.status, 400) << none.body;
  EXPECT_EQ(none.header("content-type"), "application/problem+json");
  EXPECT_EQ(Code(none), "validation_failed");
  EXPECT_EQ(none.json().at("errors").at(0).at("field"), "sms_code");
  EXPECT_EQ(none.json().at("errors").at(0).at("code"), "required");
  EXPECT_EQ(CountUsers(s()), 0);

  // The code request answers 202 and says the provider is the demo one.
  const Resp sent = s().Post("/api/v1/auth/register/code", {{"phone", phone}});
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json().at("provider"), "demo");
  const std::string code = s().LastSmsCode(phone);
  ASSERT_EQ(code.size(), 6u);

  // A wrong code: 400 sms_code_invalid in both languages, no account.
  const std::string wrong = code == "000000" ? "111111" : "000000";
  const Resp bad = s().Call(verb::post, "/api/v1/auth/register", json::serialize(Body(phone, id, wrong)), "",
                            {{"Accept-Language", "en"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.header("content-type"), "application/problem+json");
  EXPECT_EQ(Code(bad), "sms_code_invalid");
  EXPECT_EQ(bad.json().at("message").at("zh-CN"), "短信验证码不正确或已失效。");
  EXPECT_EQ(bad.json().at("message").at("en"), "The SMS code is wrong or no longer valid.");
  EXPECT_EQ(CountUsers(s()), 0);

  // The right code: registered, and the account signs in.
  const Resp ok = s().Post("/api/v1/auth/register", Body(phone, id, code));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(CountUsers(s()), 1);
  EXPECT_EQ(s().Post("/api/v1/auth/login", {{"phone", phone}, {"password", "Health2026ok"}}).status, 200);

  // The same code again (another ID number): used up.
  const Resp reuse = s().Post("/api/v1/auth/register", Body(phone, MakeIdNumber("19880808"), code));
  EXPECT_EQ(reuse.status, 400);
  EXPECT_EQ(Code(reuse), "sms_code_invalid");
  EXPECT_EQ(CountUsers(s()), 1);
}

TEST_P(RegisterSmsApiTest, ACodeIsForItsPhoneAndExpires) {
  const std::string a = MakePhone(), b = MakePhone();
  ASSERT_EQ(s().Post("/api/v1/auth/register/code", {{"phone", a}}).status, 202);
  const std::string code = s().LastSmsCode(a);
  ASSERT_EQ(code.size(), 6u);
  // Phone b's registration with phone a's code.
  EXPECT_EQ(Code(s().Post("/api/v1/auth/register", Body(b, MakeIdNumber("19900101"), code))), "sms_code_invalid");
  // A second code within the minute is refused.
  const Resp again = s().Post("/api/v1/auth/register/code", {{"phone", a}});
  EXPECT_EQ(again.status, 429);
  EXPECT_EQ(Code(again), "sms_too_frequent");
  // Five minutes later the code is void.
  s().clock().Advance(5 * 60 * 1000 + 1);
  const Resp late = s().Post("/api/v1/auth/register", Body(a, MakeIdNumber("19900101"), code));
  EXPECT_EQ(late.status, 400);
  EXPECT_EQ(Code(late), "sms_code_invalid");
  EXPECT_EQ(CountUsers(s()), 0);
  // A bad phone is refused before any text is sent.
  const Resp badphone = s().Post("/api/v1/auth/register/code", {{"phone", "12345"}});
  EXPECT_EQ(badphone.status, 400);
  EXPECT_EQ(badphone.json().at("errors").at(0).at("code"), "phone_format");
}

TEST_P(RegisterSmsApiTest, ARegisteredPhoneGetsTheSameAnswerAndOnlyItsOwnerLearnsItIsTaken) {
  auto owner = s().NewPatient("吴十");
  // The code request looks the same for a registered phone.
  const Resp sent = s().Post("/api/v1/auth/register/code", {{"phone", owner.phone}});
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json().at("sent"), true);
  // Without the code a stranger learns nothing: the answer is about the code, not the phone.
  const std::string guess = s().LastSmsCode(owner.phone) == "000000" ? "111111" : "000000";
  const Resp stranger = s().Post("/api/v1/auth/register", Body(owner.phone, MakeIdNumber("19900101"), guess));
  EXPECT_EQ(stranger.status, 400);
  EXPECT_EQ(Code(stranger), "sms_code_invalid");
  // The phone's owner, with the code, is told the phone is taken.
  ASSERT_EQ(s().Post("/api/v1/auth/register/code", {{"phone", owner.phone}}).status, 429);  // within the minute
  s().clock().Advance(61 * 1000);
  ASSERT_EQ(s().Post("/api/v1/auth/register/code", {{"phone", owner.phone}}).status, 202);
  const Resp taken =
      s().Post("/api/v1/auth/register", Body(owner.phone, MakeIdNumber("19900101"), s().LastSmsCode(owner.phone)));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(Code(taken), "phone_taken");
}

TEST_P(RegisterSmsApiTest, TheDemoSmsPageShowsTheDemoMessages) {
  const std::string phone = MakePhone();
  const Resp meta = s().Get("/api/v1/meta");
  ASSERT_EQ(meta.status, 200);
  EXPECT_EQ(meta.json().at("sms_provider"), "demo");
  EXPECT_EQ(meta.json().at("register_sms_code"), "required");

  const Resp empty = s().Get("/api/v1/demo/sms?phone=" + phone);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.json().at("demo"), true);
  EXPECT_TRUE(empty.json().at("messages").as_array().empty());

  ASSERT_EQ(s().Post("/api/v1/auth/register/code", {{"phone", phone}}).status, 202);
  const Resp got = s().Get("/api/v1/demo/sms?phone=" + phone);
  ASSERT_EQ(got.status, 200);
  const auto& msgs = got.json().at("messages").as_array();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_NE(std::string(msgs.at(0).at("text").as_string()).find(s().LastSmsCode(phone)), std::string::npos);
  EXPECT_EQ(std::string(msgs.at(0).at("phone").as_string()), phone);

  const Resp nophone = s().Get("/api/v1/demo/sms");
  EXPECT_EQ(nophone.status, 400);
  EXPECT_EQ(nophone.header("content-type"), "application/problem+json");
}

TEST_P(RegisterSmsApiTest, WithARealProviderThereIsNoDemoSmsEndpoint) {
  auto carrier = std::make_shared<FakeCarrier>();
  app::Config c;
  c.sms_sender = carrier;
  TestServer real(GetParam(), c);
  EXPECT_EQ(real.app().accounts().demo_sms(), nullptr);
  const std::string phone = MakePhone();
  const Resp sent = real.Post("/api/v1/auth/register/code", {{"phone", phone}});
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json().at("provider"), "carrier");
  ASSERT_EQ(carrier->sent.size(), 1u);
  EXPECT_EQ(carrier->sent[0], phone);
  EXPECT_EQ(real.Get("/api/v1/demo/sms?phone=" + phone).status, 404);
  EXPECT_EQ(real.Get("/api/v1/meta").json().at("sms_provider"), "carrier");
}

TEST_P(RegisterSmsApiTest, TheSettingOffAsksNoCode) {
  app::Config c;
  c.register_sms_code = "off";
  TestServer off(GetParam(), c);
  EXPECT_EQ(off.Get("/api/v1/meta").json().at("register_sms_code"), "off");
  const Resp r = off.Post("/api/v1/auth/register", Body(MakePhone(), MakeIdNumber("19900101"), ""));
  EXPECT_EQ(r.status, 201) << r.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, RegisterSmsApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_register_sms_api_test
}  // namespace ihos::apitest
